// AssumeRole through the unmodified STS SDKs: the response shape, temporary credentials that sign
// later calls on both signatures, every parameter rule and refusal.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type Creds, type RamCall } from './ram-client.js';
import { sessionOf, stsRpc, stsV3 } from './sts-client.js';

let server: TestServer;
let root: RamCall;
let skew = 0;
let alice: Creds;
const roleArn = (name: string, account = ROOT.accountId) => `acs:ram::${account}:role/${name}`;
const trustAccount = (account: string, extra: object = {}) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${account}:root`] }, ...extra }] });
const doc = (statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0, now: () => Date.now() + skew });
  root = ramClient(server.apiHost, ROOT);
  await root('CreateUser', { UserName: 'alice' });
  await root('AttachPolicyToUser', { UserName: 'alice', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
  const ak = (await root('CreateAccessKey', { UserName: 'alice' }))['AccessKey'] as Record<string, string>;
  alice = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
  await root('CreateRole', { RoleName: 'reader', AssumeRolePolicyDocument: trustAccount(ROOT.accountId), MaxSessionDuration: 7200 });
  await root('AttachPolicyToRole', { RoleName: 'reader', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
});
after(() => server.stop());

describe('AssumeRole', () => {
  test('the response is shaped as the real one, and the credentials sign GetCallerIdentity on V3 and RPC', async () => {
    const body = await stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'alice-session' });
    assert.deepEqual(Object.keys(body).sort(), ['AssumedRoleUser', 'Credentials', 'RequestId']);
    const s = sessionOf(body);
    const role = (await root('GetRole', { RoleName: 'reader' }))['Role'] as Record<string, string>;
    assert.deepEqual(s.assumedRoleUser, { Arn: `acs:ram::${ROOT.accountId}:role/reader/alice-session`, AssumedRoleId: `${role['RoleId']}:alice-session` });
    assert.match(s.accessKeyId, /^STS\.[A-Za-z0-9]{25}$/);
    assert.match(s.expiration, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const lifetime = Date.parse(s.expiration) - Date.now();
    assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, `default duration 3600 s, got ${lifetime}`);

    const expected = {
      IdentityType: 'AssumedRoleUser',
      AccountId: ROOT.accountId,
      PrincipalId: `${role['RoleId']}:alice-session`,
      RoleId: role['RoleId'],
      Arn: `acs:ram::${ROOT.accountId}:assumed-role/reader/alice-session`,
    };
    const viaV3 = await stsV3(server.apiHost, s).whoAmI();
    assert.deepEqual({ ...viaV3, RequestId: undefined }, { ...expected, RequestId: undefined });
    const viaRpc = await stsRpc(server.endpoints.api, s).whoAmI();
    assert.deepEqual({ ...viaRpc, RequestId: undefined }, { ...expected, RequestId: undefined });

    // The session acts with the role's rights: RAM reads yes, writes no.
    const asRole = ramClient(server.apiHost, s);
    await asRole('ListUsers');
    const denied = await ramError(asRole('CreateUser', { UserName: 'x' }));
    assert.equal(denied.code, 'NoPermission');
    assert.equal((denied.data?.['AccessDeniedDetail'] as Record<string, string>)['AuthPrincipalType'], 'AssumedRoleUser');
  });

  test('over pop-core (RPC) too, with DurationSeconds up to the role maximum', async () => {
    const body = await stsRpc(server.endpoints.api, alice).assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'rpc', DurationSeconds: 7200 });
    const s = sessionOf(body);
    assert.ok(Date.parse(s.expiration) - Date.now() > 7190_000);
    assert.equal((await stsRpc(server.endpoints.api, s).whoAmI())['IdentityType'], 'AssumedRoleUser');
  });

  test('parameter rules: every bad value gets its own InvalidParameter code', async () => {
    const sts = stsV3(server.apiHost, alice);
    const code = async (p: Parameters<typeof sts.assumeRole>[0]) => (await ramError(sts.assumeRole(p))).code;
    assert.equal(await code({ RoleArn: 'arn:aws:iam::1:role/x', RoleSessionName: 'ok-name' }), 'InvalidParameter.RoleArn');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'x' }), 'InvalidParameter.RoleSessionName');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'bad name' }), 'InvalidParameter.RoleSessionName');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'x'.repeat(65) }), 'InvalidParameter.RoleSessionName');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'ok-name', DurationSeconds: 899 }), 'InvalidParameter.DurationSeconds');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'ok-name', DurationSeconds: 7201 }), 'InvalidParameter.DurationSeconds');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'ok-name', ExternalId: 'x' }), 'InvalidParameter.ExternalId');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'ok-name', ExternalId: 'has space' }), 'InvalidParameter.ExternalId');
    assert.equal(await code({ RoleArn: roleArn('reader'), RoleSessionName: 'ok-name', Policy: '{"Version":"1"}' }), 'InvalidParameter.PolicyGrammar');
    const big = doc([{ Effect: 'Allow', Action: Array(200).fill('oss:GetObject'), Resource: '*' }]);
    const size = await ramError(sts.assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'ok-name', Policy: big }));
    assert.equal(size.code, 'InvalidParameter.PolicySize');
    assert.equal(size.data?.['Message'], 'The size of Policy must be smaller than 2048 bytes.');
    const missing = await ramError(sts.assumeRole({ RoleArn: roleArn('nope'), RoleSessionName: 'ok-name' }));
    assert.deepEqual([missing.code, missing.statusCode, missing.data?.['Message']], ['EntityNotExist.Role', 404, 'The specified Role not exists .']);
  });

  test('the account root may not assume roles; a session may (role chaining)', async () => {
    const rootTry = await ramError(stsV3(server.apiHost, ROOT).assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'root' }));
    assert.deepEqual([rootTry.code, rootTry.statusCode, rootTry.data?.['Message']], ['NoPermission', 403, 'Roles may not be assumed by root accounts.']);

    await root('CreateRole', { RoleName: 'hop1', AssumeRolePolicyDocument: trustAccount(ROOT.accountId) });
    await root('AttachPolicyToRole', { RoleName: 'hop1', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
    await root('CreateRole', {
      RoleName: 'hop2',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [roleArn('hop1')] } }] }),
    });
    const first = sessionOf(await stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn('hop1'), RoleSessionName: 's1' }));
    const second = sessionOf(await stsV3(server.apiHost, first).assumeRole({ RoleArn: roleArn('hop2'), RoleSessionName: 's2' }));
    assert.equal((await stsV3(server.apiHost, second).whoAmI())['Arn'], `acs:ram::${ROOT.accountId}:assumed-role/hop2/s2`);
    // hop2 trusts only hop1's sessions, not alice herself.
    assert.equal((await ramError(stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn('hop2'), RoleSessionName: 's3' }))).code, 'NoPermission');
  });

  test('ExternalId in the trust policy', async () => {
    await root('CreateRole', { RoleName: 'with-external-id', AssumeRolePolicyDocument: trustAccount(ROOT.accountId, { Condition: { StringEquals: { 'sts:ExternalId': 'abcd-1234' } } }) });
    const sts = stsV3(server.apiHost, alice);
    assert.equal((await ramError(sts.assumeRole({ RoleArn: roleArn('with-external-id'), RoleSessionName: 'ext' }))).code, 'NoPermission');
    assert.equal((await ramError(sts.assumeRole({ RoleArn: roleArn('with-external-id'), RoleSessionName: 'ext', ExternalId: 'wrong-id' }))).code, 'NoPermission');
    await sts.assumeRole({ RoleArn: roleArn('with-external-id'), RoleSessionName: 'ext', ExternalId: 'abcd-1234' });
  });
});

describe('temporary credentials on the wire', () => {
  test('missing, tampered, mismatched and expired tokens get the real codes', async () => {
    const s = sessionOf(await stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'wire', DurationSeconds: 900 }));
    const code = async (creds: Creds) => (await ramError(stsRpc(server.endpoints.api, creds).whoAmI())).code;
    assert.equal(await code({ accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret }), 'MissingSecurityToken');
    const token = s.securityToken ?? '';
    const tampered = token.slice(0, -6) + (token.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA');
    assert.equal(await code({ ...s, securityToken: tampered }), 'InvalidSecurityToken.Malformed');
    assert.equal(await code({ ...s, securityToken: 'not-a-token' }), 'InvalidSecurityToken.Malformed');
    const other = sessionOf(await stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'other' }));
    assert.equal(await code({ ...s, securityToken: other.securityToken }), 'InvalidSecurityToken.MismatchWithAccessKey');
    assert.equal(await code({ ...alice, securityToken: token }), 'InvalidSecurityToken.MismatchWithAccessKey');
  });

  test('an expired token is refused with InvalidSecurityToken.Expired', async () => {
    // Issue a 900 s token while the server's clock is 800 s behind, then move the clock 200 s
    // ahead: the token ended 100 s ago, while request time stamps stay within the 15-minute skew.
    skew = -800_000;
    const s = sessionOf(await stsV3(server.apiHost, alice).assumeRole({ RoleArn: roleArn('reader'), RoleSessionName: 'short', DurationSeconds: 900 }));
    skew = 200_000;
    try {
      assert.equal((await ramError(stsRpc(server.endpoints.api, s).whoAmI())).code, 'InvalidSecurityToken.Expired');
    } finally {
      skew = 0;
    }
  });
});
