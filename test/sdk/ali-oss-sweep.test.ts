// Every method of the ali-oss client that makes a request is called, against a bucket holding
// objects and against an empty one. Each works as documented or fails with a clean OSS error (a
// code, a 4xx/501 status, a request id); afterwards every bucket and object is intact, byte for
// byte. The methods are read from ali-oss itself: a new one fails this test until it is given
// arguments below (or named as making no request), so nothing it can send goes untried.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, type OssClient } from './oss-client.js';

let server: TestServer;
const FULL = 'sweep-full';
const EMPTY = 'sweep-empty';
const dir = mkdtempSync(join(tmpdir(), 'rampart-sweep-'));
const partFile = join(dir, 'part.bin');
after(() => rmSync(dir, { recursive: true, force: true }));

/** The objects that must come through untouched: key → bytes and the headers they are served with. */
const KEPT: Record<string, { body: Buffer; headers: Record<string, string> }> = {
  'keep/a.txt': { body: Buffer.from('alpha'), headers: { 'Content-Type': 'text/plain', 'x-oss-meta-owner': 'sweep', 'Cache-Control': 'no-cache' } },
  'keep/b.bin': { body: Buffer.alloc(300 * 1024, 7), headers: {} },
};

/** Methods that make no request of their own (URLs, signing, settings, helpers). */
const NO_REQUEST = new Set([
  'asyncSignatureUrl', 'authorization', 'authorizationV4', 'calculatePostSignature', 'cancel', 'checkBrowserAndVersion', 'generateObjectUrl', 'getBucket',
  'getObjectUrl', 'getRtmpUrl', 'isCancel', 'parseXML', 'request', 'requestError', 'resetCancelFlag', 'setBucket', 'setSLDEnabled',
  'signPostObjectPolicyV4', 'signature', 'signatureUrl', 'signatureUrlV4', 'useBucket',
]);

type Call = (c: OssClient, bucket: string, n: number) => Promise<unknown>;
// ali-oss's typings cover part of its methods; the sweep calls them by name.
const call = (c: OssClient, method: string, ...args: unknown[]) => (c as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
const scratch = (n: number) => `scratch/${n}.txt`;

/**
 * Arguments for each method. `bucket` is the bucket swept (the full or the empty one); writes go
 * to scratch keys and scratch buckets, so what the sweep keeps is only ever read or refused.
 */
const CALLS: Record<string, Call> = {
  listBuckets: (c) => c.listBuckets({}),
  putBucket: (c, _b, n) => c.putBucket(`sweep-new-${n}`),
  deleteBucket: async (c, _b, n) => {
    await c.putBucket(`sweep-gone-${n}`);
    return c.deleteBucket(`sweep-gone-${n}`);
  },
  getBucketInfo: (c, b) => c.getBucketInfo(b),
  getBucketLocation: (c, b) => c.getBucketLocation(b),
  getBucketStat: (c, b) => call(c, 'getBucketStat', b),
  putBucketACL: (c, b) => c.putBucketACL(b, 'public-read'),
  getBucketACL: (c, b) => c.getBucketACL(b),
  putBucketLogging: (c, b) => c.putBucketLogging(b, 'logs/'),
  getBucketLogging: (c, b) => c.getBucketLogging(b),
  deleteBucketLogging: (c, b) => c.deleteBucketLogging(b),
  putBucketWebsite: (c, b) => c.putBucketWebsite(b, { index: 'index.html' }),
  getBucketWebsite: (c, b) => c.getBucketWebsite(b),
  deleteBucketWebsite: (c, b) => c.deleteBucketWebsite(b),
  putBucketReferer: (c, b) => c.putBucketReferer(b, true, ['https://example.com']),
  getBucketReferer: (c, b) => c.getBucketReferer(b),
  deleteBucketReferer: (c, b) => c.deleteBucketReferer(b),
  putBucketLifecycle: (c, b) => call(c, 'putBucketLifecycle', b, [{ id: 'r1', prefix: 'logs/', status: 'Enabled', expiration: { days: 1 } }]),
  // Set first: the sweep's own deleteBucketLifecycle (called before it, by name) leaves none.
  getBucketLifecycle: async (c, b) => {
    await call(c, 'putBucketLifecycle', b, [{ id: 'r0', prefix: 'scratch/', status: 'Disabled', expiration: { days: 1 } }]);
    return c.getBucketLifecycle(b);
  },
  deleteBucketLifecycle: (c, b) => c.deleteBucketLifecycle(b),
  putBucketCORS: (c, b) => c.putBucketCORS(b, [{ allowedOrigin: '*', allowedMethod: 'GET' }]),
  // Set first: the sweep's own deleteBucketCORS (called before it, by name) leaves none.
  getBucketCORS: async (c, b) => {
    await c.putBucketCORS(b, [{ allowedOrigin: 'https://example.com', allowedMethod: 'GET' }]);
    return c.getBucketCORS(b);
  },
  deleteBucketCORS: (c, b) => c.deleteBucketCORS(b),
  putBucketRequestPayment: (c, b) => call(c, 'putBucketRequestPayment', b, 'Requester'),
  getBucketRequestPayment: (c, b) => call(c, 'getBucketRequestPayment', b),
  putBucketEncryption: (c, b) => call(c, 'putBucketEncryption', b, { SSEAlgorithm: 'AES256' }),
  getBucketEncryption: (c, b) => call(c, 'getBucketEncryption', b),
  deleteBucketEncryption: (c, b) => call(c, 'deleteBucketEncryption', b),
  putBucketTags: (c, b) => call(c, 'putBucketTags', b, { team: 'sweep' }),
  getBucketTags: (c, b) => call(c, 'getBucketTags', b),
  deleteBucketTags: (c, b) => call(c, 'deleteBucketTags', b),
  putBucketPolicy: (c, b) => call(c, 'putBucketPolicy', b, { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${b}/*`] }] }),
  // One is set first: with none, ali-oss hands back the 404 (NoSuchBucketPolicy) as its answer.
  getBucketPolicy: async (c, b) => {
    await call(c, 'putBucketPolicy', b, { Version: '1', Statement: [{ Effect: 'Deny', Action: ['oss:PutObject'], Principal: ['*'], Resource: [`acs:oss:*:*:${b}/keep/*`] }] });
    return call(c, 'getBucketPolicy', b);
  },
  deleteBucketPolicy: (c, b) => call(c, 'deleteBucketPolicy', b),
  putBucketVersioning: (c, b) => call(c, 'putBucketVersioning', b, 'Enabled'),
  getBucketVersioning: (c, b) => call(c, 'getBucketVersioning', b),
  getBucketVersions: (c) => call(c, 'getBucketVersions', {}),
  listObjectVersions: (c) => call(c, 'listObjectVersions', {}),
  putBucketInventory: (c, b) =>
    call(c, 'putBucketInventory', b, { id: 'inv1', isEnabled: false, OSSBucketDestination: { format: 'CSV', accountId: ROOT.accountId, rolename: 'AliyunOSSRole', bucket: b }, frequency: 'Daily', includedObjectVersions: 'All' }),
  getBucketInventory: (c, b) => call(c, 'getBucketInventory', b, 'inv1'),
  deleteBucketInventory: (c, b) => call(c, 'deleteBucketInventory', b, 'inv1'),
  listBucketInventory: (c, b) => call(c, 'listBucketInventory', b),
  initiateBucketWorm: (c, b) => call(c, 'initiateBucketWorm', b, '1'),
  abortBucketWorm: (c, b) => call(c, 'abortBucketWorm', b),
  completeBucketWorm: (c, b) => call(c, 'completeBucketWorm', b, 'worm-1'),
  extendBucketWorm: (c, b) => call(c, 'extendBucketWorm', b, 'worm-1', '2'),
  getBucketWorm: (c, b) => call(c, 'getBucketWorm', b),
  putChannel: (c) => call(c, 'putChannel', 'channel-1', { Description: 'x', Status: 'enabled', Target: { Type: 'HLS', FragDuration: 5, FragCount: 3, PlaylistName: 'p.m3u8' } }),
  getChannel: (c) => call(c, 'getChannel', 'channel-1'),
  deleteChannel: (c) => call(c, 'deleteChannel', 'channel-1'),
  putChannelStatus: (c) => call(c, 'putChannelStatus', 'channel-1', 'disabled'),
  getChannelStatus: (c) => call(c, 'getChannelStatus', 'channel-1'),
  listChannels: (c) => call(c, 'listChannels', {}),
  getChannelHistory: (c) => call(c, 'getChannelHistory', 'channel-1'),
  createVod: (c) => call(c, 'createVod', 'channel-1', 'vod.m3u8', { startTime: 1, endTime: 2 }),
  postAsyncFetch: (c) => call(c, 'postAsyncFetch', 'keep/a.txt', 'https://example.com/x'),
  getAsyncFetch: (c) => call(c, 'getAsyncFetch', 'task-1'),

  put: (c, _b, n) => c.put(scratch(n), Buffer.from('written')),
  putStream: (c, _b, n) => c.putStream(scratch(n), Readable.from([Buffer.from('streamed')])),
  append: (c, _b, n) => c.append(`scratch/append-${n}`, Buffer.from('appended')),
  get: (c) => c.get('keep/a.txt'),
  getStream: async (c) => {
    const r = (await call(c, 'getStream', 'keep/a.txt')) as { stream: Readable };
    for await (const _chunk of r.stream) void _chunk;
  },
  head: (c) => c.head('keep/a.txt'),
  getObjectMeta: (c) => call(c, 'getObjectMeta', 'keep/a.txt'),
  delete: async (c, _b, n) => {
    await c.put(scratch(n), Buffer.from('to delete'));
    return c.delete(scratch(n));
  },
  deleteMulti: async (c, _b, n) => {
    await c.put(scratch(n), Buffer.from('to delete'));
    return c.deleteMulti([scratch(n), 'scratch/never-there']);
  },
  copy: (c, b, n) => c.copy(scratch(n), 'keep/a.txt', b === EMPTY ? FULL : b),
  putMeta: async (c, _b, n) => {
    await c.put(scratch(n), Buffer.from('meta'));
    return call(c, 'putMeta', scratch(n), { changed: 'yes' }, {});
  },
  list: (c) => c.list({ prefix: 'keep/', 'max-keys': 10 }, {}),
  listV2: (c) => c.listV2({ prefix: 'keep/', 'max-keys': '10' }, {}),
  getACL: (c) => c.getACL('keep/a.txt'),
  putACL: (c) => c.putACL('keep/a.txt', 'public-read'),
  restore: (c) => c.restore('keep/a.txt'),
  putSymlink: (c) => call(c, 'putSymlink', 'keep/a.txt', 'keep/b.bin'),
  getSymlink: (c) => call(c, 'getSymlink', 'keep/a.txt'),
  getObjectTagging: (c) => call(c, 'getObjectTagging', 'keep/a.txt'),
  putObjectTagging: (c) => call(c, 'putObjectTagging', 'keep/a.txt', { a: 'b' }),
  deleteObjectTagging: (c) => call(c, 'deleteObjectTagging', 'keep/a.txt'),
  processObjectSave: (c, b) => call(c, 'processObjectSave', 'keep/a.txt', 'keep/b.bin', 'image/resize,w_10', b),
  multipartUpload: (c, _b, n) => c.multipartUpload(`scratch/multi-${n}`, partFile, { partSize: 100 * 1024 }),
  multipartUploadCopy: (c, b, n) => call(c, 'multipartUploadCopy', `scratch/mcopy-${n}`, { sourceKey: 'keep/b.bin', sourceBucketName: b === EMPTY ? FULL : b }),
  initMultipartUpload: (c, _b, n) => c.initMultipartUpload(`scratch/init-${n}`),
  uploadPart: async (c, _b, n) => {
    const { uploadId } = await c.initMultipartUpload(`scratch/part-${n}`);
    return c.uploadPart(`scratch/part-${n}`, uploadId, 1, partFile, 0, 1024);
  },
  completeMultipartUpload: async (c, _b, n) => {
    const { uploadId } = await c.initMultipartUpload(`scratch/done-${n}`);
    const part = await c.uploadPart(`scratch/done-${n}`, uploadId, 1, partFile, 0, 1024);
    return c.completeMultipartUpload(`scratch/done-${n}`, uploadId, [{ number: 1, etag: part.etag }]);
  },
  abortMultipartUpload: async (c, _b, n) => {
    const { uploadId } = await c.initMultipartUpload(`scratch/abort-${n}`);
    return c.abortMultipartUpload(`scratch/abort-${n}`, uploadId);
  },
  listParts: async (c, _b, n) => {
    const { uploadId } = await c.initMultipartUpload(`scratch/parts-${n}`);
    return c.listParts(`scratch/parts-${n}`, uploadId, {} as never);
  },
  listUploads: (c) => c.listUploads({}),
  uploadPartCopy: async (c, b, n) => {
    const { uploadId } = await c.initMultipartUpload(`scratch/pcopy-${n}`);
    return call(c, 'uploadPartCopy', `scratch/pcopy-${n}`, uploadId, 1, '0-99', { sourceKey: 'keep/b.bin', sourceBucketName: b === EMPTY ? FULL : b });
  },
};

/** Implemented: these must work (on the empty bucket, reads of kept keys are NoSuchKey). */
const WORKS = new Set([
  'listBuckets', 'putBucket', 'deleteBucket', 'getBucketInfo', 'getBucketLocation', 'put', 'putStream', 'append', 'delete', 'deleteMulti',
  'copy', 'putMeta', 'list', 'listV2', 'multipartUpload', 'initMultipartUpload', 'uploadPart', 'completeMultipartUpload',
  'abortMultipartUpload', 'listParts', 'listUploads', 'get', 'getStream', 'head', 'getObjectMeta',
  'putBucketACL', 'getBucketACL', 'putACL', 'getACL', 'putBucketPolicy', 'getBucketPolicy', 'deleteBucketPolicy',
  'putBucketCORS', 'getBucketCORS', 'deleteBucketCORS', 'uploadPartCopy', 'multipartUploadCopy',
  'putObjectTagging', 'getObjectTagging', 'deleteObjectTagging', 'putBucketLifecycle', 'getBucketLifecycle', 'deleteBucketLifecycle',
]);

function requestMethods(): string[] {
  const names = new Set<string>();
  // ali-oss mixes its methods into the prototype chain of its client class.
  const Client = (ossClient as unknown as { OSS?: unknown }).OSS ?? Object.getPrototypeOf(ossClient('http://localhost:1', ROOT)).constructor;
  for (let p = (Client as { prototype: object }).prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor' && !n.startsWith('_') && typeof (p as Record<string, unknown>)[n] === 'function') names.add(n);
  }
  return [...names].filter((n) => !NO_REQUEST.has(n)).sort();
}

async function snapshot(c: OssClient): Promise<string> {
  const listed = (await call(c, 'listBuckets', {})) as { buckets: { name: string }[] };
  const state: Record<string, unknown> = { buckets: listed.buckets.map((b) => b.name).filter((n) => !n.startsWith('sweep-new-')) };
  for (const bucket of [FULL, EMPTY]) {
    const on = ossClient(server.endpoints.oss, ROOT, { bucket });
    const objects = ((await call(on, 'list', { prefix: 'keep/' }, {})) as { objects?: { name: string }[] }).objects ?? [];
    state[bucket] = await Promise.all(
      objects.map(async (o) => {
        const got = await on.get(o.name);
        const h = got.res.headers as Record<string, string>;
        return [o.name, createHash('sha256').update(got.content as Buffer).digest('hex'), h['content-type'], h['x-oss-meta-owner'], h['cache-control'], h['x-oss-storage-class']];
      }),
    );
  }
  return JSON.stringify(state);
}

before(async () => {
  server = await startTestServer({ ossLimits: { maxObjectSize: 8 * 1024 * 1024, maxPartSize: 8 * 1024 * 1024, minPartSize: 100 * 1024 } });
  writeFileSync(partFile, Buffer.alloc(250 * 1024, 3));
  const c = ossClient(server.endpoints.oss, ROOT);
  await c.putBucket(FULL);
  await c.putBucket(EMPTY);
  const full = ossClient(server.endpoints.oss, ROOT, { bucket: FULL });
  for (const [key, { body, headers }] of Object.entries(KEPT)) await full.put(key, body, { headers });
});
after(() => server.stop());

test('every request method of ali-oss has arguments here (or makes no request)', () => {
  const missing = requestMethods().filter((m) => CALLS[m] === undefined);
  assert.deepEqual(missing, [], 'new ali-oss methods: give them arguments in CALLS');
});

for (const style of [
  { name: 'V1', options: {} },
  { name: 'V4', options: { authorizationV4: true } },
]) {
  test(`${style.name}: each method works or fails cleanly, and nothing kept is changed`, async () => {
    const before = await snapshot(ossClient(server.endpoints.oss, ROOT));
    const outcomes: Record<string, string> = {};
    // Scratch names are numbered on from the other style's, so no write meets an earlier one.
    let n = style.name === 'V1' ? 0 : 100_000;
    for (const method of requestMethods()) {
      for (const bucket of [FULL, EMPTY]) {
        const c = ossClient(server.endpoints.oss, ROOT, { bucket, ...style.options });
        const label = `${method}@${bucket === FULL ? 'full' : 'empty'}`;
        try {
          const result = (await CALLS[method]!(c, bucket, n++)) as { res?: { status?: number; headers?: Record<string, string>; data?: Buffer } } | undefined;
          // ali-oss raises an error only where a method names the statuses it expects; the others
          // (abortBucketWorm…) hand back whatever came, which must then be a clean OSS error.
          const res = result?.res;
          if (res?.status !== undefined && res.status >= 400) {
            const code = /<Code>([^<]+)<\/Code>/.exec(String(res.data ?? ''))?.[1];
            assert.ok(code !== undefined, `${label}: status ${res.status} without an OSS error body`);
            assert.match(String(res.headers?.['x-oss-request-id']), /^[0-9A-F]{24}$/, `${label}: a request id`);
            outcomes[label] = code;
          } else {
            outcomes[label] = 'ok';
          }
        } catch (e) {
          const err = e as { code?: string; status?: number; requestId?: string; message?: string };
          assert.ok(typeof err.code === 'string' && err.code !== '', `${label}: no OSS error code (${err.message})`);
          assert.ok(err.status !== undefined && ((err.status >= 400 && err.status < 500) || err.status === 501), `${label}: status ${err.status} (${err.code})`);
          assert.match(String(err.requestId), /^[0-9A-F]{24}$/, `${label}: a request id`);
          outcomes[label] = err.code;
        }
      }
    }
    for (const method of WORKS) {
      assert.equal(outcomes[`${method}@full`], 'ok', `${method} on the full bucket: ${outcomes[`${method}@full`]}`);
      const onEmpty = outcomes[`${method}@empty`];
      assert.ok(onEmpty === 'ok' || onEmpty === 'NoSuchKey', `${method} on the empty bucket: ${onEmpty}`);
    }
    for (const [label, outcome] of Object.entries(outcomes)) {
      if (!WORKS.has(label.split('@')[0] ?? '')) assert.notEqual(outcome, 'ok', `${label} is not implemented, yet it answered as if it were`);
    }
    assert.equal(await snapshot(ossClient(server.endpoints.oss, ROOT)), before, 'every kept bucket and object is as it was');
  });
}
