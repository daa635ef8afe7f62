// Object bytes stream end to end: a 512 MiB upload and download keep the server's memory flat
// (the resident set grows by far less than the object), and the bytes round-trip exactly; an
// upload abandoned half-way stores nothing and is recorded as abandoned.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { ossV1Signature, ossV1StringToSign } from '../../src/auth/oss/signature.js';
import { rawOss } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { PopCore } from '../sdk/sdk-clients.js';

const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };

const SIZE = 512 * 1024 * 1024;
const CHUNK = 1024 * 1024;
let server: TestServer;
before(async () => {
  server = await startTestServer();
  await rawOss(server.endpoints.oss, { method: 'PUT', path: '/stream', creds: root });
});
after(() => server.stop());

function authorization(method: string, resource: string, date: string): string {
  const sts = ossV1StringToSign({ method, contentMd5: '', contentType: 'application/octet-stream', date, ossHeaders: new Map(), resource, query: [] });
  return `OSS ${ROOT.accessKeyId}:${ossV1Signature(ROOT.accessKeySecret, sts)}`;
}

function chunkOf(i: number): Buffer {
  const b = Buffer.alloc(CHUNK, i & 0xff);
  b.writeUInt32LE(i, 0);
  return b;
}

test('a 512 MiB object streams in and out with flat memory', async (t) => {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const expected = createHash('md5');
  try {
    const date = new Date().toUTCString();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.endpoints.oss}/stream/big.bin`, {
        method: 'PUT',
        headers: { date, 'content-type': 'application/octet-stream', 'content-length': String(SIZE), authorization: authorization('PUT', '/stream/big.bin', date) },
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      Readable.from((function* () {
        for (let i = 0; i < SIZE / CHUNK; i++) {
          const c = chunkOf(i);
          expected.update(c);
          yield c;
        }
      })()).pipe(req);
    });
    assert.equal(status, 200);
    const got = createHash('md5');
    let received = 0;
    const getDate = new Date().toUTCString();
    await new Promise<void>((resolve, reject) => {
      request(`${server.endpoints.oss}/stream/big.bin`, { headers: { date: getDate, 'content-type': 'application/octet-stream', authorization: authorization('GET', '/stream/big.bin', getDate) } }, (res) => {
        res.on('data', (d: Buffer) => {
          received += d.length;
          got.update(d);
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(received, SIZE);
    assert.equal(got.digest('hex'), expected.digest('hex'));
  } finally {
    clearInterval(sampler);
  }
  const growth = (peak - baseline) / 1024 / 1024;
  t.diagnostic(`resident memory grew by ${growth.toFixed(1)} MiB for a 512 MiB upload and download`);
  assert.ok(growth < 128, `resident memory grew by ${growth.toFixed(0)} MiB for a 512 MiB object`);
});

test('an upload its client abandons is recorded as abandoned (not an internal error) and stores nothing', async () => {
  const date = new Date().toUTCString();
  await new Promise<void>((resolve) => {
    const headers = { date, 'content-type': 'application/octet-stream', 'content-length': String(4 * CHUNK), authorization: authorization('PUT', '/stream/abandoned.bin', date) };
    const req = request(new URL('/stream/abandoned.bin', server.endpoints.oss), { method: 'PUT', headers, agent: false });
    req.on('error', () => resolve());
    req.write(chunkOf(0), () => setTimeout(() => req.destroy(), 100));
  });
  const trail = new PopCore({ ...root, endpoint: server.endpoints.api, apiVersion: '2020-07-06' });
  let event: Record<string, unknown> | undefined;
  for (let i = 0; i < 50 && event === undefined; i++) {
    const events = (await trail.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'PutObject' }, { method: 'POST' }))['Events'] as Record<string, unknown>[];
    event = events.find((e) => JSON.stringify(e).includes('abandoned.bin'));
    if (event === undefined) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(event?.['errorCode'], 'ClientAborted');
  const got = await rawOss(server.endpoints.oss, { method: 'GET', path: '/stream/abandoned.bin', creds: root });
  assert.equal(got.status, 404);
});
