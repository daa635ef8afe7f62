// Issue 15, defects 7–11: what the clients sign and where they put the bucket. ali-oss against an
// IP endpoint (an empty bucket label in its Host for ListBuckets), ali-oss V4's "marker=" on the
// first page, aliyun-sdk's "/bucket" resource, the OSS2 signature of @alicloud/oss-client (header
// and query forms), and the OSS listener over --tls.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { ossV2Signature, ossV2StringToSign } from '../../src/auth/oss/signature.js';
import { errorCode, rawOss } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError } from '../sdk/oss-client.js';

const require = createRequire(import.meta.url);
type Callback = (err: { code?: string } | null, data: unknown) => void;
const ALY = require('aliyun-sdk') as { OSS: new (config: Record<string, unknown>) => Record<string, (params: object, cb: Callback) => void> };
const OssClient = require('@alicloud/oss-client') as Record<string, new (fields: Record<string, unknown>) => unknown> & { default: new (config: unknown) => Record<string, (req: unknown, runtime: unknown) => Promise<{ body?: unknown; headers?: Record<string, string> }>> };
const OssUtil = require('@alicloud/oss-util') as { RuntimeOptions: new (fields: Record<string, unknown>) => unknown };

let server: TestServer;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };
const BUCKET = 'signed-hosts';

before(async () => {
  server = await startTestServer();
  assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}`, creds: root })).status, 200);
  for (const key of ['a', 'b', 'c']) assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}/${key}`, body: key, creds: root })).status, 200);
});
after(() => server.stop());

const port = () => new URL(server.endpoints.oss).port;
// ali-oss answers listBuckets with { buckets }, whatever its typings say.
const bucketNames = async (listed: Promise<unknown>) => ((await listed) as { buckets?: { name: string }[] }).buckets?.map((b) => b.name) ?? [];

test('7: ali-oss on an IP endpoint lists buckets (an empty label and an IP literal are never a bucket)', async () => {
  for (const authorizationV4 of [false, true]) {
    const client = ossClient(server.endpoints.oss, root, { endpoint: `http://127.0.0.1:${port()}`, sldEnable: false, authorizationV4 });
    assert.ok((await bucketNames(client.listBuckets({}))).includes(BUCKET), `V4 ${authorizationV4}`);
  }
  // The Host headers themselves: ".region.aliyuncs.com" and a bare IP are the service.
  for (const host of ['.oss-cn-hangzhou.aliyuncs.com', `127.0.0.1:${port()}`, '127.0.0.1']) {
    const answer = await rawOss(server.endpoints.oss, { method: 'GET', path: '/', creds: root, headers: { host } });
    assert.equal(answer.status, 200, `${host}: ${answer.body}`);
    assert.match(answer.body, /<ListAllMyBucketsResult/, host);
  }
  // A bucket label in front of the region's name is the bucket.
  const named = await rawOss(server.endpoints.oss, { method: 'GET', path: '/', resource: `/${BUCKET}/`, creds: root, headers: { host: `${BUCKET}.oss-cn-hangzhou.aliyuncs.com` } });
  assert.match(named.body, /<ListBucketResult[^]*<Name>signed-hosts<\/Name>/);
});

test('8: ali-oss V4 pages a listing from marker undefined (it signs "marker=")', async () => {
  for (const style of [{ endpoint: `http://127.0.0.1:${port()}`, sldEnable: false }, {}]) {
    const client = ossClient(server.endpoints.oss, root, { ...style, bucket: BUCKET, authorizationV4: true });
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.list({ marker, 'max-keys': 2 } as Parameters<typeof client.list>[0], {});
      seen.push(...(page.objects ?? []).map((o) => o.name));
      marker = page.nextMarker ?? undefined;
    } while (marker);
    assert.deepEqual(seen, ['a', 'b', 'c']);
  }
});

test('9: aliyun-sdk creates and lists a bucket it signs as "/bucket"', async () => {
  const client = new ALY.OSS({ accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.accessKeySecret, endpoint: server.endpoints.oss, apiVersion: '2013-10-15' });
  const call = (method: string, params: object) => new Promise<unknown>((resolve, reject) => client[method]!(params, (err, data) => (err ? reject(err) : resolve(data))));
  await call('createBucket', { Bucket: 'aly-bucket' });
  await call('putObject', { Bucket: 'aly-bucket', Key: 'k', Body: 'v' });
  const listed = (await call('listObjects', { Bucket: 'aly-bucket' })) as { Contents: { Key: string }[] };
  assert.deepEqual(listed.Contents.map((c) => c.Key), ['k']);
  // Both spellings of a bucket's resource verify; a different bucket's does not.
  for (const resource of [`/${BUCKET}`, `/${BUCKET}/`]) assert.equal((await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}`, resource, creds: root })).status, 200, resource);
  assert.equal(errorCode(await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}`, resource: '/aly-bucket', creds: root })), 'SignatureDoesNotMatch');
});

test('10: OSS2 signatures, header form (@alicloud/oss-client) and query form (a presigned URL)', async () => {
  const client = new OssClient.default(new OssClient['Config']!({ ...root, endpoint: `127.0.0.1:${port()}`, protocol: 'http', regionId: 'cn-hangzhou', hostModel: 'ip' }));
  const runtime = new OssUtil.RuntimeOptions({});
  await client['putObject']!(new OssClient['PutObjectRequest']!({ bucketName: BUCKET, objectName: 'v2/x y.txt', body: Readable.from([Buffer.from('oss2')]) }), runtime);
  const got = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}/v2/x%20y.txt`, creds: root });
  assert.equal(got.body, 'oss2', 'stored through an OSS2-signed PUT');

  const presign = (expires: number, secret: string = root.accessKeySecret) => {
    const query: [string, string][] = [['x-oss-signature-version', 'OSS2'], ['x-oss-expires', String(expires)], ['x-oss-access-key-id', root.accessKeyId]];
    const sts = ossV2StringToSign({ method: 'GET', contentMd5: '', contentType: '', date: String(expires), headers: new Map(), additionalHeaders: [], bucket: BUCKET, key: 'v2/x y.txt', query });
    const params = new URLSearchParams([...query, ['x-oss-signature', ossV2Signature(secret, sts)]]);
    return `${server.endpoints.oss}/${BUCKET}/v2/x%20y.txt?${params.toString()}`;
  };
  const inAMinute = Math.floor(Date.now() / 1000) + 60;
  const fetched = await fetch(presign(inAMinute));
  assert.deepEqual([fetched.status, await fetched.text()], [200, 'oss2']);
  const forged = await fetch(presign(inAMinute, 'not-the-secret'));
  assert.deepEqual([forged.status, /<Code>([^<]+)/.exec(await forged.text())?.[1]], [403, 'SignatureDoesNotMatch']);
  const expired = await fetch(presign(Math.floor(Date.now() / 1000) - 60));
  assert.equal(expired.status, 403);
  assert.match(await expired.text(), /<Code>AccessDenied<\/Code>[^]*expired/i);
});

test('S3-compatible signatures (AWS V2 and V4, headers and presigned URLs) are NotImplemented, and store nothing', async () => {
  const s3v4 = `AWS4-HMAC-SHA256 Credential=${ROOT.accessKeyId}/20261130/oss-cn-hangzhou/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
  for (const [what, path, headers] of [
    ['AWS4 header', `/${BUCKET}/s3-v4.txt`, { authorization: s3v4 }],
    ['AWS V2 header', `/${BUCKET}/s3-v2.txt`, { authorization: `AWS ${ROOT.accessKeyId}:c2lnbmF0dXJl` }],
    ['AWS4 presigned', `/${BUCKET}/s3-url4.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00`, {}],
    ['AWS V2 presigned', `/${BUCKET}/s3-url2.txt?AWSAccessKeyId=${ROOT.accessKeyId}&Expires=9999999999&Signature=c2ln`, {}],
  ] as const) {
    const answer = await rawOss(server.endpoints.oss, { method: 'PUT', path, body: 'x', headers: { ...headers } });
    assert.deepEqual([answer.status, errorCode(answer)], [501, 'NotImplemented'], what);
    const key = path.slice(BUCKET.length + 2).split('?')[0] ?? '';
    assert.equal(errorCode(await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}/${key}`, creds: root })), 'NoSuchKey', `${what} stored nothing`);
  }
});

test('11: --tls serves the OSS listener over https (the metadata service stays http)', async () => {
  const tls = await startTestServer({ tls: { kind: 'self-signed' } });
  try {
    assert.ok(tls.endpoints.oss.startsWith('https://'), tls.endpoints.oss);
    assert.ok(tls.endpoints.metadata.startsWith('http://'), tls.endpoints.metadata);
    const httpsAgent = new Agent({ ca: readFileSync(tls.caPath ?? '') });
    const client = ossClient(tls.endpoints.oss, root, { endpoint: tls.endpoints.oss.replace('127.0.0.1', 'localhost'), secure: true, httpsAgent });
    await client.putBucket('over-tls');
    assert.ok((await bucketNames(client.listBuckets({}))).includes('over-tls'));
    // Without the CA the client refuses the server; plain http to the port is not served.
    const untrusted = ossClient(tls.endpoints.oss, root, { endpoint: tls.endpoints.oss.replace('127.0.0.1', 'localhost'), secure: true });
    assert.match(String((await ossError(untrusted.listBuckets({}))).message), /self.signed|certificate/i);
    const plain = await fetch(tls.endpoints.oss.replace('https://', 'http://')).then((r) => r.status, (e: Error) => e.message);
    assert.notEqual(plain, 200);
  } finally {
    await tls.stop();
  }
});
