// Instance roles, the first seed story, with ECS over the unmodified pop-core and the metadata
// service over raw HTTP from loopback addresses registered as instances: an operator needs
// ram:PassRole on exactly the role, the app on the instance gets the role's credentials (and
// nothing more), and detaching or deleting ends them at once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { metadata } from '../helpers/metadata.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type Creds, type RamCall } from './ram-client.js';
import { PopCore, type SdkError } from './sdk-clients.js';
import { stsRpc } from './sts-client.js';

let server: TestServer;
let admin: RamCall;
let skew = 0;
const ecsTrust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] });

function ecs(creds: Creds) {
  const client = new PopCore({ ...creds, endpoint: server.endpoints.api, apiVersion: '2014-05-26' });
  // pop-core parses with json-bigint, which makes null-prototype objects: normalise for deepEqual.
  return async (action: string, params: Record<string, unknown> = {}) =>
    JSON.parse(JSON.stringify(await client.request(action, { RegionId: 'cn-hangzhou', ...params }, { method: 'POST' }))) as Record<string, unknown>;
}

async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected a failure');
}

let operator: Creds;
before(async () => {
  server = await startTestServer({ assumeRoleRate: 0, metadataCredentialSeconds: 35 * 60, now: () => Date.now() + skew });
  admin = ramClient(server.apiHost, ROOT);
  await admin('CreateRole', { RoleName: 'AppRole', AssumeRolePolicyDocument: ecsTrust });
  await admin('AttachPolicyToRole', { RoleName: 'AppRole', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  await admin('CreateRole', { RoleName: 'OtherEcsRole', AssumeRolePolicyDocument: ecsTrust });
  await admin('CreateUser', { UserName: 'operator' });
  await admin('AttachPolicyToUser', { UserName: 'operator', PolicyType: 'System', PolicyName: 'AliyunECSFullAccess' });
  const ak = (await admin('CreateAccessKey', { UserName: 'operator' }))['AccessKey'] as Record<string, string>;
  operator = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
});
after(() => server.stop());

describe('the seed story', () => {
  let instanceId = '';
  let creds: Record<string, string> = {};

  test('an operator with only AliyunECSFullAccess registers an instance but may not pass it the role', async () => {
    const created = await ecs(operator)('CreateInstance', { ImageId: 'ubuntu_22_04', InstanceType: 'ecs.g7.large', PrivateIpAddress: '127.0.0.1' });
    instanceId = String(created['InstanceId']);
    assert.match(instanceId, /^i-[a-z0-9]{20}$/);
    const denied = await failure(ecs(operator)('AttachInstanceRamRole', { RamRoleName: 'AppRole', InstanceIds: JSON.stringify([instanceId]) }));
    assert.equal(denied.code, 'InvalidUser.PassRoleForbidden');
    assert.equal(denied.data?.['Message'], 'The RAM user does not have the privilege to pass a RAM role.');
    const withRole = await failure(ecs(operator)('RunInstances', { ImageId: 'x', InstanceType: 'y', PrivateIpAddress: '127.0.0.9', RamRoleName: 'AppRole' }));
    assert.equal(withRole.code, 'InvalidUser.PassRoleForbidden');
    // The refusal is audited with the check that decided it.
    const audited = server.audited.filter((r) => r.eventName === 'AttachInstanceRamRole').at(-1);
    assert.deepEqual(audited?.checks, [{ permission: 'ram:PassRole', resource: `acs:ram::${ROOT.accountId}:role/AppRole`, effect: 'ImplicitDeny' }]);
  });

  test('after the admin grants ram:PassRole on exactly that role, the attach succeeds (and only for that role)', async () => {
    await admin('CreatePolicy', {
      PolicyName: 'pass-app-role',
      PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:PassRole', Resource: `acs:ram::${ROOT.accountId}:role/AppRole`, Condition: { StringEquals: { 'acs:Service': 'ecs.aliyuncs.com' } } }] }),
    });
    await admin('AttachPolicyToUser', { UserName: 'operator', PolicyType: 'Custom', PolicyName: 'pass-app-role' });
    const attached = await ecs(operator)('AttachInstanceRamRole', { RamRoleName: 'AppRole', InstanceIds: JSON.stringify([instanceId]) });
    assert.deepEqual({ ...attached, RequestId: undefined }, {
      RequestId: undefined,
      RamRoleName: 'AppRole',
      TotalCount: 1,
      FailCount: 0,
      AttachInstanceRamRoleResults: { AttachInstanceRamRoleResult: [{ InstanceId: instanceId, Code: '200', Message: 'success', Success: true }] },
    });
    assert.equal((await failure(ecs(operator)('AttachInstanceRamRole', { RamRoleName: 'OtherEcsRole', InstanceIds: JSON.stringify([instanceId]) }))).code, 'InvalidUser.PassRoleForbidden');
    const described = await ecs(operator)('DescribeInstanceRamRole', { InstanceIds: JSON.stringify([instanceId]) });
    assert.deepEqual((described['InstanceRamRoleSets'] as { InstanceRamRoleSet: unknown[] }).InstanceRamRoleSet, [{ InstanceId: instanceId, RamRoleName: 'AppRole' }]);
  });

  test('the app on the instance reads its identity and its role credentials from the metadata service', async () => {
    const md = server.endpoints.metadata;
    assert.deepEqual(await metadata(md, '/latest/meta-data/instance-id'), { status: 200, body: instanceId });
    assert.deepEqual(await metadata(md, '/latest/meta-data/private-ipv4'), { status: 200, body: '127.0.0.1' });
    assert.equal((await metadata(md, '/latest/meta-data/region-id')).body, 'cn-hangzhou');
    assert.match((await metadata(md, '/latest/meta-data/')).body, /instance-id\nregion-id\nhostname\nprivate-ipv4\nram\//);
    assert.deepEqual(await metadata(md, '/latest/meta-data/ram/security-credentials/'), { status: 200, body: 'AppRole' });
    const answer = await metadata(md, '/latest/meta-data/ram/security-credentials/AppRole');
    assert.equal(answer.status, 200);
    creds = JSON.parse(answer.body) as Record<string, string>;
    assert.deepEqual(Object.keys(creds), ['AccessKeyId', 'AccessKeySecret', 'Expiration', 'SecurityToken', 'LastUpdated', 'Code']);
    assert.equal(creds['Code'], 'Success');
    assert.match(creds['Expiration'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal((await metadata(md, '/latest/meta-data/ram/security-credentials/SomeOtherRole')).status, 404);
    // Handing the instance its role is a role assumption, and is audited as one.
    const assumed = server.audited.find((r) => r.eventName === 'AssumeRole' && r.caller.accessKeyId === creds['AccessKeyId']);
    assert.equal(assumed?.requestParameters['InstanceId'], instanceId);
  });

  test('the credentials do what the role allows and nothing more', async () => {
    const session = { accessKeyId: creds['AccessKeyId'] ?? '', accessKeySecret: creds['AccessKeySecret'] ?? '', securityToken: creds['SecurityToken'] ?? '' };
    const who = await stsRpc(server.endpoints.api, session).whoAmI();
    assert.equal(who['Arn'], `acs:ram::${ROOT.accountId}:assumed-role/AppRole/${instanceId}`);
    const app = ramClient(server.apiHost, session);
    await app('ListUsers');
    assert.equal((await ramError(app('CreateUser', { UserName: 'nope' }))).code, 'NoPermission');
  });

  test('a new set is handed out 30 minutes before expiry; the old one stays valid meanwhile', async () => {
    const md = server.endpoints.metadata;
    const again = JSON.parse((await metadata(md, '/latest/meta-data/ram/security-credentials/AppRole')).body) as Record<string, string>;
    assert.equal(again['AccessKeyId'], creds['AccessKeyId'], 'the same set while it is fresh');
    skew = 6 * 60 * 1000; // 35-minute credentials: 29 minutes left, within the renewal window
    try {
      const renewed = JSON.parse((await metadata(md, '/latest/meta-data/ram/security-credentials/AppRole')).body) as Record<string, string>;
      assert.notEqual(renewed['AccessKeyId'], creds['AccessKeyId']);
      assert.ok(Date.parse(renewed['Expiration'] ?? '') > Date.parse(creds['Expiration'] ?? ''));
      for (const set of [creds, renewed]) {
        const who = await stsRpc(server.endpoints.api, { accessKeyId: set['AccessKeyId'] ?? '', accessKeySecret: set['AccessKeySecret'] ?? '', securityToken: set['SecurityToken'] ?? '' }).whoAmI();
        assert.equal(who['IdentityType'], 'AssumedRoleUser');
      }
    } finally {
      skew = 0;
    }
  });

  test('detaching the role refuses the handed-out credentials at the next call, and the endpoint stops serving it', async () => {
    const session = { accessKeyId: creds['AccessKeyId'] ?? '', accessKeySecret: creds['AccessKeySecret'] ?? '', securityToken: creds['SecurityToken'] ?? '' };
    const detached = await ecs(operator)('DetachInstanceRamRole', { InstanceIds: JSON.stringify([instanceId]) });
    assert.equal(detached['FailCount'], 0);
    assert.equal((await ramError(ramClient(server.apiHost, session)('ListUsers'))).code, 'InvalidSecurityToken.Expired');
    assert.equal((await metadata(server.endpoints.metadata, '/latest/meta-data/ram/security-credentials/')).status, 404);
    assert.equal((await metadata(server.endpoints.metadata, '/latest/meta-data/ram/security-credentials/AppRole')).status, 404);
  });

  test('deleting the instance does the same', async () => {
    await ecs(operator)('AttachInstanceRamRole', { RamRoleName: 'AppRole', InstanceIds: JSON.stringify([instanceId]) });
    const set = JSON.parse((await metadata(server.endpoints.metadata, '/latest/meta-data/ram/security-credentials/AppRole')).body) as Record<string, string>;
    const session = { accessKeyId: set['AccessKeyId'] ?? '', accessKeySecret: set['AccessKeySecret'] ?? '', securityToken: set['SecurityToken'] ?? '' };
    await ramClient(server.apiHost, session)('ListUsers');
    await ecs(operator)('DeleteInstance', { InstanceId: instanceId });
    assert.equal((await ramError(ramClient(server.apiHost, session)('ListUsers'))).code, 'InvalidSecurityToken.Expired');
    assert.equal((await metadata(server.endpoints.metadata, '/latest/meta-data/instance-id')).status, 404);
    assert.equal((await failure(ecs(operator)('DeleteInstance', { InstanceId: instanceId }))).code, 'InvalidInstanceId.NotFound');
  });
});

describe('refusals', () => {
  test('a role that does not trust ECS, and a role that does not exist', async () => {
    await admin('CreateRole', { RoleName: 'NotForEcs', AssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] }) });
    const { InstanceId } = await ecs(ROOT)('CreateInstance', { ImageId: 'x', InstanceType: 'y', PrivateIpAddress: '127.0.0.3' });
    const notEcs = await failure(ecs(ROOT)('AttachInstanceRamRole', { RamRoleName: 'NotForEcs', InstanceIds: JSON.stringify([InstanceId]) }));
    assert.deepEqual([notEcs.code, notEcs.data?.['Code']], ['InvalidRamRole.NotEcsRole', 'InvalidRamRole.NotEcsRole']);
    assert.equal((await failure(ecs(ROOT)('CreateInstance', { ImageId: 'x', InstanceType: 'y', RamRoleName: 'NotForEcs' }))).code, 'InvalidRamRole.NotEcsRole');
    assert.equal((await failure(ecs(ROOT)('AttachInstanceRamRole', { RamRoleName: 'Nobody', InstanceIds: JSON.stringify([InstanceId]) }))).code, 'InvalidRamRole.NotFound');
    assert.equal((await failure(ecs(ROOT)('AttachInstanceRamRole', { RamRoleName: 'AppRole', InstanceIds: 'i-1,i-2' }))).code, 'InvalidInstanceIds.Malformed');
    assert.equal((await failure(ecs(ROOT)('CreateInstance', { ImageId: 'x', InstanceType: 'y', PrivateIpAddress: '127.0.0.3' }))).code, 'InvalidPrivateIpAddress.Duplicated');
    assert.equal((await failure(ecs(ROOT)('CreateInstance', { ImageId: 'x', InstanceType: 'y', PrivateIpAddress: 'not-an-ip' }))).code, 'InvalidPrivateIpAddress.Malformed');
  });

  test('an unregistered address gets nothing from the metadata service', async () => {
    for (const path of ['/latest/meta-data/', '/latest/meta-data/instance-id', '/latest/meta-data/ram/security-credentials/AppRole']) {
      assert.equal((await metadata(server.endpoints.metadata, path, { from: '127.0.0.200' })).status, 404, path);
    }
    assert.equal((await metadata(server.endpoints.metadata, '/latest/api/token', { method: 'PUT', from: '127.0.0.200', headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' } })).status, 404);
  });

  test('hardened mode: tokens, their limits, and HttpTokens=required', async () => {
    const { InstanceId } = await ecs(ROOT)('CreateInstance', { ImageId: 'x', InstanceType: 'y', PrivateIpAddress: '127.0.0.4', RamRoleName: 'AppRole' });
    const md = server.endpoints.metadata;
    const from = '127.0.0.4';
    const put = (headers: Record<string, string>) => metadata(md, '/latest/api/token', { method: 'PUT', from, headers });
    for (const ttl of ['0', '21601', 'abc']) assert.equal((await put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': ttl })).status, 400, ttl);
    assert.equal((await put({})).status, 400);
    assert.equal((await put({ 'X-aliyun-ecs-metadata-token-ttl-seconds': '60', 'X-Forwarded-For': '10.0.0.1' })).status, 403);
    const token = (await put({ 'X-aliyun-ecs-metadata-token-ttl-seconds': '21600' })).body;
    const withToken = (t: string) => metadata(md, '/latest/meta-data/ram/security-credentials/AppRole', { from, headers: { 'X-aliyun-ecs-metadata-token': t } });
    assert.equal((await withToken(token)).status, 200);
    assert.equal((await withToken('forged')).status, 401);
    // A token minted for another instance is not this one's.
    const other = (await metadata(md, '/latest/api/token', { method: 'PUT', from: '127.0.0.3', headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' } })).body;
    assert.equal((await withToken(other)).status, 401);
    const short = (await put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '1' })).body;
    skew = 2000;
    try {
      assert.equal((await withToken(short)).status, 401, 'expired');
    } finally {
      skew = 0;
    }
    assert.equal((await metadata(md, '/latest/meta-data/instance-id', { from })).status, 200, 'tokens are optional by default');
    await ecs(ROOT)('ModifyInstanceMetadataOptions', { InstanceId, HttpTokens: 'required' });
    assert.equal((await metadata(md, '/latest/meta-data/instance-id', { from })).status, 403);
    assert.equal((await metadata(md, '/latest/meta-data/instance-id', { from, headers: { 'x-aliyun-ecs-metadata-token': token } })).body, InstanceId);
  });

  test('DescribeInstances shows the registered instances in the real shape', async () => {
    const listed = await ecs(ROOT)('DescribeInstances', { PageSize: 100 });
    const instances = (listed['Instances'] as { Instance: Record<string, unknown>[] }).Instance;
    const one = instances.find((i) => (i['VpcAttributes'] as { PrivateIpAddress: { IpAddress: string[] } }).PrivateIpAddress.IpAddress[0] === '127.0.0.4');
    assert.ok(one);
    assert.equal(one['RamRoleName'], 'AppRole');
    assert.deepEqual(one['MetadataOptions'], { HttpTokens: 'required', HttpEndpoint: 'enabled' });
    assert.equal(listed['TotalCount'], instances.length);
  });
});
