// Live permissions: a session's rights are its role's current policies, checked at each request.
// Detaching, a new default version, deleting or re-creating the role, editing its trust policy
// and revoking its sessions all end outstanding tokens at the very next call. Key rotation does not.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type Creds, type RamCall } from './ram-client.js';
import { sessionOf, stsRpc, stsV3, type Session } from './sts-client.js';
import { PopCore } from './sdk-clients.js';

let server: TestServer;
let root: RamCall;
let alice: Creds;
const roleArn = (name: string) => `acs:ram::${ROOT.accountId}:role/${name}`;
const trustRoot = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });

before(async () => {
  server = await startTestServer({ assumeRoleRate: 3 });
  root = ramClient(server.apiHost, ROOT);
  await root('CreateUser', { UserName: 'alice' });
  await root('AttachPolicyToUser', { UserName: 'alice', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
  const ak = (await root('CreateAccessKey', { UserName: 'alice' }))['AccessKey'] as Record<string, string>;
  alice = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
});
after(() => server.stop());

async function makeRole(name: string): Promise<void> {
  await root('CreateRole', { RoleName: name, AssumeRolePolicyDocument: trustRoot });
  await root('AttachPolicyToRole', { RoleName: name, PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
}

async function assume(name: string, session = 'sess'): Promise<Session> {
  // Rate-limited to 3 per second per account: wait out the limit between bursts.
  for (;;) {
    try {
      return sessionOf(await stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn(name), RoleSessionName: session }));
    } catch (e) {
      if ((e as { code?: string }).code !== 'Throttling.User') throw e;
      await new Promise((r) => setTimeout(r, 400));
    }
  }
}

test('detaching the role\'s policy refuses the same token at the next call; attaching restores it', async () => {
  await makeRole('live');
  const s = await assume('live');
  const asRole = ramClient(server.apiHost, s);
  await asRole('ListUsers');
  await root('DetachPolicyFromRole', { RoleName: 'live', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  assert.equal((await ramError(asRole('ListUsers'))).code, 'NoPermission');
  await root('AttachPolicyToRole', { RoleName: 'live', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  await asRole('ListUsers');
});

test('a new default version of the role\'s custom policy applies to outstanding tokens', async () => {
  await root('CreateRole', { RoleName: 'versioned', AssumeRolePolicyDocument: trustRoot });
  await root('CreatePolicy', { PolicyName: 'list-users', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*' }] }) });
  await root('AttachPolicyToRole', { RoleName: 'versioned', PolicyType: 'Custom', PolicyName: 'list-users' });
  const asRole = ramClient(server.apiHost, await assume('versioned'));
  await asRole('ListUsers');
  await root('CreatePolicyVersion', { PolicyName: 'list-users', SetAsDefault: true, PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:ListRoles', Resource: '*' }] }) });
  assert.equal((await ramError(asRole('ListUsers'))).code, 'NoPermission');
  await asRole('ListRoles');
});

test('revoking sessions refuses tokens issued before, not after; over the API and from the CLI', async () => {
  await makeRole('revocable');
  const old = await assume('revocable', 'old');
  await ramClient(server.apiHost, old)('ListUsers');
  await new Promise((r) => setTimeout(r, 5));
  // RevokeRoleSessions is Rampart's own action, so no RAM SDK has a method for it: call it over RPC.
  const rpc = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2015-05-01' });
  const revoked = (await rpc.request('RevokeRoleSessions', { RoleName: 'revocable' }, { method: 'POST' }))['Role'] as Record<string, unknown>;
  assert.equal(revoked['RoleName'], 'revocable');
  assert.equal((await ramError(stsRpc(server.endpoints.api, old).whoAmI())).code, 'InvalidSecurityToken.Expired');
  const fresh = await assume('revocable', 'new');
  await ramClient(server.apiHost, fresh)('ListUsers');

  await new Promise((r) => setTimeout(r, 5));
  const cli = await runCli(['role', 'revoke-sessions', '--data', server.dataDir, '--account', ROOT.accountId, '--role', 'revocable'], { RAMPART_MASTER_KEY: '' });
  assert.equal(cli.code, 0, cli.stderr);
  assert.equal((await ramError(stsRpc(server.endpoints.api, fresh).whoAmI())).code, 'InvalidSecurityToken.Expired');
});

test('a deleted role\'s tokens stop at once, and a re-created role of the same name does not honour them', async () => {
  await makeRole('phoenix');
  const s = await assume('phoenix');
  await root('DetachPolicyFromRole', { RoleName: 'phoenix', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  await root('DeleteRole', { RoleName: 'phoenix' });
  assert.equal((await ramError(stsRpc(server.endpoints.api, s).whoAmI())).code, 'InvalidSecurityToken.Expired');
  await makeRole('phoenix');
  assert.equal((await ramError(stsRpc(server.endpoints.api, s).whoAmI())).code, 'InvalidSecurityToken.Expired');
  await ramClient(server.apiHost, await assume('phoenix'))('ListUsers');
});

test('editing the trust policy so it no longer admits the session\'s origin ends the session', async () => {
  await makeRole('trusting');
  const s = await assume('trusting');
  await stsRpc(server.endpoints.api, s).whoAmI();
  await root('UpdateRole', {
    RoleName: 'trusting',
    NewAssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] }),
  });
  assert.equal((await ramError(stsRpc(server.endpoints.api, s).whoAmI())).code, 'InvalidSecurityToken.Expired');
});

test('rotating the token keys keeps old tokens working and seals new ones with the new key', async () => {
  await makeRole('rotating');
  const before = await assume('rotating', 'before');
  const cli = await runCli(['keys', 'rotate', '--data', server.dataDir]);
  assert.equal(cli.code, 0, cli.stderr);
  const newKey = /new token key (\S+)/.exec(cli.stdout)?.[1] ?? '';
  const afterRotation = await assume('rotating', 'after');
  assert.ok(afterRotation.securityToken?.startsWith(`v1.${newKey}.`), 'new tokens use the new key');
  assert.ok(!before.securityToken?.startsWith(`v1.${newKey}.`));
  await stsRpc(server.endpoints.api, before).whoAmI();
  await stsRpc(server.endpoints.api, afterRotation).whoAmI();
});

test('AssumeRole is rate-limited per account with Throttling.User', async () => {
  await makeRole('busy');
  await new Promise((r) => setTimeout(r, 1100));
  const sts = stsRpc(server.endpoints.api, alice);
  const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => sts.assumeRole({ RoleArn: roleArn('busy'), RoleSessionName: `burst-${i}` })));
  const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string }).code));
  assert.ok(codes.filter((c) => c === 'ok').length <= 3, codes.join());
  assert.ok(codes.includes('Throttling.User'), codes.join());
});
