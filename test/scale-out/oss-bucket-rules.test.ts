// A bucket's own rules on two nodes of one PostgreSQL database and one Redis: each node keeps the
// buckets it has read in memory, and a change made through one node (a Deny added to the bucket
// policy, an ACL made private, CORS rules removed) holds on the other as soon as its change feed
// hears of it: within the scale-out bound, usually by its next request.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { errorCode, rawOss } from '../helpers/oss-raw.js';
import { testSchema, type TestSchema } from '../helpers/postgres.js';
import { testPrefix, type TestPrefix } from '../helpers/redis.js';
import { ROOT, sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';
import { PROPAGATION_BOUND_MS, within } from '../helpers/within.js';
import { ossClient } from '../sdk/oss-client.js';
import { ramClient } from '../sdk/ram-client.js';

const BUCKET = 'two-node-rules';
let schema: TestSchema;
let prefix: TestPrefix;
let a: TestServer;
let b: TestServer;

before(async () => {
  schema = testSchema();
  prefix = testPrefix();
  const env = sharedNodeEnv();
  a = await startTestServer({ store: schema.url, redis: prefix.url(), env });
  b = await startTestServer({ store: schema.url, redis: prefix.url(), env });
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await Promise.all([schema.drop(), prefix.drop()]);
});

test('a bucket policy Deny, an ACL made private and CORS rules removed on one node hold on the other within the scale-out bound', async () => {
  await ossClient(a.endpoints.oss, ROOT).putBucket(BUCKET, { acl: 'public-read' } as never);
  await ossClient(a.endpoints.oss, ROOT, { bucket: BUCKET }).put('shared.txt', Buffer.from('shared'));
  const ram = ramClient(a.apiHost, ROOT);
  await ram('CreateUser', { UserName: 'reader' });
  const created = (await ram('GetUser', { UserName: 'reader' }))['User'] as Record<string, string>;
  await ram('AttachPolicyToUser', { UserName: 'reader', PolicyType: 'System', PolicyName: 'AliyunOSSReadOnlyAccess' });
  const ak = (await ram('CreateAccessKey', { UserName: 'reader' }))['AccessKey'] as Record<string, string>;
  const reader = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
  await ossClient(a.endpoints.oss, ROOT).putBucketCORS(BUCKET, [{ allowedOrigin: 'https://app.example.com', allowedMethod: ['GET'] }]);

  // Node b reads (and keeps) the bucket as it is now.
  for (let i = 0; i < 3; i++) {
    assert.equal((await rawOss(b.endpoints.oss, { method: 'GET', path: `/${BUCKET}/shared.txt`, creds: reader })).status, 200);
    assert.equal((await fetch(`${b.endpoints.oss}/${BUCKET}/shared.txt`)).status, 200, 'anonymous, public-read');
    const pre = await fetch(`${b.endpoints.oss}/${BUCKET}/shared.txt`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
    assert.equal(pre.status, 200);
  }

  const policy = { Version: '1', Statement: [{ Effect: 'Deny', Action: ['oss:GetObject'], Principal: [created['UserId']], Resource: [`acs:oss:*:*:${BUCKET}/*`] }] };
  await ossClient(a.endpoints.oss, ROOT).putBucketPolicy(BUCKET, policy as never);
  const readOnB = () => rawOss(b.endpoints.oss, { method: 'GET', path: `/${BUCKET}/shared.txt`, creds: reader });
  await within(PROPAGATION_BOUND_MS, async () => (await readOnB()).status !== 200, 'the Deny on node b');
  const denied = await readOnB();
  assert.deepEqual([denied.status, errorCode(denied)], [403, 'AccessDenied'], 'the Deny is what refuses it');

  await ossClient(a.endpoints.oss, ROOT).putBucketACL(BUCKET, 'private');
  await within(PROPAGATION_BOUND_MS, async () => (await fetch(`${b.endpoints.oss}/${BUCKET}/shared.txt`)).status === 403, 'private on node b');

  await ossClient(a.endpoints.oss, ROOT).deleteBucketCORS(BUCKET);
  const preflight = () => fetch(`${b.endpoints.oss}/${BUCKET}/shared.txt`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' } });
  await within(PROPAGATION_BOUND_MS, async () => (await preflight()).status === 403, 'no CORS rules on node b');

  // And back: the policy deleted on node b lets the reader in on node a.
  assert.equal((await rawOss(a.endpoints.oss, { method: 'GET', path: `/${BUCKET}/shared.txt`, creds: reader })).status, 403);
  await ossClient(b.endpoints.oss, ROOT).deleteBucketPolicy(BUCKET);
  await within(PROPAGATION_BOUND_MS, async () => (await rawOss(a.endpoints.oss, { method: 'GET', path: `/${BUCKET}/shared.txt`, creds: reader })).status === 200, 'the policy gone on node a');
});
