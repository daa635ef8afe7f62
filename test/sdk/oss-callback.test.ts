// Upload callbacks through the unmodified ali-oss (put, presigned PUT, multipartUpload,
// completeMultipartUpload) and a PostObject form: the app server (a small HTTP server here) gets
// the documented body, signed as OSS signs it (verified with the public key fetched from the URL
// the request names); the client gets the app server's answer, or 203 CallbackFailed with the
// object stored; bad callbacks store nothing; the operator's host rules hold.
import assert from 'node:assert/strict';
import { createHash, createHmac, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError, type OssClient } from './oss-client.js';
import { ramClient, type Creds } from './ram-client.js';
import { sessionOf, stsV3 } from './sts-client.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** The app server: what it answers depends on the path. */
class AppServer {
  readonly received: Received[] = [];
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString() });
        const json = (status: number, body: string, type = 'application/json') => {
          res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        };
        if (path.startsWith('/ok')) return json(200, JSON.stringify({ Status: 'OK', seen: path }));
        if (path.startsWith('/slow')) return; // never answers
        if (path.startsWith('/redirect')) {
          res.writeHead(302, { location: '/ok/redirected', 'content-length': '0' });
          return res.end();
        }
        if (path.startsWith('/huge')) return json(200, `{"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`);
        if (path.startsWith('/not-json')) return json(200, 'OK', 'text/plain');
        if (path.startsWith('/chunked')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"a":');
          return res.end('"b"}');
        }
        if (path.startsWith('/fail')) return json(500, '{"error":"down"}');
        json(404, '{}');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The requests it received on a path (from now on, with `since`). */
  on(prefix: string, since = 0): Received[] {
    return this.received.slice(since).filter((r) => r.path.startsWith(prefix));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** Verifies an app server's request as the OSS documentation says an app server must. */
async function verifySignature(r: Received): Promise<boolean> {
  const keyUrl = Buffer.from(String(r.headers['x-oss-pub-key-url']), 'base64').toString();
  const pem = await (await fetch(keyUrl)).text();
  const q = r.path.indexOf('?');
  const path = q < 0 ? r.path : r.path.slice(0, q);
  const query = q < 0 ? '' : r.path.slice(q);
  const toSign = `${decodeURIComponent(path)}${query}\n${r.body}`;
  return verify('md5', Buffer.from(toSign), pem, Buffer.from(String(r.headers['authorization']), 'base64'));
}

const TIMEOUT_MS = 400;
let server: TestServer;
let app: AppServer;
let client: OssClient;
const bucket = 'callbacks';

before(async () => {
  app = new AppServer();
  await app.start();
  server = await startTestServer({ assumeRoleRate: 0, ossCallbacks: { timeoutMs: TIMEOUT_MS }, ossLimits: { minPartSize: 100 * 1024 } });
  await ossClient(server.endpoints.oss, ROOT).putBucket(bucket);
  client = ossClient(server.endpoints.oss, ROOT, { bucket });
});
after(async () => {
  await server.stop();
  await app.stop();
});

const exists = async (c: OssClient, key: string) => {
  try {
    await c.head(key);
    return true;
  } catch (e) {
    if ((e as { code?: string }).code === 'NoSuchKey') return false;
    throw e;
  }
};

describe('PutObject with a callback (ali-oss put)', () => {
  test('the app server gets the documented form body, signed; the client gets its answer', async () => {
    const since = app.received.length;
    const content = Buffer.from('hello, callback');
    const put = await client.put('docs/a b.txt', content, {
      mime: 'text/plain',
      callback: {
        url: `${app.url}/ok/put?id=1&index=2`,
        body: 'bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&imageInfo.height=${imageInfo.height}&contentMd5=${contentMd5}&operation=${operation}&reqId=${reqId}&clientIp=${clientIp}&my_var=${x:my_var}',
        customValue: { my_var: 'for callback & more' },
      },
    } as Parameters<OssClient['put']>[2]);
    const answer = (put as unknown as { data: Record<string, string> }).data;
    assert.deepEqual(answer, { Status: 'OK', seen: '/ok/put?id=1&index=2' }, 'the client gets the app server JSON');
    const headers = put.res.headers as Record<string, string>;
    const md5 = createHash('md5').update(content).digest();
    assert.equal(put.res.status, 200);
    assert.equal(headers['etag'], `"${md5.toString('hex').toUpperCase()}"`);
    assert.match(headers['content-type'] ?? '', /^application\/json/);
    const [got] = app.on('/ok/put', since);
    assert.ok(got, 'the app server was called');
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(got.headers['host'], '127.0.0.1', "callbackHost absent: the URL's host name, as OSS's example shows");
    const form = new URLSearchParams(got.body);
    assert.equal(form.get('bucket'), bucket);
    assert.equal(form.get('object'), 'docs/a b.txt');
    assert.equal(form.get('etag'), md5.toString('hex').toUpperCase());
    assert.equal(form.get('size'), String(content.length));
    assert.equal(form.get('mimeType'), 'text/plain');
    assert.equal(form.get('imageInfo.height'), '', 'not an image: empty, as OSS');
    assert.equal(form.get('contentMd5'), md5.toString('base64'));
    assert.equal(form.get('operation'), 'PutObject');
    assert.equal(form.get('reqId'), headers['x-oss-request-id']);
    assert.equal(form.get('clientIp'), '127.0.0.1');
    assert.equal(form.get('my_var'), 'for callback & more');
    assert.match(got.body, /mimeType=text%2Fplain/, 'values are URL-encoded');
    assert.ok(await verifySignature(got), 'the signature verifies with the public key at x-oss-pub-key-url');
    assert.equal((await client.get('docs/a b.txt')).content.toString(), 'hello, callback');
    // A tampered body does not verify.
    assert.equal(await verifySignature({ ...got, body: got.body.replace('PutObject', 'PostObject') }), false);
  });

  test('a JSON body: variables as JSON values; ${crc64} is the CRC-64/ECMA of the bytes', async () => {
    const since = app.received.length;
    const put = await client.put('json/check.bin', Buffer.from('123456789'), {
      callback: {
        url: `${app.url}/ok/json`,
        host: 'app.example.com',
        contentType: 'application/json',
        body: '{"bucket":${bucket},"object":${object},"size":${size},"crc64":${crc64},"mimeType":${mimeType},"vpcId":${vpcId},"v":${x:v}}',
        customValue: { v: 'quote " and \\ back' },
      },
    } as Parameters<OssClient['put']>[2]);
    assert.equal(put.res.status, 200);
    const [got] = app.on('/ok/json', since);
    assert.ok(got);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['host'], 'app.example.com', 'callbackHost is the Host header');
    assert.deepEqual(JSON.parse(got.body), {
      bucket,
      object: 'json/check.bin',
      size: 9,
      crc64: 11051210869376104954,
      mimeType: 'application/octet-stream',
      vpcId: '',
      v: 'quote " and \\ back',
    });
    assert.match(got.body, /"crc64":11051210869376104954/, 'CRC-64/ECMA-182 of "123456789" is 0x995DC9BBDF1939FA');
    assert.ok(await verifySignature(got));
  });

  test('up to five URLs, tried in order: the first that answers 200 wins', async () => {
    const since = app.received.length;
    const put = await client.put('multi.txt', Buffer.from('m'), {
      callback: { url: `${app.url}/fail/1;${app.url}/ok/second;${app.url}/ok/third`, body: 'object=${object}' },
    } as Parameters<OssClient['put']>[2]);
    assert.equal(put.res.status, 200);
    assert.deepEqual(app.received.slice(since).map((r) => r.path), ['/fail/1', '/ok/second']);
  });

  test('a presigned PUT with ?callback and ?callback-var', async () => {
    const since = app.received.length;
    const url = client.signatureUrl('presigned.txt', {
      method: 'PUT',
      expires: 60,
      callback: { url: `${app.url}/ok/presigned`, body: 'object=${object}&size=${size}&who=${x:who}', customValue: { who: 'device' } },
    } as Parameters<OssClient['signatureUrl']>[1]);
    const res = await fetch(url, { method: 'PUT', body: Buffer.from('presigned bytes') });
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { Status: 'OK', seen: '/ok/presigned' });
    const [got] = app.on('/ok/presigned', since);
    assert.equal(got?.body, 'object=presigned.txt&size=15&who=device');
    // The trail keeps the outcome, not the callback itself (its URL or values).
    const event = server.audited.find((r) => r.eventName === 'PutObject' && r.requestParameters['key'] === 'presigned.txt');
    assert.ok(event);
    assert.equal(event.requestParameters['callback'], undefined);
    assert.deepEqual(event.responseElements, { callback: { result: 'Succeeded', target: app.url } });
  });

  test('header and query together are refused, as OSS does', async () => {
    const callback = Buffer.from(JSON.stringify({ callbackUrl: `${app.url}/ok/both`, callbackBody: 'a=b' })).toString('base64');
    const e = await ossError(client.put('both.txt', Buffer.from('x'), { headers: { 'x-oss-callback': callback }, subres: { callback } } as Parameters<OssClient['put']>[2]));
    assert.deepEqual([e.status, e.code], [400, 'InvalidArgument']);
    assert.match(e.message ?? '', /Either the callback query string parameter or the x-oss-callback header should be specified, not both\./);
    assert.equal(await exists(client, 'both.txt'), false);
  });
});

describe('callbacks that fail: 203 CallbackFailed, and the object stays', () => {
  const failing = async (key: string, url: string) => {
    const e = await ossError(client.put(key, Buffer.from(`bytes of ${key}`), { callback: { url, body: 'object=${object}' } } as Parameters<OssClient['put']>[2]));
    assert.equal(e.status, 203, `${key}: ${e.message ?? ''}`);
    assert.equal(e.code, 'CallbackFailed');
    assert.equal((await client.get(key)).content.toString(), `bytes of ${key}`, 'the object is stored all the same');
    return e;
  };

  test('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const e = await failing('refused.txt', `http://127.0.0.1:${port}/cb`);
    assert.match(e.message ?? '', /can not connect to your callbackUrl/);
  });

  test('an app server that never answers: cut off at the time limit', async () => {
    const started = Date.now();
    const e = await failing('slow.txt', `${app.url}/slow`);
    const took = Date.now() - started;
    assert.match(e.message ?? '', /reply timeout/);
    assert.ok(took >= TIMEOUT_MS && took < TIMEOUT_MS + 1500, `took ${took} ms`);
  });

  test('a redirect is not followed', async () => {
    const since = app.received.length;
    const e = await failing('redirect.txt', `${app.url}/redirect`);
    assert.match(e.message ?? '', /Error status : 302\./);
    assert.deepEqual(app.received.slice(since).map((r) => r.path), ['/redirect']);
  });

  test('a non-200 status, a body that is not JSON, no Content-Length, a body past 1 MB', async () => {
    assert.match((await failing('status.txt', `${app.url}/fail`)).message ?? '', /Error status : 500\./);
    assert.match((await failing('text.txt', `${app.url}/not-json`)).message ?? '', /Response body is not valid json format\./);
    assert.match((await failing('chunked.txt', `${app.url}/chunked`)).message ?? '', /content-length/);
    assert.match((await failing('huge.txt', `${app.url}/huge`)).message ?? '', /content-length/);
  });

  test('the 203 answer is OSS XML with the ETag, and the trail records the failure', async () => {
    const res = await fetch(client.signatureUrl('xml.txt', { method: 'PUT', expires: 60, callback: { url: `${app.url}/fail`, body: 'a=b' } } as Parameters<OssClient['signatureUrl']>[1]), { method: 'PUT', body: Buffer.from('xml') });
    assert.equal(res.status, 203);
    assert.equal(res.headers.get('etag'), `"${createHash('md5').update('xml').digest('hex').toUpperCase()}"`);
    const xml = await res.text();
    assert.match(xml, /<Code>CallbackFailed<\/Code>/);
    assert.match(xml, /<Message>Error status : 500\.<\/Message>/);
    assert.match(xml, new RegExp(`<RequestId>${res.headers.get('x-oss-request-id') ?? 'missing'}</RequestId>`));
    const event = server.audited.find((r) => r.eventName === 'PutObject' && r.requestParameters['key'] === 'xml.txt');
    assert.deepEqual(event?.responseElements, { callback: { result: 'Failed', target: app.url, message: 'Error status : 500.', status: 500 } });
  });
});

describe('callbacks refused before anything is stored', () => {
  const refused = async (key: string, callback: string, callbackVar?: string) => {
    const headers: Record<string, string> = { 'x-oss-callback': callback, ...(callbackVar ? { 'x-oss-callback-var': callbackVar } : {}) };
    const e = await ossError(client.put(key, Buffer.from('never stored'), { headers }));
    assert.equal(await exists(client, key), false, `${key} was not stored`);
    return e;
  };
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64');

  test('not base64, not JSON: 400 InvalidArgument in OSS words', async () => {
    const notB64 = await refused('bad1.txt', 'x123-*&');
    assert.deepEqual([notB64.status, notB64.code, notB64.message?.replace(/^InvalidArgumentError: /, '')], [400, 'InvalidArgument', 'The callback configuration is not base64 encoded.']);
    const notJson = await refused('bad2.txt', b64('{"callbackUrl":"x","callbackBody":"{"a":1}"}'));
    assert.equal(notJson.code, 'InvalidArgument');
    assert.match(notJson.message ?? '', /The callback configuration is not json format\./);
    const badVar = await refused('bad3.txt', b64({ callbackUrl: app.url, callbackBody: 'a=b' }), b64({ MyVar: 'x' }));
    assert.match(badVar.message ?? '', /The callback var is not expecten json\./);
  });

  test('fields as OSS checks them', async () => {
    const cases: [unknown, RegExp][] = [
      [{ callbackBody: 'a=b' }, /The callback url configuration is invalid\./],
      [{ callbackUrl: 'www.callback-example.com:test', callbackBody: 'a=b' }, /The callback url configuration is invalid\./],
      [{ callbackUrl: 'ftp://example.com/x', callbackBody: 'a=b' }, /The callback url configuration is invalid\./],
      [{ callbackUrl: Array.from({ length: 6 }, (_, i) => `http://h${i}.example.com/`).join(';'), callbackBody: 'a=b' }, /The number of callback url exceed max value\./],
      [{ callbackUrl: app.url, callbackBody: '' }, /The callback body is empty\./],
      [{ callbackUrl: app.url, callbackBody: 'a=${bucket' }, /The callback body is invalid\./],
      [{ callbackUrl: app.url, callbackBody: 'a=b', callbackBodyType: 'text/plain' }, /The body type of callback is not supported\./],
      [{ callbackUrl: app.url, callbackBody: 'a=b', callbackHost: 7 }, /The callback host configuration is invalid\./],
    ];
    for (const [i, [json, message]] of cases.entries()) {
      const e = await refused(`field-${i}.txt`, b64(json));
      assert.equal(e.code, 'InvalidArgument', JSON.stringify(json));
      assert.match(e.message ?? '', message);
    }
    const tooLong = await refused('long.txt', b64({ callbackUrl: app.url, callbackBody: 'x'.repeat(6000) }));
    assert.match(tooLong.message ?? '', /The length of callback exceed max value\./);
  });

  test('what Rampart cannot do it says so: an unknown variable, image facts of an image', async () => {
    const unknown = await refused('unknown.txt', b64({ callbackUrl: app.url, callbackBody: 'a=${nosuch}' }));
    assert.deepEqual([unknown.status, unknown.code], [501, 'NotImplemented']);
    const image = await ossError(
      client.put('photo.png', Buffer.from('png'), { mime: 'image/png', callback: { url: app.url, body: 'h=${imageInfo.height}' } } as Parameters<OssClient['put']>[2]),
    );
    assert.deepEqual([image.status, image.code], [501, 'NotImplemented']);
    assert.equal(await exists(client, 'photo.png'), false);
  });

  test('an empty callbackUrl is no callback at all, as OSS documents', async () => {
    const since = app.received.length;
    // (ali-oss expects a JSON answer whenever it sends x-oss-callback, so a presigned URL here.)
    const callback = b64({ callbackUrl: '', callbackBody: 'a=b' });
    const url = client.signatureUrl('nocallback.txt', { method: 'PUT', expires: 60, 'x-oss-callback': callback } as Parameters<OssClient['signatureUrl']>[1]);
    const res = await fetch(url, { method: 'PUT', body: Buffer.from('n'), headers: { 'x-oss-callback': callback } });
    assert.equal(res.status, 200, await res.text());
    assert.equal(await exists(client, 'nocallback.txt'), true);
    assert.equal(app.received.length, since);
  });
});

describe('multipart uploads with a callback', () => {
  test('multipartUpload: the app server gets the whole object, the client its answer', async () => {
    const since = app.received.length;
    const content = Buffer.alloc(250 * 1024, 7);
    const result = await client.multipartUpload('big/whole.bin', content, {
      partSize: 100 * 1024,
      mime: 'application/x-test',
      callback: { url: `${app.url}/ok/multipart`, body: 'object=${object}&size=${size}&etag=${etag}&operation=${operation}&contentMd5=${contentMd5}&p=${x:p}', customValue: { p: 'q' } },
    } as Parameters<OssClient['multipartUpload']>[2]);
    assert.deepEqual((result as unknown as { data: unknown }).data, { Status: 'OK', seen: '/ok/multipart' });
    const [got] = app.on('/ok/multipart', since);
    assert.ok(got);
    const form = new URLSearchParams(got.body);
    assert.equal(form.get('object'), 'big/whole.bin');
    assert.equal(form.get('size'), String(content.length), 'the size of the whole object');
    assert.match(form.get('etag') ?? '', /^[0-9A-F]{32}-3$/);
    assert.equal(form.get('operation'), 'CompleteMultipartUpload');
    assert.equal(form.get('contentMd5'), '', 'empty for CompleteMultipartUpload, as OSS');
    assert.equal(form.get('p'), 'q');
    assert.ok(await verifySignature(got));
    assert.ok((await client.get('big/whole.bin')).content.equals(content));
  });

  test('completeMultipartUpload: a failing callback is 203 and the object is complete', async () => {
    const { uploadId } = await client.initMultipartUpload('big/failing.bin');
    const part = await client.uploadPart('big/failing.bin', uploadId, 1, Buffer.from('only part'), 0, 9);
    const e = await ossError(client.completeMultipartUpload('big/failing.bin', uploadId, [{ number: 1, etag: part.etag }], { callback: { url: `${app.url}/fail`, body: 'a=${object}' } } as Parameters<OssClient['completeMultipartUpload']>[3]));
    assert.deepEqual([e.status, e.code], [203, 'CallbackFailed']);
    assert.equal((await client.get('big/failing.bin')).content.toString(), 'only part');
  });
});

describe('PostObject with a callback field', () => {
  /** A V1 form, its policy signed as an AppServer signs it (OSSAccessKeyId, policy, Signature). */
  const post = (key: string, fields: Record<string, string>, content = 'form bytes') => {
    const policy = Buffer.from(
      JSON.stringify({
        expiration: new Date(Date.now() + 10 * 60 * 1000).toISOString(),
        conditions: [['starts-with', '$key', 'forms/'], { bucket }, ...(fields['callback'] ? [{ callback: fields['callback'] }] : [])],
      }),
    ).toString('base64');
    const form = new FormData();
    form.set('key', key);
    form.set('policy', policy);
    form.set('OSSAccessKeyId', ROOT.accessKeyId);
    form.set('Signature', createHmac('sha1', ROOT.accessKeySecret).update(policy).digest('base64'));
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    form.set('file', new Blob([content], { type: 'text/plain' }), 'clip.txt');
    return fetch(`${server.endpoints.oss}/${bucket}`, { method: 'POST', body: form });
  };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

  test('the form callback and its x: fields reach the app server; the form gets its answer', async () => {
    const since = app.received.length;
    const res = await post('forms/${filename}', {
      callback: b64({ callbackUrl: `${app.url}/ok/form`, callbackBody: 'object=${object}&size=${size}&mimeType=${mimeType}&operation=${operation}&user=${x:user}&contentMd5=${contentMd5}' }),
      'x:user': 'u-42',
      success_action_status: '201',
    });
    assert.equal(res.status, 200, 'with a callback the answer is the app server\'s, whatever success_action_status asked');
    assert.deepEqual(await res.json(), { Status: 'OK', seen: '/ok/form' });
    assert.equal(res.headers.get('etag'), `"${createHash('md5').update('form bytes').digest('hex').toUpperCase()}"`);
    const [got] = app.on('/ok/form', since);
    assert.equal(got?.body, `object=forms%2Fclip.txt&size=10&mimeType=text%2Fplain&operation=PostObject&user=u-42&contentMd5=${encodeURIComponent(createHash('md5').update('form bytes').digest('base64'))}`);
    assert.ok(got && (await verifySignature(got)));
    assert.equal((await client.get('forms/clip.txt')).content.toString(), 'form bytes');
  });

  test('a failing callback: 203 CallbackFailed, the file stored; a bad one: 400, nothing stored', async () => {
    const failed = await post('forms/failed.txt', { callback: b64({ callbackUrl: `${app.url}/fail`, callbackBody: 'a=${object}' }) });
    assert.equal(failed.status, 203);
    assert.match(await failed.text(), /<Code>CallbackFailed<\/Code>/);
    assert.equal(await exists(client, 'forms/failed.txt'), true);
    const bad = await post('forms/bad.txt', { callback: 'not base64!' });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /The callback configuration is not base64 encoded\./);
    assert.equal(await exists(client, 'forms/bad.txt'), false);
  });
});

describe("the operator's rules", () => {
  let guarded: TestServer;
  let guardedClient: OssClient;
  before(async () => {
    guarded = await startTestServer({ ossCallbacks: { allowedHosts: ['*.example.com', '127.0.0.1'], refusePrivateAddresses: true, timeoutMs: TIMEOUT_MS } });
    await ossClient(guarded.endpoints.oss, ROOT).putBucket(bucket);
    guardedClient = ossClient(guarded.endpoints.oss, ROOT, { bucket });
  });
  after(() => guarded.stop());

  test('a host not on the allow-list is refused before anything is stored', async () => {
    const since = app.received.length;
    const e = await ossError(guardedClient.put('elsewhere.txt', Buffer.from('x'), { callback: { url: 'http://other.test:8080/cb', body: 'a=b' } } as Parameters<OssClient['put']>[2]));
    assert.deepEqual([e.status, e.code], [400, 'InvalidArgument']);
    assert.match(e.message ?? '', /not allowed/);
    assert.equal(await exists(guardedClient, 'elsewhere.txt'), false);
    assert.equal(app.received.length, since);
  });

  test('private addresses refused: an address in the URL before storing, a name that resolves to one when calling', async () => {
    const literal = await ossError(guardedClient.put('private.txt', Buffer.from('x'), { callback: { url: `${app.url}/ok/private`, body: 'a=b' } } as Parameters<OssClient['put']>[2]));
    assert.deepEqual([literal.status, literal.code], [400, 'InvalidArgument']);
    assert.match(literal.message ?? '', /Private address is forbidden to callback\./);
    assert.equal(await exists(guardedClient, 'private.txt'), false);
    // localhost.example.com is allowed by name; whatever it resolves to, a private address is not called.
    const byName = await ossError(guardedClient.put('byname.txt', Buffer.from('x'), { callback: { url: 'http://localhost.example.com/cb', body: 'a=b' } } as Parameters<OssClient['put']>[2]));
    assert.deepEqual([byName.status, byName.code], [203, 'CallbackFailed']);
    assert.equal(await exists(guardedClient, 'byname.txt'), true);
  });
});

describe('the device story', () => {
  test('a device with a token scoped to d-001/ uploads with a callback; the app server learns the key and size', async () => {
    const admin = ramClient(server.apiHost, ROOT);
    await admin('CreateUser', { UserName: 'app-server' });
    await admin('AttachPolicyToUser', { UserName: 'app-server', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
    const ak = (await admin('CreateAccessKey', { UserName: 'app-server' }))['AccessKey'] as Record<string, string>;
    const appServer: Creds = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
    await admin('CreateRole', { RoleName: 'uploader', AssumeRolePolicyDocument: trust });
    await admin('AttachPolicyToRole', { RoleName: 'uploader', PolicyType: 'System', PolicyName: 'AliyunOSSFullAccess' });
    const token = sessionOf(
      await stsV3(server.apiHost, appServer).assumeRole({
        RoleArn: `acs:ram::${ROOT.accountId}:role/uploader`,
        RoleSessionName: 'd-001',
        Policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: `acs:oss:*:*:${bucket}/d-001/*` }] }),
        DurationSeconds: 900,
      }),
    );
    const device = ossClient(server.endpoints.oss, token, { bucket });
    const since = app.received.length;
    const put = await device.put('d-001/clip-0001.mp4', Buffer.from('frame data'), {
      callback: { url: `${app.url}/ok/device`, body: 'key=${object}&size=${size}&device=${x:device}', customValue: { device: 'd-001' } },
    } as Parameters<OssClient['put']>[2]);
    assert.deepEqual((put as unknown as { data: unknown }).data, { Status: 'OK', seen: '/ok/device' });
    const [got] = app.on('/ok/device', since);
    assert.equal(got?.body, 'key=d-001%2Fclip-0001.mp4&size=10&device=d-001');
    assert.ok(got && (await verifySignature(got)));
    // Outside its prefix the device is refused before any callback is made.
    const outside = await ossError(device.put('d-002/clip.mp4', Buffer.from('x'), { callback: { url: `${app.url}/ok/device`, body: 'key=${object}' } } as Parameters<OssClient['put']>[2]));
    assert.equal(outside.code, 'AccessDenied');
    assert.equal(app.on('/ok/device', since).length, 1);
  });
});

