// Several Rampart nodes on one PostgreSQL database act as one: what is created on one node is
// honoured on the others, what is revoked on one is refused on the others within a second, and a
// signed request used on one node cannot be replayed on another. Driven by the official SDKs
// (RAM through @alicloud/ram20150501) and, for the replay, a hand-signed request sent twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { testSchema, type TestSchema } from '../helpers/postgres.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError } from '../sdk/ram-client.js';

let schema: TestSchema;
const nodes: TestServer[] = [];

before(async () => {
  schema = testSchema();
  const env = {
    RAMPART_ACCOUNT_ID: ROOT.accountId,
    RAMPART_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    RAMPART_ROOT_ACCESS_KEY_SECRET: ROOT.accessKeySecret,
    // Secrets in the shared database are sealed with the master key: every node has the same one.
    RAMPART_MASTER_KEY: randomBytes(32).toString('hex'),
  };
  for (let i = 0; i < 2; i++) nodes.push(await startTestServer({ store: schema.url, env }));
});

after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await schema.drop();
});

/** Polls until check passes; returns how long it took (ms). Fails past the bound. */
async function within(boundMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > boundMs) assert.fail(`not seen within ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('a user and key made on node 1 sign calls on node 2; a detached policy and a disabled key are refused there within a second', async () => {
  const [one, two] = nodes as [TestServer, TestServer];
  const rootOn1 = ramClient(one.apiHost, ROOT);
  await rootOn1('CreateUser', { UserName: 'alice' });
  await rootOn1('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', UserName: 'alice' });
  const key = (await rootOn1('CreateAccessKey', { UserName: 'alice' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
  const aliceOn2 = ramClient(two.apiHost, { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret });
  assert.equal(((await aliceOn2('GetUser', { UserName: 'alice' }))['User'] as { UserName: string }).UserName, 'alice');

  await rootOn1('DetachPolicyFromUser', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', UserName: 'alice' });
  const detachLag = await within(1000, async () => (await ramError(aliceOn2('GetUser', { UserName: 'alice' }))).code === 'NoPermission');
  await rootOn1('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'ReadOnlyAccess', UserName: 'alice' });
  await within(1000, async () => aliceOn2('GetUser', { UserName: 'alice' }).then(() => true, () => false));

  await rootOn1('UpdateAccessKey', { UserName: 'alice', UserAccessKeyId: key.AccessKeyId, Status: 'Inactive' });
  const disableLag = await within(1000, async () => (await ramError(aliceOn2('GetUser', { UserName: 'alice' }))).code === 'InvalidAccessKeyId.Inactive');
  console.log(`cross-node lag: detach ${detachLag.toFixed(1)} ms, disable key ${disableLag.toFixed(1)} ms`);
});

test('a signed request accepted by node 1 is refused as a replay by node 2', async () => {
  const [one, two] = nodes as [TestServer, TestServer];
  const body = encodeParams(signedParams('GetCallerIdentity', ROOT));
  assert.equal((await postForm(one.endpoints.api, body)).status, 200);
  const replay = await postForm(two.endpoints.api, body);
  assert.equal(replay.status, 400);
  assert.equal(replay.json()['Code'], 'SignatureNonceUsed');
});
