// A web page talks to OSS straight from the browser, with no proxy: Chromium loads a page from
// one origin and, with URLs and a form its app server (this test) signed with ali-oss, uploads to
// Rampart's OSS listener on another origin with a V4 presigned PUT and a V4 PostObject form,
// downloads with a presigned GET that asks for a Content-Disposition, and reads a public-read
// object without credentials. Every one of those needs the bucket's CORS rules to let the page's
// origin in; a bucket whose rules name another origin refuses the same page, and stores nothing.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchChromium, pageErrors } from '../helpers/browser.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError, type OssClient } from '../sdk/oss-client.js';

const missing = browserMissing();

/** The page's own origin: a server that serves one empty page. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>uploader</title><p>uploader</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The fields of a V4 PostObject form, signed as an app server signs them with ali-oss. */
function v4Form(client: OssClient, bucket: string, key: string, now: Date): Record<string, string> {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  const date = `${day}T${now.toISOString().slice(11, 19).replace(/:/g, '')}Z`;
  const credential = `${ROOT.accessKeyId}/${day}/cn-hangzhou/oss/aliyun_v4_request`;
  const policy = {
    expiration: new Date(now.getTime() + 10 * 60_000).toISOString(),
    conditions: [
      { bucket },
      ['eq', '$key', key],
      ['content-length-range', 1, 1024 * 1024],
      { 'x-oss-signature-version': 'OSS4-HMAC-SHA256' },
      { 'x-oss-credential': credential },
      { 'x-oss-date': date },
    ],
  };
  const sign = (client as unknown as { signPostObjectPolicyV4(p: object, d: Date): string }).signPostObjectPolicyV4.bind(client);
  return {
    key,
    policy: Buffer.from(JSON.stringify(policy)).toString('base64'),
    'x-oss-signature-version': 'OSS4-HMAC-SHA256',
    'x-oss-credential': credential,
    'x-oss-date': date,
    'x-oss-signature': sign(policy, now),
    success_action_status: '200',
  };
}

/** What the page saw of one fetch: its status, body and the headers CORS let it read, or the failure. */
interface Seen {
  ok?: boolean;
  status?: number;
  body?: string;
  headers?: Record<string, string | null>;
  failed?: string;
}

describe('OSS from a web page in Chromium, across origins', { skip: missing }, () => {
  let rampart: TestServer;
  let page: Page;
  let browser: Browser;
  let site: { server: Server; origin: string };
  let errors: string[];
  let ossOrigin = '';
  let admin: OssClient;
  /** ali-oss as the app server holds it: V4, path style on http://localhost:<port>. */
  const v4 = (bucket: string) => ossClient(rampart.endpoints.oss, ROOT, { bucket, authorizationV4: true });

  before(async () => {
    rampart = await startTestServer();
    ossOrigin = `http://localhost:${new URL(rampart.endpoints.oss).port}`;
    site = await pageServer();
    admin = ossClient(rampart.endpoints.oss, ROOT);
    const rule = (origin: string) => ({ allowedOrigin: origin, allowedMethod: ['GET', 'HEAD', 'PUT', 'POST'], allowedHeader: '*', exposeHeader: ['ETag', 'x-oss-request-id', 'Content-Disposition'], maxAgeSeconds: '60' });
    await admin.putBucket('page-uploads');
    await admin.putBucketCORS('page-uploads', [rule(site.origin)]);
    await admin.putBucket('page-public', { acl: 'public-read' } as never);
    await admin.putBucketCORS('page-public', [rule(site.origin)]);
    await ossClient(rampart.endpoints.oss, ROOT, { bucket: 'page-public' }).put('logo.txt', Buffer.from('public logo'));
    await admin.putBucket('page-closed');
    await admin.putBucketCORS('page-closed', [rule('https://app.example.com')]);
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    errors = pageErrors(page);
    await page.goto(site.origin);
  });
  after(async () => {
    await browser?.close();
    await rampart?.stop();
    site?.server.close();
  });

  /** Runs a fetch in the page; what CORS lets it read comes back. */
  const fetchInPage = (url: string, init: { method: string; body?: string; headers?: Record<string, string> }, expose: string[] = []): Promise<Seen> =>
    page.evaluate(
      async ({ url, init, expose }) => {
        try {
          const res = await fetch(url, init);
          return { ok: res.ok, status: res.status, body: await res.text(), headers: Object.fromEntries(expose.map((h) => [h, res.headers.get(h)])) };
        } catch (e) {
          return { failed: String(e) };
        }
      },
      { url, init, expose },
    );

  it('uploads with a V4 presigned PUT URL and reads the ETag and request id CORS exposes', async () => {
    const url = await v4('page-uploads').signatureUrlV4('PUT', 300, { headers: { 'Content-Type': 'text/plain' } }, 'd-001/presigned.txt');
    const seen = await fetchInPage(url, { method: 'PUT', body: 'from the page', headers: { 'Content-Type': 'text/plain' } }, ['etag', 'x-oss-request-id']);
    assert.equal(seen.status, 200, JSON.stringify(seen));
    assert.match(seen.headers?.['etag'] ?? '', /^"[0-9A-F]{32}"$/);
    assert.match(seen.headers?.['x-oss-request-id'] ?? '', /^[0-9A-F]{24}$/);
    assert.equal((await ossClient(rampart.endpoints.oss, ROOT, { bucket: 'page-uploads' }).get('d-001/presigned.txt')).content.toString(), 'from the page');
  });

  it('uploads with a V4-signed PostObject form', async () => {
    const fields = v4Form(v4('page-uploads'), 'page-uploads', 'd-001/form.txt', new Date());
    const seen = await page.evaluate(
      async ({ url, fields }) => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append('file', new Blob(['posted from the page'], { type: 'text/plain' }), 'form.txt');
        try {
          const res = await fetch(url, { method: 'POST', body: form });
          return { status: res.status, body: await res.text(), etag: res.headers.get('etag') };
        } catch (e) {
          return { failed: String(e) };
        }
      },
      { url: `${ossOrigin}/page-uploads`, fields },
    );
    assert.equal((seen as { status?: number }).status, 200, JSON.stringify(seen));
    assert.match((seen as { etag?: string }).etag ?? '', /^"[0-9A-F]{32}"$/);
    assert.equal((await ossClient(rampart.endpoints.oss, ROOT, { bucket: 'page-uploads' }).get('d-001/form.txt')).content.toString(), 'posted from the page');
  });

  it('downloads with a presigned GET that sets Content-Disposition', async () => {
    const url = await v4('page-uploads').signatureUrlV4('GET', 300, { queries: { 'response-content-disposition': 'attachment; filename="reading.txt"' } }, 'd-001/presigned.txt');
    const seen = await fetchInPage(url, { method: 'GET' }, ['content-disposition']);
    assert.equal(seen.status, 200, JSON.stringify(seen));
    assert.equal(seen.body, 'from the page');
    assert.equal(seen.headers?.['content-disposition'], 'attachment; filename="reading.txt"');
  });

  it('reads a public-read object anonymously, and is refused a private one with a readable error', async () => {
    const pub = await fetchInPage(`${ossOrigin}/page-public/logo.txt`, { method: 'GET' });
    assert.deepEqual([pub.status, pub.body], [200, 'public logo']);
    const priv = await fetchInPage(`${ossOrigin}/page-uploads/d-001/form.txt`, { method: 'GET' });
    assert.equal(priv.status, 403, 'the error answer carries CORS headers too, so the page can read it');
    assert.match(priv.body ?? '', /<Code>AccessDenied<\/Code>/);
  });

  it('is refused by a bucket whose CORS rules do not name its origin, and nothing is stored', async () => {
    const url = await v4('page-closed').signatureUrlV4('PUT', 300, { headers: { 'Content-Type': 'text/plain' } }, 'intruder.txt');
    const seen = await fetchInPage(url, { method: 'PUT', body: 'x', headers: { 'Content-Type': 'text/plain' } });
    assert.ok(seen.failed, `the browser blocks it: ${JSON.stringify(seen)}`);
    const fields = v4Form(v4('page-closed'), 'page-closed', 'form-intruder.txt', new Date());
    const posted = await page.evaluate(
      async ({ url, fields }) => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append('file', new Blob(['x']), 'x.txt');
        try {
          await fetch(url, { method: 'POST', body: form });
          return 'read';
        } catch {
          return 'blocked';
        }
      },
      { url: `${ossOrigin}/page-closed`, fields },
    );
    // A form POST is a "simple" request: the browser sends it without asking and only keeps the
    // answer from the page, as it would with the real OSS (CORS is the browser's rule, not a lock).
    assert.equal(posted, 'blocked');
    const closed = ossClient(rampart.endpoints.oss, ROOT, { bucket: 'page-closed' });
    assert.equal((await ossError(closed.head('intruder.txt'))).status, 404, 'the preflight stopped the PUT');
    // Chromium logs each blocked request as an error: those are the refusals this test asked for.
    const unexpected = errors.filter((e) => !/CORS policy|Failed to load resource|net::ERR_FAILED/.test(e));
    assert.deepEqual(unexpected, []);
  });
});
