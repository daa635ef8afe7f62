// Bucket and object ACLs, bucket policies, CORS (and the preflight), object tagging, lifecycle
// rules, x-oss-forbid-overwrite and UploadPartCopy, driven by the OSS clients Rampart was NOT
// written against: the older aliyun-sdk (its OSS client, V1, path style), @alicloud/oss20190517
// (Tea, V1, endpointType ip) and @alicloud/oss-client (OSS2 signatures, hostModel ip), each as
// its users call it. What each client sends is checked by what Rampart then does: values read
// back, anonymous reads of public objects, preflights answered from the rules, refused
// overwrites. Where a client cannot do something whatever the server (a model it gets wrong, a
// sub-resource it does not sign), the test says so and shows what it sends and what comes back.
// No S3-style client is among the project's dependencies; Rampart takes no AWS signatures (an
// AWS4-HMAC-SHA256 Authorization header is refused as invalid), so none is driven here.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { errorCode, rawOss } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);
// The SDKs and their models, loaded as an application loads them; untyped here (aliyun-sdk ships
// no types, and the Tea models are read back field by field).
type Loose = any;
const ALY = require('aliyun-sdk') as Loose;
const Tea = require('@alicloud/oss20190517') as Loose;
const OpenApi = require('@alicloud/openapi-client') as Loose;
const TeaUtil = require('@alicloud/tea-util') as Loose;
const V2 = require('@alicloud/oss-client') as Loose;
const V2Util = require('@alicloud/oss-util') as Loose;

let server: TestServer;
before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
});
after(() => server.stop());

const oss = () => server.endpoints.oss;
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
/** 300 KiB that differ along their length, so a copied range shows where it came from. */
const SOURCE = Buffer.from(Array.from({ length: 300 * 1024 }, (_, i) => (i * 7 + (i >> 10)) % 251));
const HALF = SOURCE.length / 2;
async function bytesOf(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A read as the root account sees the bucket (hand-signed V1), for what is stored whatever the client reads. */
const asRoot = (method: string, path: string) => rawOss(oss(), { method, path, creds: ROOT });
/** A request with no signature: an anonymous caller. */
const anonymous = (method: string, path: string, headers: Record<string, string> = {}) => rawOss(oss(), { method, path, headers });
/** A browser's preflight. */
const preflight = (path: string, origin: string, method: string, requestHeaders?: string) =>
  anonymous('OPTIONS', path, { origin, 'access-control-request-method': method, ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}) });

const policyFor = (bucket: string) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${bucket}/public/*`] }] });

/** An anonymous read the bucket policy grants. */
async function assertPolicyGrantsAnonymousRead(bucket: string, key: string, body: string): Promise<void> {
  const granted = await anonymous('GET', `/${bucket}/${key}`);
  assert.equal(granted.status, 200, granted.body);
  assert.equal(granted.body, body);
}

/** Origin A may GET and PUT with any header, origin B only GET: what the preflight answers for each. */
async function assertPreflightFollowsRules(bucket: string, key: string): Promise<void> {
  const allowed = await preflight(`/${bucket}/${key}`, 'https://app.example', 'PUT', 'content-type,x-oss-meta-a');
  assert.equal(allowed.status, 200, allowed.body);
  assert.equal(allowed.headers['access-control-allow-origin'], 'https://app.example');
  assert.match(String(allowed.headers['access-control-allow-methods']), /PUT/);
  assert.equal(allowed.headers['access-control-allow-headers'], 'content-type, x-oss-meta-a');
  assert.equal(allowed.headers['access-control-expose-headers'], 'ETag, x-oss-request-id');
  assert.equal(allowed.headers['access-control-max-age'], '600');
  const readOnly = await preflight(`/${bucket}/${key}`, 'https://viewer.example', 'GET');
  assert.equal(readOnly.status, 200, readOnly.body);
  assert.equal(readOnly.headers['access-control-allow-origin'], 'https://viewer.example');
  const refused = await preflight(`/${bucket}/${key}`, 'https://viewer.example', 'PUT');
  assert.equal(refused.status, 403);
  assert.equal(errorCode(refused), 'AccessForbidden');
  // An ordinary answer carries the matching rule's headers too.
  const got = await anonymous('GET', `/${bucket}/${key}`, { origin: 'https://app.example' });
  assert.equal(got.headers['access-control-allow-origin'], 'https://app.example');
}

async function assertNoCors(bucket: string, key: string): Promise<void> {
  const refused = await preflight(`/${bucket}/${key}`, 'https://app.example', 'GET');
  assert.equal(refused.status, 403);
  assert.equal(errorCode(refused), 'AccessForbidden');
}

/** An object's tags as stored, in key order (a set of tags has no order of its own). */
async function assertTags(bucket: string, key: string, expected: [string, string][]): Promise<void> {
  const tags = await asRoot('GET', `/${bucket}/${key}?tagging`);
  assert.equal(tags.status, 200, tags.body);
  assert.match(tags.body, /<Tagging><TagSet>.*<\/TagSet><\/Tagging>/s);
  assert.deepEqual(byKey([...tags.body.matchAll(/<Tag><Key>([^<]*)<\/Key><Value>([^<]*)<\/Value><\/Tag>/g)].map((m) => [m[1] ?? '', m[2] ?? ''])), byKey(expected));
}

const byKey = (pairs: [string, string][]) => [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------------------------------------
// aliyun-sdk: an S3-shaped model (aws-sdk v2's machinery), V1 signatures, path style.

interface AlyAnswer {
  status: number;
  /** The request body as sent. */
  sent: string;
  raw: string;
  data: Loose;
  err: { code?: string; statusCode?: number; message?: string } | null;
}

describe('aliyun-sdk (OSS 2013-10-15, V1, path style)', () => {
  const Bucket = 'aly-features';
  const client = () => new ALY.OSS({ accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.accessKeySecret, endpoint: oss(), apiVersion: '2013-10-15' });
  /**
   * One call as its users make one, with the raw answer kept. `headers` are added as its users add
   * headers its model lacks (x-oss-tagging, x-oss-forbid-overwrite): on the request's 'build'
   * event, before it is signed.
   */
  const call = (method: string, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<AlyAnswer> =>
    new Promise((resolve) => {
      const req = client()[method](params);
      let sent = '';
      req.on('build', () => {
        Object.assign(req.httpRequest.headers, headers);
        sent = String(req.httpRequest.body ?? '');
      });
      req.send(function (this: { httpResponse: { statusCode: number; body?: Buffer } }, err: AlyAnswer['err'], data: Loose) {
        resolve({ status: this.httpResponse.statusCode, sent, raw: String(this.httpResponse.body ?? ''), data, err });
      });
    });
  const ok = async (method: string, params: Record<string, unknown>, headers?: Record<string, string>): Promise<AlyAnswer> => {
    const a = await call(method, params, headers);
    assert.equal(a.err, null, `${method}: ${a.status} ${a.raw}`);
    return a;
  };
  const grantOf = (a: AlyAnswer) => /<Grant>([^<]*)<\/Grant>/.exec(a.raw)?.[1];

  before(async () => {
    await ok('createBucket', { Bucket, ACL: 'private' });
  });

  test('bucket ACL: put and get, and what public-read lets an anonymous caller do', async () => {
    await ok('putObject', { Bucket, Key: 'acl/default.txt', Body: 'bucket-acl' });
    assert.equal(grantOf(await ok('getBucketAcl', { Bucket })), 'private');
    assert.equal((await anonymous('GET', `/${Bucket}/acl/default.txt`)).status, 403);

    await ok('putBucketAcl', { Bucket, ACL: 'public-read' });
    const got = await ok('getBucketAcl', { Bucket });
    assert.equal(grantOf(got), 'public-read');
    assert.equal(got.data.Owner.ID, ROOT.accountId);
    // Its S3 model reads <Grant> as a list of grantee structures: the text comes back split into characters.
    assert.equal(Object.values(got.data.Grants[0]).join(''), 'public-read');
    const read = await anonymous('GET', `/${Bucket}/acl/default.txt`);
    assert.equal(read.status, 200);
    assert.equal(read.body, 'bucket-acl');
    // public-read lets anyone read, not write.
    assert.equal((await anonymous('PUT', `/${Bucket}/acl/anonymous.txt`)).status, 403);

    await ok('putBucketAcl', { Bucket, ACL: 'private' });
    assert.equal(grantOf(await ok('getBucketAcl', { Bucket })), 'private');
    assert.equal((await anonymous('GET', `/${Bucket}/acl/default.txt`)).status, 403);
  });

  test('object ACL: x-oss-object-acl on PutObject, PutObjectACL and GetObjectACL', async () => {
    const put = await call('putObject', { Bucket, Key: 'acl/public.txt', Body: 'public object', ACL: 'public-read' });
    assert.equal(put.status, 200, put.raw);
    assert.equal(grantOf(await ok('getObjectAcl', { Bucket, Key: 'acl/public.txt' })), 'public-read');
    const read = await anonymous('GET', `/${Bucket}/acl/public.txt`);
    assert.equal(read.status, 200);
    assert.equal(read.body, 'public object');

    await ok('putObjectAcl', { Bucket, Key: 'acl/public.txt', ACL: 'private' });
    assert.equal(grantOf(await ok('getObjectAcl', { Bucket, Key: 'acl/public.txt' })), 'private');
    const refused = await anonymous('GET', `/${Bucket}/acl/public.txt`);
    assert.equal(refused.status, 403);
    assert.equal(errorCode(refused), 'AccessDenied');

    await ok('putObjectAcl', { Bucket, Key: 'acl/public.txt', ACL: 'default' });
    assert.equal(grantOf(await ok('getObjectAcl', { Bucket, Key: 'acl/public.txt' })), 'default');
  });

  test('bucket policy: refused as sent, since aliyun-sdk leaves "policy" out of the sub-resources it signs', async () => {
    // The current SDKs (ali-oss, aliyun-oss-go-sdk, the Tea OSS signers) sign ?policy as a
    // sub-resource, and so does Rampart; aliyun-sdk's V1 signer predates bucket policies.
    const put = await call('putBucketPolicy', { Bucket, Policy: policyFor(Bucket) });
    assert.equal(put.status, 403);
    assert.equal(put.err?.code, 'SignatureDoesNotMatch');
    assert.match(put.raw, new RegExp(`<StringToSign>PUT\\n[^\\n]+\\napplication/octet-stream\\n[^\\n]+\\n/${Bucket}/\\?policy</StringToSign>`));
    for (const method of ['getBucketPolicy', 'deleteBucketPolicy']) {
      const a = await call(method, { Bucket });
      assert.equal(a.err?.code, 'SignatureDoesNotMatch', method);
    }
  });

  test('bucket policy: put, get and delete once aliyun-sdk signs ?policy', async () => {
    const subResources = ALY.Signers.OSS.prototype.subResources as Record<string, number>;
    subResources['policy'] = 1;
    try {
      await ok('putObject', { Bucket, Key: 'public/by-policy.txt', Body: 'granted by policy' });
      assert.equal((await anonymous('GET', `/${Bucket}/public/by-policy.txt`)).status, 403);
      await ok('putBucketPolicy', { Bucket, Policy: policyFor(Bucket) });
      const got = await ok('getBucketPolicy', { Bucket });
      assert.deepEqual(JSON.parse(got.data.Policy), JSON.parse(policyFor(Bucket)));
      await assertPolicyGrantsAnonymousRead(Bucket, 'public/by-policy.txt', 'granted by policy');
      // The policy grants public/* only.
      assert.equal((await anonymous('GET', `/${Bucket}/acl/default.txt`)).status, 403);

      const deleted = await ok('deleteBucketPolicy', { Bucket });
      assert.equal(deleted.status, 204);
      const gone = await call('getBucketPolicy', { Bucket });
      assert.equal(gone.status, 404);
      assert.equal(gone.err?.code, 'NoSuchBucketPolicy');
      assert.equal((await anonymous('GET', `/${Bucket}/public/by-policy.txt`)).status, 403);
    } finally {
      delete subResources['policy'];
    }
  });

  test('CORS: put, get and delete the rules, and the preflight they answer', async () => {
    await ok('putObject', { Bucket, Key: 'cors/page.txt', Body: 'page', ACL: 'public-read' });
    const CORSRules = [
      { AllowedOrigins: ['https://app.example'], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['*'], ExposeHeaders: ['ETag', 'x-oss-request-id'], MaxAgeSeconds: 600 },
      { AllowedOrigins: ['https://*.viewer.example', 'https://viewer.example'], AllowedMethods: ['GET'] },
    ];
    const put = await ok('putBucketCors', { Bucket, CORSConfiguration: { CORSRules } });
    assert.equal(put.status, 200);
    const got = await ok('getBucketCors', { Bucket });
    assert.deepEqual(got.data.CORSRules, [
      CORSRules[0],
      // Its parser gives a list the answer leaves out as an empty one.
      { AllowedOrigins: ['https://*.viewer.example', 'https://viewer.example'], AllowedMethods: ['GET'], AllowedHeaders: [], ExposeHeaders: [] },
    ]);
    assert.equal(got.data.ResponseVary, 'false');
    await assertPreflightFollowsRules(Bucket, 'cors/page.txt');

    assert.equal((await ok('deleteBucketCors', { Bucket })).status, 204);
    const gone = await call('getBucketCors', { Bucket });
    assert.equal(gone.status, 404);
    assert.equal(gone.err?.code, 'NoSuchCORSConfiguration');
    await assertNoCors(Bucket, 'cors/page.txt');
  });

  test('lifecycle: put, get and delete rules with Days', async () => {
    const Rules = [
      { ID: 'logs', Prefix: 'logs/', Status: 'Enabled', Expiration: { Days: 30 } },
      { ID: 'tmp', Prefix: 'tmp/', Status: 'Disabled', Expiration: { Days: 1 } },
    ];
    await ok('putBucketLifecycle', { Bucket, LifecycleConfiguration: { Rules } });
    const got = await ok('getBucketLifecycle', { Bucket });
    assert.deepEqual(got.data.Rules, Rules);
    assert.equal((await ok('deleteBucketLifecycle', { Bucket })).status, 204);
    const gone = await call('getBucketLifecycle', { Bucket });
    assert.equal(gone.status, 404);
    assert.equal(gone.err?.code, 'NoSuchLifecycle');
  });

  test('lifecycle: an Expiration by <Date> (its model\'s only absolute form, deprecated in OSS) is refused as not implemented', async () => {
    const answer = await call('putBucketLifecycle', {
      Bucket,
      LifecycleConfiguration: { Rules: [{ ID: 'old', Prefix: 'old/', Status: 'Enabled', Expiration: { Date: new Date('2020-01-01T00:00:00.000Z') } }] },
    });
    assert.match(answer.sent, /<Expiration><Date>2020-01-01T00:00:00\.000Z<\/Date><\/Expiration>/);
    assert.equal(answer.status, 501, answer.raw);
    assert.equal(answer.err?.code, 'NotImplemented');
    // Nothing was stored.
    assert.equal((await call('getBucketLifecycle', { Bucket })).err?.code, 'NoSuchLifecycle');
  });

  test('x-oss-tagging and x-oss-forbid-overwrite on PutObject (headers its model lacks, added before signing)', async () => {
    const put = await ok('putObject', { Bucket, Key: 'tags/once.txt', Body: 'first' }, { 'x-oss-tagging': 'team=infra&stage=prod%20eu', 'x-oss-forbid-overwrite': 'true' });
    assert.equal(put.status, 200);
    await assertTags(Bucket, 'tags/once.txt', [['team', 'infra'], ['stage', 'prod eu']]);
    const head = await ok('getObject', { Bucket, Key: 'tags/once.txt' });
    assert.equal(head.data.TaggingCount, '2');

    const refused = await call('putObject', { Bucket, Key: 'tags/once.txt', Body: 'second' }, { 'x-oss-forbid-overwrite': 'true' });
    assert.equal(refused.status, 409);
    assert.equal(refused.err?.code, 'FileAlreadyExists');
    assert.equal(String((await ok('getObject', { Bucket, Key: 'tags/once.txt' })).data.Body), 'first');
    // "false" overwrites, as without the header.
    await ok('putObject', { Bucket, Key: 'tags/once.txt', Body: 'third' }, { 'x-oss-forbid-overwrite': 'false' });
    assert.equal(String((await ok('getObject', { Bucket, Key: 'tags/once.txt' })).data.Body), 'third');
  });

  test('UploadPartCopy: ranges of an object copied into parts, completed into a new object', async () => {
    await ok('putObject', { Bucket, Key: 'copy/source.bin', Body: SOURCE });
    const { data: init } = await ok('createMultipartUpload', { Bucket, Key: 'copy/target.bin' });
    const parts = [];
    for (const [PartNumber, range] of [[1, `bytes=${HALF}-${SOURCE.length - 1}`], [2, `bytes=0-${HALF - 1}`]] as const) {
      const { data } = await ok('uploadPartCopy', { Bucket, Key: 'copy/target.bin', UploadId: init.UploadId, PartNumber, CopySource: `/${Bucket}/copy/source.bin`, CopySourceRange: range });
      parts.push({ PartNumber, ETag: data.ETag });
    }
    assert.equal(parts[0]?.ETag, `"${md5(SOURCE.subarray(HALF)).toUpperCase()}"`);
    await ok('completeMultipartUpload', { Bucket, Key: 'copy/target.bin', UploadId: init.UploadId, CompleteMultipartUpload: { Parts: parts } });
    const got = await ok('getObject', { Bucket, Key: 'copy/target.bin' });
    assert.ok(Buffer.from(got.data.Body).equals(Buffer.concat([SOURCE.subarray(HALF), SOURCE.subarray(0, HALF)])));
  });
});

// ---------------------------------------------------------------------------------------------
// @alicloud/oss20190517: the generated Tea client of OSS's 2019-05-17 API, V1 signatures.

/**
 * This client parses every 2xx body as its operation's format (XML; JSON for PutBucketPolicy), so
 * the empty 200 OSS answers PutBucketAcl, PutObjectAcl, PutObjectTagging, PutBucketCors,
 * PutBucketLifecycle, PutBucketPolicy and OPTIONS with throws in the client after the server did
 * the work. Only those two parse errors are taken as done; an error answer throws with its code.
 */
async function teaEmptyAnswer(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    const message = String((e as Error).message);
    if (message === 'not a valid value for parameter' || message.includes('Unexpected end of JSON input')) return;
    throw e;
  }
}

async function teaError(p: Promise<unknown>): Promise<{ code?: string; data?: { statusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string };
  }
  throw new Error('expected the call to fail');
}

/**
 * Its XML writer names a document after the request's one field (<TagSet>, <Rule>, <Part>) or,
 * with two, <root>, where OSS wants <Tagging>, <LifecycleConfiguration>, <CompleteMultipartUpload>
 * and <CORSConfiguration>. Its users get a well-formed document by giving the field the document
 * itself, rooted, set after the request is built (its constructor would recast a map to the model).
 */
const rooted = <T extends object>(request: T, field: string, root: string, model: unknown): T => Object.assign(request, { [field]: { [root]: model } });

describe('@alicloud/oss20190517 (Tea, V1, endpointType ip)', () => {
  const bucket = 'tea-features';
  let client: Loose;
  const runtime = () => new TeaUtil.RuntimeOptions({});
  const body = (b: string | Buffer) => Readable.from([Buffer.from(b)]);
  const put = (key: string, content: string | Buffer, headers: Record<string, unknown> = {}) =>
    client.putObjectWithOptions(bucket, key, new Tea.PutObjectRequest({ body: body(content) }), new Tea.PutObjectHeaders(headers), runtime());
  const tags = (pairs: [string, string][]) => new Tea.Tagging({ tagSet: new Tea.TagSet({ tags: pairs.map(([key, value]) => new Tea.Tag({ key, value })) }) });

  before(async () => {
    const host = new URL(oss()).host;
    client = new Tea.default(new OpenApi.Config({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: host, protocol: 'http', endpointType: 'ip', regionId: 'cn-hangzhou' }));
    // Its PutBucket's empty 200 throws the same way; the bucket is there all the same.
    await teaEmptyAnswer(client.putBucket(bucket, new Tea.PutBucketRequest({})));
    assert.equal((await asRoot('GET', `/${bucket}?bucketInfo`)).status, 200);
  });

  test('bucket ACL: put and get, and what public-read lets an anonymous caller do', async () => {
    await put('acl/default.txt', 'bucket-acl');
    assert.equal((await client.getBucketAcl(bucket)).body.accessControlList.grant, 'private');
    await teaEmptyAnswer(client.putBucketAclWithOptions(bucket, new Tea.PutBucketAclHeaders({ acl: 'public-read' }), runtime()));
    const got = (await client.getBucketAcl(bucket)).body;
    assert.equal(got.accessControlList.grant, 'public-read');
    assert.equal(got.owner.ID, ROOT.accountId);
    assert.equal((await anonymous('GET', `/${bucket}/acl/default.txt`)).body, 'bucket-acl');
    await teaEmptyAnswer(client.putBucketAclWithOptions(bucket, new Tea.PutBucketAclHeaders({ acl: 'private' }), runtime()));
    assert.equal((await client.getBucketAcl(bucket)).body.accessControlList.grant, 'private');
    assert.equal((await anonymous('GET', `/${bucket}/acl/default.txt`)).status, 403);
    // A value OSS does not know is refused with its name.
    const bad = await teaError(client.putBucketAclWithOptions(bucket, new Tea.PutBucketAclHeaders({ acl: 'public' }), runtime()));
    assert.equal(bad.code, 'InvalidArgument');
  });

  test('object ACL: x-oss-object-acl on PutObject, PutObjectACL and GetObjectACL', async () => {
    await put('acl/public.txt', 'public object', { acl: 'public-read' });
    const acl = async () => (await client.getObjectAcl(bucket, 'acl/public.txt', new Tea.GetObjectAclRequest({}))).body.accessControlList;
    assert.deepEqual({ ...(await acl()) }, { ACL: 'public-read' });
    assert.equal((await anonymous('GET', `/${bucket}/acl/public.txt`)).body, 'public object');
    await teaEmptyAnswer(client.putObjectAclWithOptions(bucket, 'acl/public.txt', new Tea.PutObjectAclRequest({}), new Tea.PutObjectAclHeaders({ acl: 'private' }), runtime()));
    assert.equal((await acl()).ACL, 'private');
    assert.equal((await anonymous('GET', `/${bucket}/acl/public.txt`)).status, 403);
  });

  test('bucket policy: put, get and delete', async () => {
    await put('public/by-policy.txt', 'granted by policy');
    assert.equal((await anonymous('GET', `/${bucket}/public/by-policy.txt`)).status, 403);
    await teaEmptyAnswer(client.putBucketPolicy(bucket, new Tea.PutBucketPolicyRequest({ policy: policyFor(bucket) })));
    const got = (await client.getBucketPolicy(bucket)).body;
    assert.deepEqual(JSON.parse(got), JSON.parse(policyFor(bucket)));
    await assertPolicyGrantsAnonymousRead(bucket, 'public/by-policy.txt', 'granted by policy');
    assert.equal((await client.deleteBucketPolicy(bucket)).statusCode, 204);
    const gone = await teaError(client.getBucketPolicy(bucket));
    assert.equal(gone.code, 'NoSuchBucketPolicy');
    assert.equal((await anonymous('GET', `/${bucket}/public/by-policy.txt`)).status, 403);
    // A document that is not a policy is refused, and nothing is stored.
    const bad = await teaError(client.putBucketPolicy(bucket, new Tea.PutBucketPolicyRequest({ policy: '{"Version":"1"}' })));
    assert.equal(bad.code, 'InvalidPolicyDocument');
    assert.equal((await teaError(client.getBucketPolicy(bucket))).code, 'NoSuchBucketPolicy');
  });

  test('CORS: put, get and delete the rules, and the preflight they answer', async () => {
    await put('cors/page.txt', 'page', { acl: 'public-read' });
    // Its reader casts a list only when it holds two or more (one comes back as a string and fails
    // the cast), so every list here has two, except AllowedHeader, which its model holds as one string.
    const config = () =>
      new Tea.CORSConfiguration({
        CORSRule: [
          new Tea.CORSRule({ allowedOrigin: ['https://app.example', 'https://admin.example'], allowedMethod: ['GET', 'PUT'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: 600 }),
          new Tea.CORSRule({ allowedOrigin: ['https://*.viewer.example', 'https://viewer.example'], allowedMethod: ['GET', 'HEAD'] }),
        ],
        responseVary: true,
      });
    // As the client writes it: <root><CORSRule>…</CORSRule><ResponseVary>…</root>.
    const asWritten = await teaError(client.putBucketCors(bucket, new Tea.PutBucketCorsRequest({ cORSConfiguration: config() })));
    assert.equal(asWritten.code, 'MalformedXML');
    assert.equal((await teaError(client.getBucketCors(bucket))).code, 'NoSuchCORSConfiguration');

    await teaEmptyAnswer(client.putBucketCors(bucket, rooted(new Tea.PutBucketCorsRequest({}), 'cORSConfiguration', 'CORSConfiguration', config())));
    const got = (await client.getBucketCors(bucket)).body;
    assert.equal(got.responseVary, true);
    assert.deepEqual(
      got.CORSRule.map((r: Loose) => ({ ...r })),
      [
        { allowedOrigin: ['https://app.example', 'https://admin.example'], allowedMethod: ['GET', 'PUT'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: 600 },
        { allowedOrigin: ['https://*.viewer.example', 'https://viewer.example'], allowedMethod: ['GET', 'HEAD'] },
      ],
    );
    await assertPreflightFollowsRules(bucket, 'cors/page.txt');
    // ResponseVary: every answer for the bucket says it varies by Origin.
    assert.equal((await anonymous('GET', `/${bucket}/cors/page.txt`)).headers['vary'], 'Origin');
    // Its own OptionObject: a 200 (a refusal would throw AccessForbidden), whose empty body it cannot parse.
    const optionHeaders = (origin: string, method: string) => new Tea.OptionObjectHeaders({ origin, accessControlRequestMethod: method, accessControlRequestHeaders: 'content-type' });
    await teaEmptyAnswer(client.optionObjectWithOptions(bucket, 'cors/page.txt', optionHeaders('https://app.example', 'PUT'), runtime()));
    assert.equal((await teaError(client.optionObjectWithOptions(bucket, 'cors/page.txt', optionHeaders('https://evil.example', 'PUT'), runtime()))).code, 'AccessForbidden');

    assert.equal((await client.deleteBucketCors(bucket)).statusCode, 204);
    assert.equal((await teaError(client.getBucketCors(bucket))).code, 'NoSuchCORSConfiguration');
    await assertNoCors(bucket, 'cors/page.txt');
  });

  test('object tagging: x-oss-tagging on PutObject, then put, get and delete the tags', async () => {
    await put('tags/a.txt', 'tagged', { tagging: 'team=infra&stage=prod%20eu' });
    const read = async () => (await client.getObjectTagging(bucket, 'tags/a.txt', new Tea.GetObjectTaggingRequest({}))).body.tagSet;
    assert.deepEqual(byKey((await read()).tags.map((t: Loose) => [t.key, t.value])), byKey([['team', 'infra'], ['stage', 'prod eu']]));

    // As the client writes it: <TagSet>…</TagSet>, without the <Tagging> around it.
    const asWritten = await teaError(client.putObjectTagging(bucket, 'tags/a.txt', new Tea.PutObjectTaggingRequest({ tagging: tags([['k', 'v']]) })));
    assert.equal(asWritten.code, 'MalformedXML');

    await teaEmptyAnswer(client.putObjectTagging(bucket, 'tags/a.txt', rooted(new Tea.PutObjectTaggingRequest({}), 'tagging', 'Tagging', tags([['owner', 'alice'], ['tier', 'hot']]))));
    assert.deepEqual(byKey((await read()).tags.map((t: Loose) => [t.key, t.value])), [['owner', 'alice'], ['tier', 'hot']]);
    assert.equal((await client.deleteObjectTagging(bucket, 'tags/a.txt', new Tea.DeleteObjectTaggingRequest({}))).statusCode, 204);
    await assertTags(bucket, 'tags/a.txt', []);
  });

  test('lifecycle: put, get and delete rules (Days, CreatedBeforeDate, AbortMultipartUpload, tags)', async () => {
    const rules = () => [
      new Tea.LifecycleRule({ ID: 'logs', prefix: 'logs/', status: 'Enabled', lifecycleExpiration: new Tea.LifecycleRuleLifecycleExpiration({ days: 30 }) }),
      new Tea.LifecycleRule({ ID: 'uploads', prefix: 'tmp/', status: 'Enabled', lifecycleAbortMultipartUpload: new Tea.LifecycleRuleLifecycleAbortMultipartUpload({ days: 2 }) }),
      new Tea.LifecycleRule({
        ID: 'old',
        prefix: 'old/',
        status: 'Disabled',
        tag: [new Tea.Tag({ key: 'a', value: '1' }), new Tea.Tag({ key: 'b', value: '2' })],
        lifecycleExpiration: new Tea.LifecycleRuleLifecycleExpiration({ createdBeforeDate: '2020-01-01T00:00:00.000Z' }),
      }),
    ];
    // As the client writes it: <Rule> as the root, every rule's elements run together in it.
    const asWritten = await teaError(client.putBucketLifecycle(bucket, new Tea.PutBucketLifecycleRequest({ lifecycleConfiguration: new Tea.LifecycleConfiguration({ rule: rules() }) })));
    assert.equal(asWritten.code, 'MalformedXML');

    await teaEmptyAnswer(client.putBucketLifecycle(bucket, rooted(new Tea.PutBucketLifecycleRequest({}), 'lifecycleConfiguration', 'LifecycleConfiguration', new Tea.LifecycleConfiguration({ rule: rules() }))));
    const got = (await client.getBucketLifecycle(bucket)).body.rules.map((r: Loose) => ({
      ID: r.ID,
      prefix: r.prefix,
      status: r.status,
      expiration: r.lifecycleExpiration && { ...r.lifecycleExpiration },
      abort: r.lifecycleAbortMultipartUpload && { ...r.lifecycleAbortMultipartUpload },
      tags: (r.tag ?? []).map((t: Loose) => [t.key, t.value]),
    }));
    assert.equal(got.length, 3);
    assert.deepEqual(got.map((r: Loose) => [r.ID, r.prefix, r.status]), [['logs', 'logs/', 'Enabled'], ['uploads', 'tmp/', 'Enabled'], ['old', 'old/', 'Disabled']]);
    assert.equal(got[0].expiration.days, 30);
    assert.equal(got[1].abort.days, 2);
    assert.equal(got[2].expiration.createdBeforeDate, '2020-01-01T00:00:00.000Z');
    assert.deepEqual(got[2].tags, [['a', '1'], ['b', '2']]);

    assert.equal((await client.deleteBucketLifecycle(bucket)).statusCode, 204);
    assert.equal((await teaError(client.getBucketLifecycle(bucket))).code, 'NoSuchLifecycle');
  });

  test('x-oss-forbid-overwrite on PutObject, InitiateMultipartUpload and CompleteMultipartUpload', async () => {
    await put('once.txt', 'first', { forbidOverwrite: true });
    const refused = await teaError(put('once.txt', 'second', { forbidOverwrite: true }));
    assert.equal(refused.code, 'FileAlreadyExists');
    assert.equal(refused.data?.statusCode, 409);
    assert.equal((await asRoot('GET', `/${bucket}/once.txt`)).body, 'first');

    // A multipart upload asked not to overwrite, completed after the key was taken meanwhile.
    const init = (await client.initiateMultipartUploadWithOptions(bucket, 'race.bin', new Tea.InitiateMultipartUploadRequest({}), new Tea.InitiateMultipartUploadHeaders({ forbidOverwrite: true }), runtime())).body;
    // UploadPart's 200 has no body either, so its ETag (the part's MD5) is not handed back: the test knows it.
    await teaEmptyAnswer(client.uploadPart(bucket, 'race.bin', new Tea.UploadPartRequest({ partNumber: 1, uploadId: init.uploadId, body: body('parts') })));
    await put('race.bin', 'won the race');
    const complete = rooted(new Tea.CompleteMultipartUploadRequest({ uploadId: init.uploadId }), 'body', 'CompleteMultipartUpload', { Part: [{ PartNumber: 1, ETag: `"${md5(Buffer.from('parts')).toUpperCase()}"` }] });
    const lost = await teaError(client.completeMultipartUploadWithOptions(bucket, 'race.bin', complete, new Tea.CompleteMultipartUploadHeaders({ forbidOverwrite: true }), runtime()));
    assert.equal(lost.code, 'FileAlreadyExists');
    assert.equal((await asRoot('GET', `/${bucket}/race.bin`)).body, 'won the race');
  });

  test('UploadPartCopy: ranges of an object copied into parts, completed into a new object', async () => {
    await put('copy/source.bin', SOURCE);
    const init = (await client.initiateMultipartUpload(bucket, 'copy/target.bin', new Tea.InitiateMultipartUploadRequest({}))).body;
    const parts = [];
    for (const [partNumber, range] of [[1, `bytes=${HALF}-${SOURCE.length - 1}`], [2, `bytes=0-${HALF - 1}`]] as const) {
      const copied = await client.uploadPartCopyWithOptions(
        bucket,
        'copy/target.bin',
        new Tea.UploadPartCopyRequest({ partNumber, uploadId: init.uploadId }),
        new Tea.UploadPartCopyHeaders({ copySource: `/${bucket}/copy/source.bin`, copySourceRange: range }),
        runtime(),
      );
      assert.equal(copied.headers['content-range'], `bytes ${range.slice(6)}/${SOURCE.length}`);
      parts.push({ PartNumber: partNumber, ETag: copied.body.ETag });
    }
    assert.equal(parts[1]?.ETag, `"${md5(SOURCE.subarray(0, HALF)).toUpperCase()}"`);
    const complete = rooted(new Tea.CompleteMultipartUploadRequest({ uploadId: init.uploadId }), 'body', 'CompleteMultipartUpload', { Part: parts });
    await client.completeMultipartUploadWithOptions(bucket, 'copy/target.bin', complete, new Tea.CompleteMultipartUploadHeaders({}), runtime());
    const got = await client.getObject(bucket, 'copy/target.bin', new Tea.GetObjectRequest({}));
    assert.ok((await bytesOf(got.body)).equals(Buffer.concat([SOURCE.subarray(HALF), SOURCE.subarray(0, HALF)])));
  });
});

// ---------------------------------------------------------------------------------------------
// @alicloud/oss-client: the older Tea OSS client, OSS2 (V2) signatures.

describe('@alicloud/oss-client (OSS2 signatures, hostModel ip)', () => {
  const bucketName = 'v2-features';
  let client: Loose;
  const runtime = () => new V2Util.RuntimeOptions({});
  const put = (objectName: string, content: string | Buffer, header: Record<string, unknown> = {}) =>
    client.putObject(new V2.PutObjectRequest({ bucketName, objectName, body: Readable.from([Buffer.from(content)]), header: new V2.PutObjectRequestHeader(header) }), runtime());
  const v2Error = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as { code?: string; data?: Record<string, unknown> };
    }
    throw new Error('expected the call to fail');
  };

  before(async () => {
    const host = new URL(oss()).host;
    client = new V2.default(new V2.Config({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: host, protocol: 'http', regionId: 'cn-hangzhou', hostModel: 'ip' }));
    const body = new V2.PutBucketRequestBody({ createBucketConfiguration: new V2.PutBucketRequestBodyCreateBucketConfiguration({ storageClass: 'Standard' }) });
    await client.putBucket(new V2.PutBucketRequest({ bucketName, body, header: new V2.PutBucketRequestHeader({ acl: 'public-read' }) }), runtime());
  });

  const bucketAcl = async () => (await client.getBucketAcl(new V2.GetBucketAclRequest({ bucketName }), runtime())).accessControlPolicy;

  test('bucket ACL: x-oss-acl on PutBucket, PutBucketAcl and GetBucketAcl, and what public-read lets an anonymous caller do', async () => {
    await put('acl/default.txt', 'bucket-acl');
    const created = await bucketAcl();
    assert.equal(created.accessControlList.grant, 'public-read');
    assert.equal(created.owner.iD, ROOT.accountId);
    assert.equal((await anonymous('GET', `/${bucketName}/acl/default.txt`)).body, 'bucket-acl');
    // public-read-write: anonymous writes as well.
    await client.putBucketAcl(new V2.PutBucketAclRequest({ bucketName, header: new V2.PutBucketAclRequestHeader({ acl: 'public-read-write' }) }), runtime());
    assert.equal((await bucketAcl()).accessControlList.grant, 'public-read-write');
    assert.equal((await rawOss(oss(), { method: 'PUT', path: `/${bucketName}/acl/anonymous.txt`, body: 'anyone' })).status, 200);
    await client.putBucketAcl(new V2.PutBucketAclRequest({ bucketName, header: new V2.PutBucketAclRequestHeader({ acl: 'private' }) }), runtime());
    assert.equal((await bucketAcl()).accessControlList.grant, 'private');
    assert.equal((await anonymous('GET', `/${bucketName}/acl/default.txt`)).status, 403);
  });

  test('object ACL: x-oss-object-acl on PutObject, PutObjectACL and GetObjectACL', async () => {
    await put('acl/public.txt', 'public object', { objectAcl: 'public-read' });
    const acl = async () => (await client.getObjectAcl(new V2.GetObjectAclRequest({ bucketName, objectName: 'acl/public.txt' }), runtime())).accessControlPolicy.accessControlList.grant;
    assert.equal(await acl(), 'public-read');
    assert.equal((await anonymous('GET', `/${bucketName}/acl/public.txt`)).body, 'public object');
    await client.putObjectAcl(new V2.PutObjectAclRequest({ bucketName, objectName: 'acl/public.txt', header: new V2.PutObjectAclRequestHeader({ objectAcl: 'private' }) }), runtime());
    assert.equal(await acl(), 'private');
    assert.equal((await anonymous('GET', `/${bucketName}/acl/public.txt`)).status, 403);
    const bad = await v2Error(client.putObjectAcl(new V2.PutObjectAclRequest({ bucketName, objectName: 'acl/public.txt', header: new V2.PutObjectAclRequestHeader({ objectAcl: 'everyone' }) }), runtime()));
    assert.equal(bad.code, 'InvalidArgument');
  });

  test('CORS: put, get and delete the rules, and the preflight they answer (its own OptionObject too)', async () => {
    await put('cors/page.txt', 'page', { objectAcl: 'public-read' });
    const Rule = V2.PutBucketCORSRequestBodyCORSConfigurationCORSRule;
    const cORSRule = [
      new Rule({ allowedOrigin: ['https://app.example'], allowedMethod: ['GET', 'PUT'], allowedHeader: ['*'], exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: '600' }),
      new Rule({ allowedOrigin: ['https://*.viewer.example', 'https://viewer.example'], allowedMethod: ['GET'] }),
    ];
    const body = new V2.PutBucketCORSRequestBody({ cORSConfiguration: new V2.PutBucketCORSRequestBodyCORSConfiguration({ cORSRule }) });
    await client.putBucketCORS(new V2.PutBucketCORSRequest({ bucketName, body }), runtime());
    // Its GetBucketCORS model keeps only MaxAgeSeconds of a rule; the rest is checked from the document.
    const got = (await client.getBucketCORS(new V2.GetBucketCORSRequest({ bucketName }), runtime())).cORSConfiguration;
    assert.deepEqual(got.cORSRule.map((r: Loose) => r.maxAgeSeconds), ['600', '']);
    const stored = (await asRoot('GET', `/${bucketName}?cors`)).body;
    assert.match(stored, /<CORSRule><AllowedOrigin>https:\/\/app\.example<\/AllowedOrigin><AllowedMethod>GET<\/AllowedMethod><AllowedMethod>PUT<\/AllowedMethod><AllowedHeader>\*<\/AllowedHeader><ExposeHeader>ETag<\/ExposeHeader><ExposeHeader>x-oss-request-id<\/ExposeHeader><MaxAgeSeconds>600<\/MaxAgeSeconds><\/CORSRule>/);
    assert.match(stored, /<CORSRule><AllowedOrigin>https:\/\/\*\.viewer\.example<\/AllowedOrigin><AllowedOrigin>https:\/\/viewer\.example<\/AllowedOrigin><AllowedMethod>GET<\/AllowedMethod><\/CORSRule><ResponseVary>false<\/ResponseVary>/);
    await assertPreflightFollowsRules(bucketName, 'cors/page.txt');

    const option = (origin: string, method: string) =>
      client.optionObject(new V2.OptionObjectRequest({ bucketName, objectName: 'cors/page.txt', header: new V2.OptionObjectRequestHeader({ origin, accessControlRequestMethod: method, accessControlRequestHeaders: 'content-type' }) }), runtime());
    const answered = await option('https://app.example', 'PUT');
    assert.equal(answered.accessControlAllowOrigin, 'https://app.example');
    assert.equal(answered.accessControlAllowMethods, 'GET, PUT');
    assert.equal(answered.accessControlAllowHeaders, 'content-type');
    assert.equal(answered.accessControlExposeHeaders, 'ETag, x-oss-request-id');
    assert.equal(answered.accessControlMaxAge, '600');
    assert.equal((await v2Error(option('https://viewer.example', 'PUT'))).code, 'AccessForbidden');

    await client.deleteBucketCORS(new V2.DeleteBucketCORSRequest({ bucketName }), runtime());
    assert.equal((await v2Error(client.getBucketCORS(new V2.GetBucketCORSRequest({ bucketName }), runtime()))).code, 'NoSuchCORSConfiguration');
    await assertNoCors(bucketName, 'cors/page.txt');
  });

  test('object tagging: x-oss-tagging on PutObject, then put, get and delete the tags', async () => {
    await put('tags/a.txt', 'tagged', { tagging: 'team=infra&stage=prod%20eu' });
    const read = async () => (await client.getObjectTagging(new V2.GetObjectTaggingRequest({ bucketName, objectName: 'tags/a.txt' }), runtime())).tagging.tagSet.tag.map((t: Loose) => [t.key, t.value]);
    assert.deepEqual(byKey(await read()), byKey([['team', 'infra'], ['stage', 'prod eu']]));
    const Tag = V2.PutObjectTaggingRequestBodyTaggingTagSetTag;
    const tagSet = new V2.PutObjectTaggingRequestBodyTaggingTagSet({ tag: [new Tag({ key: 'owner', value: 'alice' }), new Tag({ key: 'tier', value: 'hot' })] });
    const body = new V2.PutObjectTaggingRequestBody({ tagging: new V2.PutObjectTaggingRequestBodyTagging({ tagSet }) });
    await client.putObjectTagging(new V2.PutObjectTaggingRequest({ bucketName, objectName: 'tags/a.txt', body }), runtime());
    assert.deepEqual(byKey(await read()), [['owner', 'alice'], ['tier', 'hot']]);
    await client.deleteObjectTagging(new V2.DeleteObjectTaggingRequest({ bucketName, objectName: 'tags/a.txt' }), runtime());
    assert.deepEqual(await read(), []);
    // A tag OSS would refuse (a key too long) is refused, the tags left as they were.
    const tooLong = new V2.PutObjectTaggingRequestBody({ tagging: new V2.PutObjectTaggingRequestBodyTagging({ tagSet: new V2.PutObjectTaggingRequestBodyTaggingTagSet({ tag: [new Tag({ key: 'k'.repeat(129), value: 'v' })] }) }) });
    assert.equal((await v2Error(client.putObjectTagging(new V2.PutObjectTaggingRequest({ bucketName, objectName: 'tags/a.txt', body: tooLong }), runtime()))).code, 'InvalidArgument');
  });

  test('lifecycle: put, get and delete rules (Days, CreatedBeforeDate, AbortMultipartUpload, a tag)', async () => {
    const Rule = V2.PutBucketLifecycleRequestBodyLifecycleConfigurationRule;
    const Expiration = V2.PutBucketLifecycleRequestBodyLifecycleConfigurationRuleExpiration;
    const rule = [
      new Rule({ iD: 'logs', prefix: 'logs/', status: 'Enabled', expiration: new Expiration({ days: 30 }) }),
      new Rule({ iD: 'uploads', prefix: 'tmp/', status: 'Enabled', abortMultipartUpload: new V2.PutBucketLifecycleRequestBodyLifecycleConfigurationRuleAbortMultipartUpload({ createdBeforeDate: '2020-01-01T00:00:00.000Z' }) }),
      new Rule({ iD: 'old', prefix: 'old/', status: 'Disabled', tag: new V2.PutBucketLifecycleRequestBodyLifecycleConfigurationRuleTag({ key: 'a', value: '1' }), expiration: new Expiration({ createdBeforeDate: '2020-01-01T00:00:00.000Z' }) }),
    ];
    const body = new V2.PutBucketLifecycleRequestBody({ lifecycleConfiguration: new V2.PutBucketLifecycleRequestBodyLifecycleConfiguration({ rule }) });
    await client.putBucketLifecycle(new V2.PutBucketLifecycleRequest({ bucketName, body }), runtime());
    const got = (await client.getBucketLifecycle(new V2.GetBucketLifecycleRequest({ bucketName }), runtime())).lifecycleConfiguration.rule;
    assert.deepEqual(got.map((r: Loose) => [r.iD, r.prefix, r.status]), [['logs', 'logs/', 'Enabled'], ['uploads', 'tmp/', 'Enabled'], ['old', 'old/', 'Disabled']]);
    assert.equal(got[0].expiration.days, 30);
    assert.equal(got[1].abortMultipartUpload.createdBeforeDate, '2020-01-01T00:00:00.000Z');
    assert.equal(got[2].expiration.createdBeforeDate, '2020-01-01T00:00:00.000Z');
    assert.deepEqual([got[2].tag.key, got[2].tag.value], ['a', '1']);

    // Two rules for one prefix and one action overlap: refused, the rules left as they were.
    const overlapping = new V2.PutBucketLifecycleRequestBody({ lifecycleConfiguration: new V2.PutBucketLifecycleRequestBodyLifecycleConfiguration({ rule: [rule[0], new Rule({ iD: 'logs2', prefix: 'logs/old/', status: 'Enabled', expiration: new Expiration({ days: 5 }) })] }) });
    assert.equal((await v2Error(client.putBucketLifecycle(new V2.PutBucketLifecycleRequest({ bucketName, body: overlapping }), runtime()))).code, 'InvalidRequest');
    assert.equal((await client.getBucketLifecycle(new V2.GetBucketLifecycleRequest({ bucketName }), runtime())).lifecycleConfiguration.rule.length, 3);

    await client.deleteBucketLifecycle(new V2.DeleteBucketLifecycleRequest({ bucketName }), runtime());
    assert.equal((await v2Error(client.getBucketLifecycle(new V2.GetBucketLifecycleRequest({ bucketName }), runtime()))).code, 'NoSuchLifecycle');
  });

  test('UploadPartCopy: ranges of an object copied into parts, completed into a new object', async () => {
    await put('copy/source.bin', SOURCE);
    // Its InitiateMultipartUpload needs a filter, even an empty one, to sign the request.
    const init = await client.initiateMultipartUpload(new V2.InitiateMultipartUploadRequest({ bucketName, objectName: 'copy/target.bin', filter: new V2.InitiateMultipartUploadRequestFilter({}) }), runtime());
    const uploadId = init.initiateMultipartUploadResult.uploadId;
    const Part = V2.CompleteMultipartUploadRequestBodyCompleteMultipartUploadPart;
    const part = [];
    for (const [partNumber, range] of [[1, `bytes=${HALF}-${SOURCE.length - 1}`], [2, `bytes=0-${HALF - 1}`]] as const) {
      const copied = await client.uploadPartCopy(
        new V2.UploadPartCopyRequest({
          bucketName,
          objectName: 'copy/target.bin',
          filter: new V2.UploadPartCopyRequestFilter({ partNumber: String(partNumber), uploadId }),
          header: new V2.UploadPartCopyRequestHeader({ copySource: `/${bucketName}/copy/source.bin`, copySourceRange: range }),
        }),
        runtime(),
      );
      part.push(new Part({ partNumber: String(partNumber), eTag: copied.copyPartResult.eTag }));
    }
    const body = new V2.CompleteMultipartUploadRequestBody({ completeMultipartUpload: new V2.CompleteMultipartUploadRequestBodyCompleteMultipartUpload({ part }) });
    await client.completeMultipartUpload(new V2.CompleteMultipartUploadRequest({ bucketName, objectName: 'copy/target.bin', filter: new V2.CompleteMultipartUploadRequestFilter({ uploadId }), body }), runtime());
    const got = await client.getObject(new V2.GetObjectRequest({ bucketName, objectName: 'copy/target.bin' }), runtime());
    assert.ok((await bytesOf(got.body)).equals(Buffer.concat([SOURCE.subarray(HALF), SOURCE.subarray(0, HALF)])));
  });
});
