// Instance roles and the metadata service: a disabled endpoint stays silent, an instance's role
// cannot be deleted from under it, an address is one address however it is spelt, and the
// metadata service never hands out a set the API would refuse.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccount } from '../../src/server/index.js';
import { metadata } from '../helpers/metadata.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { stsRpc } from '../sdk/sts-client.js';
import { ecsClient, instanceCredentials, ramClient, refusal, revokeSessions, trustEcs } from './fixture.js';

let server: TestServer;

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  const root = ramClient(server.apiHost, ROOT);
  await root('CreateRole', { RoleName: 'InstanceRole', AssumeRolePolicyDocument: trustEcs });
  await root('AttachPolicyToRole', { RoleName: 'InstanceRole', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
});
after(() => server.stop());

test('HttpEndpoint=disabled, given at RunInstances or later, silences the metadata service for that instance', async () => {
  const ecs = ecsClient(server, ROOT);
  const ids = (await ecs('RunInstances', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.51', RamRoleName: 'InstanceRole', HttpEndpoint: 'disabled' }))['InstanceIdSets'] as { InstanceIdSet: string[] };
  const instanceId = ids.InstanceIdSet[0] ?? '';
  const md = (path: string) => metadata(server.endpoints.metadata, path, { from: '127.0.0.51' });
  for (const path of ['/latest/meta-data/instance-id', '/latest/meta-data/ram/security-credentials/InstanceRole']) assert.equal((await md(path)).status, 404, path);
  const described = ((await ecs('DescribeInstances', { InstanceIds: JSON.stringify([instanceId]) }))['Instances'] as { Instance: Record<string, unknown>[] }).Instance[0];
  assert.deepEqual(described?.['MetadataOptions'], { HttpTokens: 'optional', HttpEndpoint: 'disabled' });
  await ecs('ModifyInstanceMetadataOptions', { InstanceId: instanceId, HttpEndpoint: 'enabled' });
  assert.equal((await md('/latest/meta-data/instance-id')).body, instanceId);
  await ecs('ModifyInstanceMetadataOptions', { InstanceId: instanceId, HttpEndpoint: 'disabled' });
  assert.equal((await md('/latest/meta-data/ram/security-credentials/InstanceRole')).status, 404);
  const token = await metadata(server.endpoints.metadata, '/latest/api/token', { method: 'PUT', from: '127.0.0.51', headers: { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' } });
  assert.equal(token.status, 404, 'no token either');
});

test("a role an instance holds cannot be deleted from under it (so no namesake can take its place)", async () => {
  const ecs = ecsClient(server, ROOT);
  const root = ramClient(server.apiHost, ROOT);
  await root('CreateRole', { RoleName: 'Held', AssumeRolePolicyDocument: trustEcs });
  const { InstanceId } = await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.52', RamRoleName: 'Held' });
  const refused = await refusal(root('DeleteRole', { RoleName: 'held' }));
  assert.equal(refused, 'DeleteConflict.Role.Instance');
  assert.equal(((await root('GetRole', { RoleName: 'Held' }))['Role'] as Record<string, unknown>)['RoleName'], 'Held');
  await ecs('DetachInstanceRamRole', { InstanceIds: JSON.stringify([InstanceId]) });
  await root('DeleteRole', { RoleName: 'Held' });
});

test('an address is one address however it is spelt, across accounts', async () => {
  await ecsClient(server, ROOT)('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.53' });
  const b = await createAccount(server.store, new Date());
  const other = ecsClient(server, { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret });
  for (const spelling of ['127.0.0.53', '::ffff:127.0.0.53', '0:0:0:0:0:ffff:7f00:35']) {
    assert.equal(await refusal(other('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: spelling })), 'InvalidPrivateIpAddress.Duplicated', spelling);
  }
  assert.equal(await refusal(other('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: 'fe80::1%eth0' })), 'InvalidPrivateIpAddress.Malformed');
  const { InstanceId } = await other('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '0:0:0:0:0:0:0:1' });
  const listed = ((await other('DescribeInstances', { InstanceIds: JSON.stringify([InstanceId]) }))['Instances'] as { Instance: { VpcAttributes: { PrivateIpAddress: { IpAddress: string[] } } }[] }).Instance;
  assert.deepEqual(listed[0]?.VpcAttributes.PrivateIpAddress.IpAddress, ['::1'], 'stored in the form callers are seen in');
});

test('after RevokeRoleSessions the metadata service hands out a new set, never the revoked one', async () => {
  await ecsClient(server, ROOT)('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.54', RamRoleName: 'InstanceRole' });
  const first = await instanceCredentials(server, '127.0.0.54', 'InstanceRole');
  await stsRpc(server.endpoints.api, first).whoAmI();
  await revokeSessions(server, ROOT, 'InstanceRole');
  assert.equal(await refusal(stsRpc(server.endpoints.api, first).whoAmI()), 'InvalidSecurityToken.Expired');
  const next = await instanceCredentials(server, '127.0.0.54', 'InstanceRole');
  assert.notEqual(next.accessKeyId, first.accessKeyId);
  await stsRpc(server.endpoints.api, next).whoAmI();
});

test("AttachInstanceRamRole's Policy is checked like a session policy, and a new one ends the old attachment's sessions", async () => {
  const ecs = ecsClient(server, ROOT);
  const { InstanceId } = await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.55' });
  assert.equal(await refusal(ecs('AttachInstanceRamRole', { RamRoleName: 'InstanceRole', InstanceIds: JSON.stringify([InstanceId]), Policy: '{"Version":"1"}' })), 'InvalidParameter.PolicyGrammar');
  const listOnly = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*' }] });
  await ecs('AttachInstanceRamRole', { RamRoleName: 'InstanceRole', InstanceIds: JSON.stringify([InstanceId]), Policy: listOnly });
  const narrow = await instanceCredentials(server, '127.0.0.55', 'InstanceRole');
  await ramClient(server.apiHost, narrow)('ListUsers');
  assert.equal(await refusal(ramClient(server.apiHost, narrow)('ListRoles')), 'NoPermission');
  // The same role again without the policy: a new attachment, wider, and the narrow set is over.
  await ecs('AttachInstanceRamRole', { RamRoleName: 'InstanceRole', InstanceIds: JSON.stringify([InstanceId]) });
  assert.equal(await refusal(ramClient(server.apiHost, narrow)('ListUsers')), 'InvalidSecurityToken.Expired');
  await ramClient(server.apiHost, await instanceCredentials(server, '127.0.0.55', 'InstanceRole'))('ListRoles');
});
