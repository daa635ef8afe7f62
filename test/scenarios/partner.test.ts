// The partner story: account A1 keeps one role per partner account. P1's user may assume A1's P1
// role and acts with exactly that role's policy; not A1's P2 role; P2's users cannot assume P1's
// role. And nothing escalates: a broad session policy adds nothing, a caller without
// sts:AssumeRole is refused though trusted, an untrusted account is refused though permitted.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccount } from '../../src/server/index.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type Creds, type RamCall } from '../sdk/ram-client.js';
import { sessionOf, stsV3 } from '../sdk/sts-client.js';

let server: TestServer;
const A1 = ROOT.accountId;
let a1: RamCall;
let p1: { id: string; root: RamCall };
let p2: { id: string; root: RamCall };
let p1u1: Creds;
let p2u1: Creds;

const trust = (account: string) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${account}:root`] } }] });
const roleArn = (name: string) => `acs:ram::${A1}:role/${name}`;

async function partner(): Promise<{ id: string; root: RamCall }> {
  const creds = await createAccount(server.store, new Date());
  return { id: creds.AccountId, root: ramClient(server.apiHost, { accessKeyId: creds.AccessKeyId, accessKeySecret: creds.AccessKeySecret }) };
}

async function userOf(owner: RamCall, name: string, policy?: string): Promise<Creds> {
  await owner('CreateUser', { UserName: name });
  if (policy) await owner('AttachPolicyToUser', { UserName: name, PolicyType: 'System', PolicyName: policy });
  const ak = (await owner('CreateAccessKey', { UserName: name }))['AccessKey'] as Record<string, string>;
  return { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
}

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  a1 = ramClient(server.apiHost, ROOT);
  p1 = await partner();
  p2 = await partner();
  await a1('CreateRole', { RoleName: 'partner-p1', AssumeRolePolicyDocument: trust(p1.id) });
  await a1('CreateRole', { RoleName: 'partner-p2', AssumeRolePolicyDocument: trust(p2.id) });
  await a1('CreatePolicy', {
    PolicyName: 'p1-read-users',
    PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['ram:ListUsers', 'ram:GetUser'], Resource: '*' }] }),
  });
  await a1('AttachPolicyToRole', { RoleName: 'partner-p1', PolicyType: 'Custom', PolicyName: 'p1-read-users' });
  await a1('AttachPolicyToRole', { RoleName: 'partner-p2', PolicyType: 'System', PolicyName: 'AliyunRAMFullAccess' });
  await a1('CreateUser', { UserName: 'a1-employee' });
  p1u1 = await userOf(p1.root, 'p1u1', 'AliyunSTSAssumeRoleAccess');
  p2u1 = await userOf(p2.root, 'p2u1', 'AliyunSTSAssumeRoleAccess');
});
after(() => server.stop());

test("P1's user assumes A1's P1 role and acts in A1 with exactly that role's policy", async () => {
  const s = sessionOf(await stsV3(server.apiHost, p1u1).assumeRole({ RoleArn: roleArn('partner-p1'), RoleSessionName: 'p1u1' }));
  const who = await stsV3(server.apiHost, s).whoAmI();
  assert.equal(who['AccountId'], A1);
  assert.equal(who['Arn'], `acs:ram::${A1}:assumed-role/partner-p1/p1u1`);
  const inA1 = ramClient(server.apiHost, s);
  const users = ((await inA1('ListUsers'))['Users'] as { User: { UserName: string }[] }).User.map((u) => u.UserName);
  assert.ok(users.includes('a1-employee'), 'the session sees A1, not P1');
  assert.ok(!users.includes('p1u1'));
  await inA1('GetUser', { UserName: 'a1-employee' });
  for (const [action, params] of [['ListRoles', {}], ['CreateUser', { UserName: 'intruder' }], ['DeleteUser', { UserName: 'a1-employee' }]] as const) {
    assert.equal((await ramError(inA1(action, params))).code, 'NoPermission', action);
  }
});

test("P1's user cannot assume A1's P2 role; P2's user cannot assume A1's P1 role", async () => {
  const e1 = await ramError(stsV3(server.apiHost, p1u1).assumeRole({ RoleArn: roleArn('partner-p2'), RoleSessionName: 'sneak' }));
  assert.deepEqual([e1.code, e1.statusCode], ['NoPermission', 403]);
  assert.equal((e1.data?.['AccessDeniedDetail'] as Record<string, string>)['PolicyType'], 'AssumeRolePolicy');
  const e2 = await ramError(stsV3(server.apiHost, p2u1).assumeRole({ RoleArn: roleArn('partner-p1'), RoleSessionName: 'sneak' }));
  assert.equal(e2.code, 'NoPermission');
  // P2's user may assume the role made for P2.
  await stsV3(server.apiHost, p2u1).assumeRole({ RoleArn: roleArn('partner-p2'), RoleSessionName: 'legit' });
});

test('no escalation: a session policy broader than the role grants nothing extra', async () => {
  const everything = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
  const s = sessionOf(await stsV3(server.apiHost, p1u1).assumeRole({ RoleArn: roleArn('partner-p1'), RoleSessionName: 'greedy', Policy: everything }));
  const inA1 = ramClient(server.apiHost, s);
  await inA1('ListUsers');
  assert.equal((await ramError(inA1('CreateUser', { UserName: 'x' }))).code, 'NoPermission');
  const narrow = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:GetUser', Resource: '*' }] });
  const n = sessionOf(await stsV3(server.apiHost, p1u1).assumeRole({ RoleArn: roleArn('partner-p1'), RoleSessionName: 'narrow', Policy: narrow }));
  const denied = await ramError(ramClient(server.apiHost, n)('ListUsers'));
  assert.equal(denied.code, 'NoPermission');
  assert.equal((denied.data?.['AccessDeniedDetail'] as Record<string, string>)['PolicyType'], 'SessionPolicy');
});

test('no escalation: a trusted account\'s user without sts:AssumeRole is refused', async () => {
  const plain = await userOf(p1.root, 'p1-no-sts');
  const e = await ramError(stsV3(server.apiHost, plain).assumeRole({ RoleArn: roleArn('partner-p1'), RoleSessionName: 'nope' }));
  assert.equal(e.code, 'NoPermission');
  assert.equal((e.data?.['AccessDeniedDetail'] as Record<string, string>)['AuthAction'], 'sts:AssumeRole');
});

test('no escalation: an untrusted account is refused even with sts:AssumeRole on *', async () => {
  const stranger = await partner();
  const s = await userOf(stranger.root, 'stranger', 'AdministratorAccess');
  assert.equal((await ramError(stsV3(server.apiHost, s).assumeRole({ RoleArn: roleArn('partner-p1'), RoleSessionName: 'nope' }))).code, 'NoPermission');
});
