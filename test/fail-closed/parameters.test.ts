// Issue 15, defects 5 and 6: a parameter an action does not honour is refused before anything
// runs, never dropped (sdk-models.test.ts checks every SDK-model parameter is declared or listed
// as refused; this one sends each listed one and an unknown one, and checks nothing changed); and
// an empty value is a value: NewDisplayName="" clears the display name, as Terraform sends it.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { defaultCatalog } from '../../src/services/index.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type RamCall } from '../sdk/ram-client.js';
import { PopCore } from '../sdk/sdk-clients.js';
import { sessionOf, stsRpc } from '../sdk/sts-client.js';
import { refusal, trustAccount, userWithKey } from '../security/fixture.js';

const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526') as Record<string, new (fields: Record<string, unknown>) => unknown> & { default: new (config: unknown) => Record<string, (req: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>> };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

let server: TestServer;
let ram: RamCall;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  ram = ramClient(server.apiHost, root);
});
after(() => server.stop());

const rpc = (version: string) => new PopCore({ ...root, endpoint: server.endpoints.api, apiVersion: version });
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    const err = e as { code?: string; message?: string; data?: { Message?: string } };
    return { code: err.code, message: err.data?.Message ?? err.message ?? '' };
  }
  return { code: 'succeeded', message: '' };
};

test('5: every parameter an action lists as refused is refused when sent, naming it, over RPC', async () => {
  let sent = 0;
  for (const product of defaultCatalog().products) {
    const client = rpc(product.version);
    for (const [name, action] of product.actions) {
      for (const param of action.refused ?? []) {
        const { code, message } = await failure(client.request(name, { [param]: '1' }, { method: 'POST' }));
        assert.equal(code, 'InvalidParameter', `${name} ${param}: ${message}`);
        assert.match(message, new RegExp(`\\b${param}\\b`), `${name} ${param}`);
        sent++;
      }
    }
  }
  assert.ok(sent > 100, `${sent} refusals sent`);
});

test('5: a refused parameter stops the call whole: CreateRole with Tag creates no role, AssumeRole with SourceIdentity is refused whole', async () => {
  const tagged = await failure(rpc('2015-05-01').request('CreateRole', { RoleName: 'tagged', AssumeRolePolicyDocument: trustAccount(ROOT.accountId), 'Tag.1.Key': 'team', 'Tag.1.Value': 'a' }, { method: 'POST' }));
  assert.equal(tagged.code, 'InvalidParameter');
  assert.match(tagged.message, /\bTag\b/);
  assert.equal((await ramError(ram('GetRole', { RoleName: 'tagged' }))).code, 'EntityNotExist.Role');

  await ram('CreateRole', { RoleName: 'plain', AssumeRolePolicyDocument: trustAccount(ROOT.accountId) });
  const alice = await userWithKey(ram, 'alice', { system: ['AliyunSTSAssumeRoleAccess'] });
  const sts = stsRpc(server.endpoints.api, alice);
  const asAlice = new PopCore({ ...alice, endpoint: server.endpoints.api, apiVersion: '2015-04-01' });
  const withSource = await failure(asAlice.request('AssumeRole', { RoleArn: `acs:ram::${ROOT.accountId}:role/plain`, RoleSessionName: 'sess', SourceIdentity: 'alice' }, { method: 'POST' }));
  assert.equal(withSource.code, 'InvalidParameter');
  assert.match(withSource.message, /SourceIdentity/);
  // Without it the same call works: the refusal was the parameter's.
  assert.match(sessionOf(await sts.assumeRole({ RoleArn: `acs:ram::${ROOT.accountId}:role/plain`, RoleSessionName: 'sess' })).accessKeyId, /^STS\./);
});

test('5: a filter that is not honoured is refused rather than answered with every instance (ECS SDK)', async () => {
  const ecs = new Ecs.default(new OpenApi.Config({ ...root, endpoint: server.apiHost, protocol: 'http' }));
  await ecs['createInstance']!(new Ecs['CreateInstanceRequest']!({ regionId: 'cn-hangzhou', imageId: 'img', instanceType: 't' }));
  const filtered = await failure(ecs['describeInstances']!(new Ecs['DescribeInstancesRequest']!({ regionId: 'cn-hangzhou', instanceName: 'nothing-has-this-name' })));
  assert.equal(filtered.code, 'InvalidParameter');
  assert.match(filtered.message, /InstanceName/);
  // A parameter no model has is refused as well.
  const unknown = await failure(rpc('2014-05-26').request('DescribeInstances', { RegionId: 'cn-hangzhou', Flavour: 'x' }, { method: 'POST' }));
  assert.deepEqual([unknown.code, /Flavour/.test(unknown.message)], ['InvalidParameter', true]);
});

test('6: an empty value is a value: NewDisplayName="" clears the display name; an empty name is refused', async () => {
  await ram('CreateUser', { UserName: 'shown', DisplayName: 'Shown Name', Comments: 'kept' });
  await ram('UpdateUser', { UserName: 'shown', NewDisplayName: '' });
  const user = (await ram('GetUser', { UserName: 'shown' }))['User'] as Record<string, unknown>;
  assert.deepEqual([user['DisplayName'] ?? '', user['Comments']], ['', 'kept'], 'cleared, and only what was sent');
  await ram('CreateRole', { RoleName: 'described', AssumeRolePolicyDocument: trustAccount(ROOT.accountId), Description: 'words' });
  await ram('UpdateRole', { RoleName: 'described', NewDescription: '' });
  assert.equal(((await ram('GetRole', { RoleName: 'described' }))['Role'] as Record<string, unknown>)['Description'] ?? '', '');
  // Where the real API takes no empty value, an empty one is an error, not an absent one.
  assert.notEqual(await refusal(ram('CreateUser', { UserName: '' })), 'succeeded');
  assert.notEqual(await refusal(ram('UpdateUser', { UserName: 'shown', NewUserName: '' })), 'succeeded');
  assert.equal(((await ram('GetUser', { UserName: 'shown' }))['User'] as Record<string, unknown>)['UserName'], 'shown');
});
