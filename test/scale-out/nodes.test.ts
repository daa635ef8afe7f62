// Three Rampart nodes on one PostgreSQL database and one Redis act as one identity plane, driven
// by the official SDKs: what is made on one node is honoured on the others; a session issued on
// one node works on all; what is revoked on one is refused on every other within a second
// (measured over 20 trials of each kind, the worst printed); a request accepted by one node is a
// replay on another; an object put on one is read on another; the trail of one is the trail of all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { testSchema, type TestSchema } from '../helpers/postgres.js';
import { testPrefix, type TestPrefix } from '../helpers/redis.js';
import { ROOT, sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';
import { PROPAGATION_BOUND_MS, within } from '../helpers/within.js';
import { ossClient } from '../sdk/oss-client.js';
import { ramClient, type Creds } from '../sdk/ram-client.js';
import { PopCore } from '../sdk/sdk-clients.js';
import { sessionOf, stsRpc, stsV3 } from '../sdk/sts-client.js';

let schema: TestSchema;
let prefix: TestPrefix;
let sharedBlobs: string;
const nodes: TestServer[] = [];
const TRIALS = 20;
const BOUND_MS = PROPAGATION_BOUND_MS;

before(async () => {
  schema = testSchema();
  prefix = testPrefix();
  const env = sharedNodeEnv();
  // Objects past 64 KiB live in a directory every node shares (a mounted volume in a deployment).
  sharedBlobs = mkdtempSync(join(tmpdir(), 'rampart-shared-blobs-'));
  for (let i = 0; i < 3; i++) nodes.push(await startTestServer({ store: schema.url, redis: prefix.url(), blobsDir: sharedBlobs, env, assumeRoleRate: 0 }));
});

after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await Promise.all([schema.drop(), prefix.drop()]);
  rmSync(sharedBlobs, { recursive: true, force: true });
});

const node = (i: number) => nodes[i]!;

/** The call is refused with code (an answer, or another refusal, is "not yet"). */
const refusedWith = (code: string, call: () => Promise<unknown>) => async () =>
  call().then(
    () => false,
    (e: unknown) => (e as { code?: string }).code === code,
  );
const allowed = (call: () => Promise<unknown>) => async () => call().then(() => true, () => false);

const TRUST = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });

async function makeRole(name: string): Promise<string> {
  const root = ramClient(node(0).apiHost, ROOT);
  const role = (await root('CreateRole', { RoleName: name, AssumeRolePolicyDocument: TRUST }))['Role'] as { Arn: string };
  await root('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', RoleName: name });
  return role.Arn;
}

let assumer: Creds | undefined;

/** A RAM user allowed to assume roles (an account's root may not), made once. */
async function assumerCreds(): Promise<Creds> {
  if (assumer === undefined) {
    const root = ramClient(node(0).apiHost, ROOT);
    await root('CreateUser', { UserName: 'assumer' });
    await root('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'assumer' });
    const key = (await root('CreateAccessKey', { UserName: 'assumer' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
    assumer = { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret };
  }
  return assumer;
}

async function assumeOn(i: number, roleArn: string, sessionName: string): Promise<Creds> {
  return sessionOf(await stsV3(node(i).apiHost, await assumerCreds()).assumeRole({ RoleArn: roleArn, RoleSessionName: sessionName }));
}

function report(what: string, lags: number[]): void {
  const sorted = [...lags].sort((a, b) => a - b);
  console.log(`cross-node lag, ${what}: p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, worst ${sorted.at(-1)!.toFixed(1)} ms over ${lags.length} trials`);
}

test('a user made on node 1 signs on node 3; a session from node 2 works on nodes 1 and 3', async () => {
  const root1 = ramClient(node(0).apiHost, ROOT);
  await root1('CreateUser', { UserName: 'alice' });
  await root1('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', UserName: 'alice' });
  const key = (await root1('CreateAccessKey', { UserName: 'alice' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
  const alice3 = ramClient(node(2).apiHost, { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret });
  assert.equal(((await alice3('GetUser', { UserName: 'alice' }))['User'] as { UserName: string }).UserName, 'alice');

  const session = await assumeOn(1, await makeRole('everywhere'), 'from-node-2');
  for (const i of [0, 2]) {
    const who = await stsRpc(node(i).endpoints.api, session).whoAmI();
    assert.match(String(who['Arn']), /assumed-role\/everywhere\/from-node-2$/);
  }
});

test(`revocation on node 1 is refused on nodes 2 and 3 within ${BOUND_MS} ms (${TRIALS} trials each)`, async () => {
  const root1 = ramClient(node(0).apiHost, ROOT);
  const rpc1 = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: node(0).endpoints.api, apiVersion: '2015-05-01' });
  const roleArn = await makeRole('revocable');
  const session = await assumeOn(0, roleArn, 'steady');
  const on = (i: number, creds: Creds) => () => ramClient(node(i).apiHost, creds)('ListUsers');

  const detach: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    await Promise.all([1, 2].map((i) => within(BOUND_MS, allowed(on(i, session)))));
    await root1('DetachPolicyFromRole', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', RoleName: 'revocable' });
    detach.push(...(await Promise.all([1, 2].map((i) => within(BOUND_MS, refusedWith('NoPermission', on(i, session)), `detach on node ${i + 1}`)))));
    await root1('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', RoleName: 'revocable' });
  }
  report('policy detached', detach);

  const revoke: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const s = await assumeOn(0, roleArn, `r-${t}`);
    await Promise.all([1, 2].map((i) => within(BOUND_MS, allowed(on(i, s)))));
    await new Promise((r) => setTimeout(r, 2));
    await rpc1.request('RevokeRoleSessions', { RoleName: 'revocable' }, { method: 'POST' });
    revoke.push(...(await Promise.all([1, 2].map((i) => within(BOUND_MS, refusedWith('InvalidSecurityToken.Expired', on(i, s)), `revoke on node ${i + 1}`)))));
  }
  report('RevokeRoleSessions', revoke);

  const deleted: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    const arn = await makeRole(`doomed-${t}`);
    const s = await assumeOn(0, arn, 'doomed');
    await Promise.all([1, 2].map((i) => within(BOUND_MS, allowed(on(i, s)))));
    await root1('DetachPolicyFromRole', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', RoleName: `doomed-${t}` });
    await root1('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', RoleName: `doomed-${t}` });
    await Promise.all([1, 2].map((i) => within(BOUND_MS, allowed(on(i, s)))));
    await root1('DetachPolicyFromRole', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', RoleName: `doomed-${t}` });
    await root1('DeleteRole', { RoleName: `doomed-${t}` });
    deleted.push(...(await Promise.all([1, 2].map((i) => within(BOUND_MS, async () => !(await allowed(on(i, s))()), `delete on node ${i + 1}`)))));
  }
  report('role deleted', deleted);

  const root2 = ramClient(node(1).apiHost, ROOT);
  await root2('CreateUser', { UserName: 'keyholder' });
  await root2('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', UserName: 'keyholder' });
  const key = (await root2('CreateAccessKey', { UserName: 'keyholder' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
  const holder = { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret };
  const disabled: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    await Promise.all([1, 2].map((i) => within(BOUND_MS, allowed(on(i, holder)))));
    await root1('UpdateAccessKey', { UserName: 'keyholder', UserAccessKeyId: key.AccessKeyId, Status: 'Inactive' });
    disabled.push(...(await Promise.all([1, 2].map((i) => within(BOUND_MS, refusedWith('InvalidAccessKeyId.Inactive', on(i, holder)), `disable on node ${i + 1}`)))));
    await root1('UpdateAccessKey', { UserName: 'keyholder', UserAccessKeyId: key.AccessKeyId, Status: 'Active' });
  }
  report('AccessKey disabled', disabled);
});

test('a signed request accepted by node 1 is refused as a replay by nodes 2 and 3', async () => {
  const body = encodeParams(signedParams('GetCallerIdentity', ROOT));
  assert.equal((await postForm(node(0).endpoints.api, body)).status, 200);
  for (const i of [1, 2]) {
    const replay = await postForm(node(i).endpoints.api, body);
    assert.equal(replay.status, 400);
    assert.equal(replay.json()['Code'], 'SignatureNonceUsed');
  }
});

test('objects put on node 1 are read on node 2, small (in the database) and large (in the shared blob directory)', async () => {
  const one = ossClient(node(0).endpoints.oss, ROOT);
  const two = ossClient(node(1).endpoints.oss, ROOT);
  await one.putBucket('shared-bucket');
  one.useBucket('shared-bucket');
  two.useBucket('shared-bucket');
  const small = randomBytes(1000);
  const large = randomBytes(300 * 1024);
  await one.put('d-001/small.bin', small);
  await one.put('d-001/large.bin', large);
  assert.deepEqual((await two.get('d-001/small.bin')).content, small);
  assert.deepEqual((await two.get('d-001/large.bin')).content, large);
  await two.delete('d-001/large.bin');
  assert.equal(((await one.get('d-001/large.bin').catch((e: unknown) => e)) as { code?: string }).code, 'NoSuchKey');
});

test('LookupEvents on node 3 sees what node 1 did', async () => {
  await ramClient(node(0).apiHost, ROOT)('CreateGroup', { GroupName: 'audited-on-node-1' });
  const trail = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: node(2).endpoints.api, apiVersion: '2020-07-06' });
  const found = (await trail.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'CreateGroup' }, { method: 'POST' }))['Events'] as { requestParameters?: Record<string, string> }[];
  assert.ok(found.some((e) => e.requestParameters?.['GroupName'] === 'audited-on-node-1'), JSON.stringify(found).slice(0, 500));
});
