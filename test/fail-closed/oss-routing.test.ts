// Issue 15, defects 1–4: an OSS request the gateway does not implement used to fall through to the
// nearest operation it knew (DELETE ?cors deleted the bucket, DELETE ?tagging the object, GET ?acl
// listed objects, UploadPartCopy stored an empty part). Each is now a 501 NotImplemented in OSS
// XML, with a request id, and nothing is read or changed.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, test } from 'node:test';
import { ossV1Signature, ossV1StringToSign } from '../../src/auth/oss/signature.js';
import { errorCode, rawOss, type RawOssAnswer, type RawOssRequest } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };
const FULL = 'routing-full';
const EMPTY = 'routing-empty';
const BYTES = 'the object that must survive';

const oss = (r: Omit<RawOssRequest, 'creds'>) => rawOss(server.endpoints.oss, { ...r, creds: root });

before(async () => {
  server = await startTestServer();
  for (const bucket of [FULL, EMPTY]) assert.equal((await oss({ method: 'PUT', path: `/${bucket}` })).status, 200);
  assert.equal((await oss({ method: 'PUT', path: `/${FULL}/obj.txt`, body: BYTES })).status, 200);
});
after(() => server.stop());

function assertRefused(answer: RawOssAnswer, what: string): void {
  assert.equal(answer.status, 501, `${what}: ${answer.body}`);
  assert.equal(errorCode(answer), 'NotImplemented', what);
  assert.match(answer.body, /^<\?xml[^]*<Error>[^]*<RequestId>[^<]+<\/RequestId>/, what);
  assert.ok(answer.headers['x-oss-request-id'], `${what}: a request id header`);
}

async function assertIntact(): Promise<void> {
  for (const bucket of [FULL, EMPTY]) assert.equal((await oss({ method: 'GET', path: `/${bucket}?location` })).status, 200, `${bucket} still exists`);
  const got = await oss({ method: 'GET', path: `/${FULL}/obj.txt` });
  assert.deepEqual([got.status, got.body], [200, BYTES], 'the object is byte for byte what was stored');
  const listed = await oss({ method: 'GET', path: `/${FULL}` });
  assert.deepEqual([...listed.body.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]), ['obj.txt'], 'and it is the only one');
}

// Bucket settings not implemented (CORS, bucket policy, lifecycle and ACLs are: oss-access, oss-cors,
// oss-tagging-lifecycle tests).
const SETTINGS = ['tagging', 'website', 'encryption', 'logging', 'inventory', 'worm', 'referer', 'versioning'];

test('1: DELETE of a bucket setting is refused and the (empty) bucket stays', async () => {
  for (const setting of SETTINGS) assertRefused(await oss({ method: 'DELETE', path: `/${EMPTY}?${setting}` }), `DELETE ?${setting}`);
  await assertIntact();
});

test('2: DELETE of an object\'s acl is refused and the object stays', async () => {
  for (const sub of ['acl']) assertRefused(await oss({ method: 'DELETE', path: `/${FULL}/obj.txt?${sub}` }), `DELETE key?${sub}`);
  await assertIntact();
});

test('3: GET of a bucket setting is refused, not answered with a listing', async () => {
  const settings = ['policyStatus', 'versioning', 'versions', 'tagging', 'encryption', 'referer', 'logging', 'website', 'stat', 'worm', 'inventory', 'requestPayment'];
  for (const setting of settings) {
    const answer = await oss({ method: 'GET', path: `/${FULL}?${setting}` });
    assertRefused(answer, `GET ?${setting}`);
    assert.doesNotMatch(answer.body, /ListBucketResult|obj\.txt/, `GET ?${setting} lists nothing`);
  }
});

test('4: symlinks, live channels, bucket settings on PUT and WORM on POST are refused and change nothing; UploadPartCopy copies', async () => {
  const symlink = await oss({ method: 'GET', path: `/${FULL}/obj.txt?symlink` });
  assertRefused(symlink, 'GET ?symlink');
  assert.doesNotMatch(symlink.body, new RegExp(BYTES), 'the object is not served');

  assertRefused(await oss({ method: 'PUT', path: `/${FULL}/channel?live`, body: '<LiveChannelConfiguration/>' }), 'PUT ?live');
  assert.equal(errorCode(await oss({ method: 'GET', path: `/${FULL}/channel` })), 'NoSuchKey', 'PUT ?live created no object');

  // PUT /bucket?<setting> on a bucket that does not exist creates no bucket, implemented or not.
  for (const setting of ['tagging', 'website', 'encryption']) {
    assertRefused(await oss({ method: 'PUT', path: `/routing-missing?${setting}`, body: '<x/>' }), `PUT ?${setting}`);
  }
  for (const setting of ['cors', 'acl', 'policy', 'lifecycle']) {
    const headers: Record<string, string> = setting === 'acl' ? { 'x-oss-acl': 'private' } : {};
    assert.equal(errorCode(await oss({ method: 'PUT', path: `/routing-missing?${setting}`, body: '<x/>', headers })), 'NoSuchBucket', `PUT ?${setting}`);
  }
  assert.equal(errorCode(await oss({ method: 'GET', path: '/routing-missing?location' })), 'NoSuchBucket');

  const init = await oss({ method: 'POST', path: `/${FULL}/parts.bin?uploads` });
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(init.body)?.[1] ?? '';
  assert.ok(uploadId, init.body);
  // UploadPartCopy is implemented now: it stores the source's bytes as the part, never the empty body.
  const copy = await oss({ method: 'PUT', path: `/${FULL}/parts.bin?partNumber=1&uploadId=${uploadId}`, headers: { 'x-oss-copy-source': `/${FULL}/obj.txt` } });
  assert.equal(copy.status, 200, copy.body);
  const parts = await oss({ method: 'GET', path: `/${FULL}/parts.bin?uploadId=${uploadId}` });
  assert.equal(parts.status, 200);
  assert.match(parts.body, new RegExp(`<Size>${Buffer.byteLength(BYTES)}</Size>`), 'the part holds the source\'s bytes');
  assert.equal((await oss({ method: 'DELETE', path: `/${FULL}/parts.bin?uploadId=${uploadId}` })).status, 204);

  for (const sub of ['worm', 'wormId=1', 'wormExtend', 'asyncFetch']) {
    assertRefused(await oss({ method: 'POST', path: `/${FULL}?${sub}`, body: '<x/>', headers: { 'content-type': 'application/xml' } }), `POST ?${sub}`);
  }
  await assertIntact();
});

test('a refused request over a signature that does not verify is still a 403, not a 501', async () => {
  // The refusal comes after authentication: an anonymous caller learns nothing about the route.
  const forged = await rawOss(server.endpoints.oss, { method: 'DELETE', path: `/${EMPTY}?cors`, creds: { ...root, accessKeySecret: 'wrong' } });
  assert.deepEqual([forged.status, errorCode(forged)], [403, 'SignatureDoesNotMatch']);
  await assertIntact();
});

const keepAlive = new Agent({ keepAlive: true });
after(() => keepAlive.destroy());

/**
 * A PUT whose body is still being sent when the answer comes: one chunk, a pause in which the
 * server answers, then the rest. Resolves once the whole body was written and the answer read; a
 * failed write (the server hung up on a client still sending) is the error it met.
 */
function streamingPut(path: string, headers: Record<string, string>, chunks: number, chunkSize: number): Promise<{ status: number; body: string; connection?: string } | { error: string }> {
  return new Promise((resolve) => {
    let answer: { status: number; body: string; connection?: string } | undefined;
    let written = false;
    const settle = () => answer && written && resolve(answer);
    const req = request(new URL(path, server.endpoints.oss), { method: 'PUT', headers, agent: keepAlive }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        answer = { status: res.statusCode ?? 0, body, ...(res.headers['connection'] ? { connection: res.headers['connection'] } : {}) };
        settle();
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    // A server that stops reading without hanging up leaves the writer waiting for ever.
    setTimeout(() => {
      resolve({ error: 'the body was never read to its end' });
      req.destroy();
    }, 10_000).unref();
    req.write(Buffer.alloc(chunkSize, 7));
    setTimeout(() => {
      for (let i = 1; i < chunks; i++) req.write(Buffer.alloc(chunkSize, 7));
      req.end(() => {
        written = true;
        settle();
      });
    }, 100);
  });
}

test('a refusal reaches a client that is still sending its body (no EPIPE); past the bound the connection closes', async () => {
  const date = new Date().toUTCString();
  const signed = (path: string, extra: Record<string, string>) => {
    const sts = ossV1StringToSign({ method: 'PUT', contentMd5: '', contentType: '', date, ossHeaders: new Map(Object.entries(extra).filter(([k]) => k.startsWith('x-oss-'))), resource: path, query: [] });
    return { date, authorization: `OSS ${root.accessKeyId}:${ossV1Signature(root.accessKeySecret, sts)}`, ...extra };
  };
  // 4 MiB in 64 KiB chunks, chunked and with a declared length; refused for its traffic limit.
  const limited = { 'x-oss-traffic-limit': '819200' };
  for (const framing of [{ 'transfer-encoding': 'chunked' }, { 'content-length': String(64 * 64 * 1024) }] as Record<string, string>[]) {
    const answer = await streamingPut(`/${FULL}/limited.bin`, { ...signed(`/${FULL}/limited.bin`, limited), ...framing }, 64, 64 * 1024);
    assert.ok('status' in answer, `${JSON.stringify(framing)}: ${JSON.stringify(answer)}`);
    assert.equal(answer.status, 501);
    assert.match(answer.body, /<Code>NotImplemented<\/Code>/);
    assert.notEqual(answer.connection, 'close', 'the connection stays open for the next request');
  }
  // More than anyone should read for nothing is not read: the answer says the connection closes.
  const closing = await new Promise<string | undefined>((resolve, reject) => {
    const headers = { ...signed(`/${FULL}/huge.bin`, limited), 'content-length': String(64 * 1024 * 1024) };
    const req = request(new URL(`/${FULL}/huge.bin`, server.endpoints.oss), { method: 'PUT', headers, agent: keepAlive }, (res) => {
      resolve(res.headers['connection']);
      req.destroy();
    });
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e)));
    req.write(Buffer.alloc(64 * 1024));
  });
  assert.equal(closing, 'close');
  await assertIntact();
});
