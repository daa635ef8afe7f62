// Bad input to the OSS gateway: every case a clear OSS error (XML with Code, Message, RequestId,
// HostId) with the real status, and nothing stored.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { errorCode, rawOss, type RawOssAnswer } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };
before(async () => {
  server = await startTestServer({ ossLimits: { maxObjectSize: 1024 * 1024, maxPartSize: 512 * 1024, minPartSize: 1024 } });
  assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad', creds: root })).status, 200);
});
after(() => server.stop());

function assertOssError(a: RawOssAnswer, status: number, code: string): void {
  assert.equal(a.status, status, a.body);
  assert.equal(errorCode(a), code, a.body);
  assert.match(a.body, /<Message>[^<]+<\/Message>/);
  assert.match(a.body, new RegExp(`<RequestId>${String(a.headers['x-oss-request-id'])}</RequestId>`));
  assert.match(a.body, /<HostId>[^<]+<\/HostId>/);
}

async function absent(key: string): Promise<void> {
  const got = await rawOss(server.endpoints.oss, { method: 'GET', path: `/bad/${key}`, creds: root });
  assert.equal(errorCode(got), 'NoSuchKey', `${key} must not be stored`);
}

test('a wrong or malformed Content-MD5 is refused and nothing is stored', async () => {
  const body = 'some content';
  const wrong = createHash('md5').update('other content').digest('base64');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad/md5.txt', body, headers: { 'content-md5': wrong }, creds: root }), 400, 'InvalidDigest');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad/md5.txt', body, headers: { 'content-md5': 'not-base64!' }, creds: root }), 400, 'InvalidDigest');
  await absent('md5.txt');
  const right = createHash('md5').update(body).digest('base64');
  assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad/md5.txt', body, headers: { 'content-md5': right }, creds: root })).status, 200);
});

test('keys that try to escape (.., absolute, NUL, backslash) are InvalidObjectName', async () => {
  for (const [path, resource] of [
    ['/bad/..%2Fescape', '/bad/../escape'],
    ['/bad/a/..%2F..%2Fb', '/bad/a/../../b'],
    ['/bad//abs', '/bad//abs'],
    ['/bad/nul%00byte', '/bad/nul\0byte'],
    ['/bad/x%5C..%5Cy', '/bad/x\\..\\y'],
  ] as const) {
    const a = await rawOss(server.endpoints.oss, { method: 'PUT', path, body: 'x', creds: root, resource });
    assertOssError(a, 400, 'InvalidObjectName');
  }
});

test('objects and parts over the size limit are EntityTooLarge, announced or streamed, and leave no temporary files', async () => {
  const big = Buffer.alloc(2 * 1024 * 1024, 1);
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad/big.bin', body: big, creds: root }), 400, 'EntityTooLarge');
  await absent('big.bin');
  const init = await rawOss(server.endpoints.oss, { method: 'POST', path: '/bad/parts.bin?uploads=', creds: root });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body)?.[1] ?? '';
  assert.ok(uploadId);
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: `/bad/parts.bin?partNumber=1&uploadId=${uploadId}`, body: Buffer.alloc(600 * 1024), creds: root }), 400, 'EntityTooLarge');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: `/bad/parts.bin?partNumber=0&uploadId=${uploadId}`, body: 'x', creds: root }), 400, 'InvalidArgument');
  assert.deepEqual(readdirSync(join(server.dataDir, 'blobs', 'tmp')), [], 'no half-written blob is left behind');
});

test('malformed XML bodies are MalformedXML', async () => {
  const broken = '<Delete><Object><Key>a</Key></Object>';
  assertOssError(await rawOss(server.endpoints.oss, { method: 'POST', path: '/bad?delete=', body: broken, creds: root }), 400, 'MalformedXML');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'POST', path: '/bad?delete=', body: '<NotDelete/>', creds: root }), 400, 'MalformedXML');
  const init = await rawOss(server.endpoints.oss, { method: 'POST', path: '/bad/xml.bin?uploads=', creds: root });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body)?.[1] ?? '';
  assertOssError(await rawOss(server.endpoints.oss, { method: 'POST', path: `/bad/xml.bin?uploadId=${uploadId}`, body: '<CompleteMultipartUpload><Part>', creds: root }), 400, 'MalformedXML');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'POST', path: `/bad/xml.bin?uploadId=${uploadId}`, body: '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"00"</ETag></Part></CompleteMultipartUpload>', creds: root }), 400, 'InvalidPart');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'POST', path: '/bad/xml.bin?uploadId=NOPE', body: '<CompleteMultipartUpload/>', creds: root }), 404, 'NoSuchUpload');
  await absent('xml.bin');
});

test('signature and credential failures get OSS\'s own codes', async () => {
  const oss = server.endpoints.oss;
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x', headers: { authorization: 'Bearer something' } }), 400, 'InvalidArgument');
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x', headers: { authorization: 'OSS no-colon' } }), 400, 'InvalidArgument');
  const wrong = await rawOss(oss, { method: 'GET', path: '/bad/x', creds: { ...root, accessKeySecret: 'wrong' } });
  assertOssError(wrong, 403, 'SignatureDoesNotMatch');
  assert.match(wrong.body, /<StringToSign>GET\n\n\n[^<]+\n\/bad\/x<\/StringToSign>/);
  assert.match(wrong.body, /<OSSAccessKeyId>LTAI/);
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x', creds: { accessKeyId: 'LTAI5tNobody00000000000', accessKeySecret: 'x' } }), 403, 'InvalidAccessKeyId');
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x', creds: root, date: new Date(Date.now() - 20 * 60 * 1000) }), 403, 'RequestTimeTooSkewed');
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x', creds: { accessKeyId: 'STS.NotARealOne000000000000', accessKeySecret: 'x', securityToken: 'garbage' } }), 403, 'InvalidSecurityToken');
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x', creds: { ...root, securityToken: 'garbage' } }), 403, 'AccessKeyIdAndSecurityTokenNotMatch');
  assertOssError(await rawOss(oss, { method: 'GET', path: '/bad/x' }), 403, 'AccessDenied');
  const head = await rawOss(oss, { method: 'HEAD', path: '/bad/missing', creds: root });
  assert.equal(head.status, 404);
  assert.match(Buffer.from(String(head.headers['x-oss-err']), 'base64').toString(), /<Code>NoSuchKey<\/Code>/);
});

test('buckets: bad names, missing, taken by another account, not empty', async () => {
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: '/Bad_Name', creds: root }), 400, 'InvalidBucketName');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'GET', path: '/nosuchbucket/x', creds: root }), 404, 'NoSuchBucket');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'DELETE', path: '/bad', creds: root }), 409, 'BucketNotEmpty');
  const { createAccount } = await import('../../src/server/index.js');
  const b = await createAccount(server.store, new Date());
  const other = { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret };
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad', creds: other }), 409, 'BucketAlreadyExists');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'GET', path: '/bad/md5.txt', creds: other }), 403, 'AccessDenied');
  assertOssError(await rawOss(server.endpoints.oss, { method: 'PUT', path: '/bad/intruder.txt', body: 'x', creds: other }), 403, 'AccessDenied');
  await absent('intruder.txt');
});
