// Issue 15, defects 20–22: a setting that cannot be read stops the start (RAMPART_ASSUME_ROLE_RATE
// =abc once became NaN, a limiter that let nothing through); a compiled trust policy is never
// served after the document changed, however fast; and a store failure inside a per-instance or
// per-policy loop is the call's InternalError, not a line in a 200 or a policy "missing".
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { serveCli } from '../helpers/cli.js';
import { ROOT, startTestServer } from '../helpers/server.js';
import { ramClient, ramError } from '../sdk/ram-client.js';
import { sessionOf, stsRpc } from '../sdk/sts-client.js';
import { ecsClient, refusal, trustAccount, userWithKey } from '../security/fixture.js';

const scratch = mkdtempSync(join(tmpdir(), 'rampart-settings-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };

test('20: a value that cannot be read stops the start, naming it, before the data directory is touched', async () => {
  const bad: Record<string, string> = {
    RAMPART_ASSUME_ROLE_RATE: 'abc',
    RAMPART_METADATA_CREDENTIAL_SECONDS: '-5',
    RAMPART_AUDIT_RETENTION_DAYS: '1.5',
    RAMPART_LOG_LEVEL: 'loud',
    RAMPART_TLS: 'maybe',
    RAMPART_QUOTAS: 'users=lots',
  };
  for (const [name, value] of Object.entries(bad)) {
    const data = join(scratch, name);
    await assert.rejects(serveCli(['--data', data], { [name]: value }), (e: Error) => {
      assert.match(e.message, /exited with 2 before its banner/, name);
      assert.match(e.message, new RegExp(name), `${name}: the message names it`);
      return true;
    });
    assert.equal(existsSync(data), false, `${name}: no data directory was created`);
  }
  // A credential lifetime past what a token may live is refused too, not silently capped.
  await assert.rejects(serveCli(['--data', join(scratch, 'long')], { RAMPART_METADATA_CREDENTIAL_SECONDS: '99999999' }), /RAMPART_METADATA_CREDENTIAL_SECONDS/);
  // And readable values start it.
  const served = await serveCli(['--data', join(scratch, 'good')], { RAMPART_ASSUME_ROLE_RATE: '0', RAMPART_AUDIT_RETENTION_DAYS: '7', RAMPART_LOG_LEVEL: 'warn' });
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
});

test('21: two UpdateRole calls in the same millisecond: the second trust policy is the one in force', async () => {
  const frozen = Date.now();
  const server = await startTestServer({ assumeRoleRate: 0, now: () => frozen });
  try {
    const ram = ramClient(server.apiHost, root);
    const alice = await userWithKey(ram, 'alice', { system: ['AliyunSTSAssumeRoleAccess'] });
    const bob = await userWithKey(ram, 'bob', { system: ['AliyunSTSAssumeRoleAccess'] });
    const trusting = (user: string) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:user/${user}`] } }] });
    const roleArn = `acs:ram::${ROOT.accountId}:role/frozen`;
    await ram('CreateRole', { RoleName: 'frozen', AssumeRolePolicyDocument: trustAccount(ROOT.accountId) });
    await ram('UpdateRole', { RoleName: 'frozen', NewAssumeRolePolicyDocument: trusting('alice') });
    // Alice's AssumeRole compiles (and caches) the first document...
    assert.match(sessionOf(await stsRpc(server.endpoints.api, alice).assumeRole({ RoleArn: roleArn, RoleSessionName: 'first' })).accessKeyId, /^STS\./);
    // ...which is replaced within the same millisecond: only Bob is trusted now.
    await ram('UpdateRole', { RoleName: 'frozen', NewAssumeRolePolicyDocument: trusting('bob') });
    assert.equal(await refusal(stsRpc(server.endpoints.api, alice).assumeRole({ RoleArn: roleArn, RoleSessionName: 'second' })), 'NoPermission');
    assert.match(sessionOf(await stsRpc(server.endpoints.api, bob).assumeRole({ RoleArn: roleArn, RoleSessionName: 'third' })).accessKeyId, /^STS\./);
  } finally {
    await server.stop();
  }
});

test('22: a store failure in a per-instance loop or a policy listing is an InternalError, and expected refusals stay per instance', async () => {
  const server = await startTestServer({ assumeRoleRate: 0 });
  try {
    const ram = ramClient(server.apiHost, root);
    const ecs = ecsClient(server, root);
    const ecsTrust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] });
    await ram('CreateRole', { RoleName: 'app', AssumeRolePolicyDocument: ecsTrust });
    const id = String((await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't' }))['InstanceId']);
    // The expected refusal of one instance is that instance's line in a 200.
    const mixed = await ecs('AttachInstanceRamRole', { RamRoleName: 'app', InstanceIds: JSON.stringify([id, 'i-missing']) });
    assert.deepEqual([mixed['TotalCount'], mixed['FailCount']], [2, 1]);

    const store = server.store;
    const update = store.ecs.update;
    store.ecs.update = () => Promise.reject(new Error('the disk is gone'));
    try {
      const failed = await refusal(ecs('DetachInstanceRamRole', { RamRoleName: 'app', InstanceIds: JSON.stringify([id]) }));
      assert.equal(failed, 'InternalError');
    } finally {
      store.ecs.update = update;
    }
    const attached = (await ecs('DescribeInstanceRamRole', { InstanceIds: JSON.stringify([id]) }))['InstanceRamRoleSets'] as { InstanceRamRoleSet: { RamRoleName: string }[] };
    assert.equal(attached.InstanceRamRoleSet[0]?.RamRoleName, 'app', 'nothing was half-done');

    await ram('CreateUser', { UserName: 'carol' });
    await ram('CreatePolicy', { PolicyName: 'carols', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: '*' }] }) });
    await ram('AttachPolicyToUser', { UserName: 'carol', PolicyType: 'Custom', PolicyName: 'carols' });
    const getPolicy = store.ram.getPolicy;
    store.ram.getPolicy = () => Promise.reject(new Error('the disk is gone'));
    try {
      assert.equal((await ramError(ram('ListPoliciesForUser', { UserName: 'carol' }))).code, 'InternalError');
    } finally {
      store.ram.getPolicy = getPolicy;
    }
    const listed = (await ram('ListPoliciesForUser', { UserName: 'carol' }))['Policies'] as { Policy: { PolicyName: string }[] };
    assert.deepEqual(listed.Policy.map((p) => p.PolicyName), ['carols']);
  } finally {
    await server.stop();
  }
});
