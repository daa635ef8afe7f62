// OSS CORS: PutBucketCors / GetBucketCors / DeleteBucketCors through the unmodified ali-oss (and
// hand-signed bodies no SDK sends), the preflight (OPTIONS) a browser sends unsigned, and the CORS
// headers on actual answers, errors included, as a browser reads them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { matchCorsRule, matchesWildcard, type CorsRule } from '../../src/services/oss/cors.js';
import { errorCode, rawOss, type RawOssAnswer } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError } from './oss-client.js';

let server: TestServer;
const bucket = 'cors-bucket';
const APP = 'https://app.example.com';
const DENIED_MESSAGE =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

const client = () => ossClient(server.endpoints.oss, ROOT, { bucket });
const url = (path: string) => `${server.endpoints.oss}/${bucket}${path}`;

/** A browser's preflight: unsigned OPTIONS with Origin and Access-Control-Request-*. */
function preflight(path: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url(path), { method: 'OPTIONS', headers });
}

const putCorsXml = (xml: string): Promise<RawOssAnswer> => rawOss(server.endpoints.oss, { method: 'PUT', path: `/${bucket}?cors`, creds: ROOT, headers: { 'content-type': 'application/xml' }, body: xml });
const cors = (rules: string, tail = '') => `<?xml version="1.0" encoding="UTF-8"?>\n<CORSConfiguration>${rules}${tail}</CORSConfiguration>`;
const rule = (inner: string) => `<CORSRule>${inner}</CORSRule>`;

/** The rules most tests run against: an exact origin for GET/PUT with headers, a wildcard origin for GET only. */
async function standardRules(): Promise<void> {
  await client().putBucketCORS(bucket, [
    { allowedOrigin: APP, allowedMethod: ['GET', 'PUT'], allowedHeader: ['x-oss-meta-*', 'content-type'], exposeHeader: ['ETag', 'x-oss-request-id'], maxAgeSeconds: '600' },
    { allowedOrigin: 'https://*.static.example.com', allowedMethod: 'GET' },
  ]);
}

before(async () => {
  server = await startTestServer();
  await ossClient(server.endpoints.oss, ROOT).putBucket(bucket);
  await client().put('hello.txt', Buffer.from('hello, cors'));
  await ossClient(server.endpoints.oss, ROOT).putBucket('no-cors-bucket');
});
after(() => server.stop());

describe('PutBucketCors / GetBucketCors / DeleteBucketCors', () => {
  test('rules round-trip through ali-oss, and a new document replaces the old whole', async () => {
    await standardRules();
    const got = await client().getBucketCORS(bucket);
    assert.equal(got.rules.length, 2);
    assert.deepEqual(got.rules[0], {
      allowedOrigin: APP,
      allowedMethod: ['GET', 'PUT'],
      allowedHeader: ['x-oss-meta-*', 'content-type'],
      exposeHeader: ['ETag', 'x-oss-request-id'],
      maxAgeSeconds: '600',
    });
    assert.deepEqual(got.rules[1], { allowedOrigin: 'https://*.static.example.com', allowedMethod: 'GET' });

    // The real document, ResponseVary included though it was never set.
    const raw = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${bucket}?cors`, creds: ROOT });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-type'], 'application/xml');
    assert.match(raw.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<CORSConfiguration><CORSRule><AllowedOrigin>https:\/\/app.example.com<\/AllowedOrigin><AllowedMethod>GET<\/AllowedMethod><AllowedMethod>PUT<\/AllowedMethod>/);
    assert.match(raw.body, /<MaxAgeSeconds>600<\/MaxAgeSeconds><\/CORSRule>/);
    assert.match(raw.body, /<ResponseVary>false<\/ResponseVary><\/CORSConfiguration>$/);

    await client().putBucketCORS(bucket, [{ allowedOrigin: '*', allowedMethod: 'HEAD' }]);
    assert.deepEqual((await client().getBucketCORS(bucket)).rules, [{ allowedOrigin: '*', allowedMethod: 'HEAD' }]);

    assert.equal((await putCorsXml(cors(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>'), '<ResponseVary>true</ResponseVary>'))).status, 200);
    const vary = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${bucket}?cors`, creds: ROOT });
    assert.match(vary.body, /<ResponseVary>true<\/ResponseVary>/);
  });

  test('no rules: GetBucketCors is NoSuchCORSConfiguration; DeleteBucketCors is 204 every time', async () => {
    await standardRules();
    // @types/ali-oss has the answer itself where ali-oss returns { res }.
    const deleteCors = async () => ((await client().deleteBucketCORS(bucket)) as unknown as { res: { status: number } }).res.status;
    assert.equal(await deleteCors(), 204);
    assert.equal(await deleteCors(), 204);
    const e = await ossError(client().getBucketCORS(bucket));
    assert.equal(e.status, 404);
    assert.equal(e.code, 'NoSuchCORSConfiguration');
    const raw = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${bucket}?cors`, creds: ROOT });
    assert.match(raw.body, /<Message>The CORS configuration does not exist.<\/Message>/);
  });

  test('on a bucket that does not exist: NoSuchBucket', async () => {
    const missing = ossClient(server.endpoints.oss, ROOT, { bucket: 'no-such-cors-bucket' });
    assert.equal((await ossError(missing.getBucketCORS('no-such-cors-bucket'))).code, 'NoSuchBucket');
    assert.equal((await ossError(missing.putBucketCORS('no-such-cors-bucket', [{ allowedOrigin: '*', allowedMethod: 'GET' }]))).code, 'NoSuchBucket');
  });

  test('an anonymous caller may not set, read or delete the rules, and each attempt is audited', async () => {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const body = method === 'PUT' ? cors(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>')) : undefined;
      const answer = await rawOss(server.endpoints.oss, { method, path: `/${bucket}?cors`, ...(body ? { body } : {}) });
      assert.equal(answer.status, 403, method);
      assert.equal(errorCode(answer), 'AccessDenied');
    }
    const names = server.audited.filter((r) => r.caller.type === 'Anonymous' && r.errorCode === 'AccessDenied').map((r) => r.eventName);
    assert.deepEqual(names.slice(-3), ['PutBucketCors', 'GetBucketCors', 'DeleteBucketCors']);
  });

  test('refused documents, with the code OSS gives, leave the rules as they were', async () => {
    await standardRules();
    const valid = '<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>';
    const cases: { name: string; xml: string; code: string; argument?: [string, string] }[] = [
      { name: 'not well-formed', xml: '<CORSConfiguration><CORSRule>', code: 'MalformedXML' },
      { name: 'another root', xml: '<CORS>' + rule(valid) + '</CORS>', code: 'MalformedXML' },
      { name: 'no rule', xml: cors(''), code: 'MalformedXML' },
      { name: 'eleven rules', xml: cors(rule(valid).repeat(11)), code: 'InvalidArgument' },
      { name: 'no AllowedOrigin', xml: cors(rule('<AllowedMethod>GET</AllowedMethod>')), code: 'MalformedXML' },
      { name: 'no AllowedMethod', xml: cors(rule('<AllowedOrigin>*</AllowedOrigin>')), code: 'MalformedXML' },
      { name: 'method OPTIONS', xml: cors(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>OPTIONS</AllowedMethod>')), code: 'InvalidArgument', argument: ['AllowedMethod', 'OPTIONS'] },
      { name: 'empty method', xml: cors(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod></AllowedMethod>')), code: 'InvalidArgument', argument: ['AllowedMethod', ''] },
      { name: 'two * in an origin', xml: cors(rule('<AllowedOrigin>https://*.a.*.com</AllowedOrigin><AllowedMethod>GET</AllowedMethod>')), code: 'InvalidArgument', argument: ['AllowedOrigin', 'https://*.a.*.com'] },
      { name: 'two * in a header', xml: cors(rule(valid + '<AllowedHeader>x-*-*</AllowedHeader>')), code: 'InvalidArgument', argument: ['AllowedHeader', 'x-*-*'] },
      { name: '* in an expose header', xml: cors(rule(valid + '<ExposeHeader>x-oss-*</ExposeHeader>')), code: 'InvalidArgument', argument: ['ExposeHeader', 'x-oss-*'] },
      { name: 'negative MaxAgeSeconds', xml: cors(rule(valid + '<MaxAgeSeconds>-1</MaxAgeSeconds>')), code: 'InvalidArgument', argument: ['MaxAgeSeconds', '-1'] },
      { name: 'MaxAgeSeconds not a number', xml: cors(rule(valid + '<MaxAgeSeconds>1.5</MaxAgeSeconds>')), code: 'InvalidArgument', argument: ['MaxAgeSeconds', '1.5'] },
      { name: 'two MaxAgeSeconds', xml: cors(rule(valid + '<MaxAgeSeconds>1</MaxAgeSeconds><MaxAgeSeconds>2</MaxAgeSeconds>')), code: 'MalformedXML' },
      { name: 'an element OSS does not define', xml: cors(rule(valid + '<AllowCredentials>true</AllowCredentials>')), code: 'MalformedXML' },
      { name: 'ResponseVary not a boolean', xml: cors(rule(valid), '<ResponseVary>yes</ResponseVary>'), code: 'InvalidArgument', argument: ['ResponseVary', 'yes'] },
    ];
    for (const c of cases) {
      const answer = await putCorsXml(c.xml);
      assert.equal(answer.status, 400, c.name);
      assert.equal(errorCode(answer), c.code, c.name);
      if (c.argument) {
        assert.match(answer.body, new RegExp(`<ArgumentName>${c.argument[0]}</ArgumentName>`), c.name);
        assert.ok(answer.body.includes(`<ArgumentValue>${c.argument[1]}</ArgumentValue>`) || c.argument[1] === '', c.name);
      }
    }
    // ali-oss sends what it is given; the server refuses it.
    const viaSdk = await ossError(client().putBucketCORS(bucket, [{ allowedOrigin: '*', allowedMethod: 'PATCH' }]));
    assert.equal(viaSdk.status, 400);
    assert.equal(viaSdk.code, 'InvalidArgument');
    assert.equal((await client().getBucketCORS(bucket)).rules.length, 2);
  });

  test('a Content-MD5 that does not match the document is refused', async () => {
    const answer = await rawOss(server.endpoints.oss, {
      method: 'PUT',
      path: `/${bucket}?cors`,
      creds: ROOT,
      headers: { 'content-md5': Buffer.alloc(16).toString('base64') },
      body: cors(rule('<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>')),
    });
    assert.equal(answer.status, 400);
    assert.equal(errorCode(answer), 'InvalidDigest');
  });
});

describe('preflight (OPTIONS)', () => {
  before(standardRules);

  test('allowed: the first matching rule answers, with no signature and no audit event', async () => {
    const audited = server.audited.length;
    const res = await preflight('/hello.txt', { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'Content-Type, X-OSS-Meta-Author' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, PUT');
    assert.equal(res.headers.get('access-control-allow-headers'), 'Content-Type, X-OSS-Meta-Author');
    assert.equal(res.headers.get('access-control-expose-headers'), 'ETag, x-oss-request-id');
    assert.equal(res.headers.get('access-control-max-age'), '600');
    assert.equal(res.headers.get('vary'), null, 'ResponseVary is off');
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
    assert.match(res.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
    assert.equal(await res.text(), '');
    assert.equal(server.audited.length, audited, 'a preflight is no operation of anyone');
  });

  test('a wildcard origin, a bucket-level path, and a signature that would not verify (never checked)', async () => {
    const res = await preflight('', { Origin: 'https://cdn.static.example.com', 'Access-Control-Request-Method': 'GET', Authorization: 'OSS nobody:bogus' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://cdn.static.example.com');
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET');
    assert.equal(res.headers.get('access-control-max-age'), null);
    assert.equal(res.headers.get('access-control-allow-headers'), null);
  });

  test('refused: origin, method or a header not allowed, or no Origin at all', async () => {
    const refusals: Record<string, string>[] = [
      { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'GET' },
      { Origin: 'https://static.example.com', 'Access-Control-Request-Method': 'GET' },
      { Origin: 'https://cdn.static.example.com', 'Access-Control-Request-Method': 'PUT' },
      { Origin: APP, 'Access-Control-Request-Method': 'DELETE' },
      { Origin: APP, 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-oss-meta-author, authorization' },
      { 'Access-Control-Request-Method': 'GET' },
      { Origin: APP },
    ];
    for (const headers of refusals) {
      const res = await preflight('/hello.txt', headers);
      const body = await res.text();
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(body, /<Code>AccessForbidden<\/Code>/);
      assert.ok(body.includes(`<Message>${DENIED_MESSAGE.replace(/'/g, '&apos;')}</Message>`), body);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.match(res.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
    }
  });

  test('a bucket without rules refuses every preflight; a missing bucket is NoSuchBucket', async () => {
    const none = await fetch(`${server.endpoints.oss}/no-cors-bucket/x`, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(none.status, 403);
    assert.match(await none.text(), /<Code>AccessForbidden<\/Code>/);
    const missing = await fetch(`${server.endpoints.oss}/no-such-bucket-here/x`, { method: 'OPTIONS', headers: { Origin: APP, 'Access-Control-Request-Method': 'GET' } });
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<Code>NoSuchBucket<\/Code>/);
  });
});

describe('CORS headers on actual answers', () => {
  before(standardRules);

  test('a GET from an allowed origin carries the rule, a GET from any other none', async () => {
    const signed = client().signatureUrl('hello.txt', { expires: 60 });
    const res = await fetch(signed, { headers: { Origin: APP } });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello, cors');
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
    assert.equal(res.headers.get('access-control-allow-methods'), 'GET, PUT');
    assert.equal(res.headers.get('access-control-expose-headers'), 'ETag, x-oss-request-id');
    assert.equal(res.headers.get('access-control-max-age'), '600');
    assert.equal(res.headers.get('vary'), null);

    const other = await fetch(signed, { headers: { Origin: 'https://evil.example.net' } });
    assert.equal(other.status, 200);
    for (const name of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-expose-headers', 'access-control-max-age', 'vary']) {
      assert.equal(other.headers.get(name), null, name);
    }
    const plain = await fetch(signed);
    assert.equal(plain.headers.get('access-control-allow-origin'), null);

    // The wildcard rule allows GET only: a signed DELETE from its origin succeeds without CORS headers.
    await client().put('doomed.txt', Buffer.from('x'));
    const del = await rawOss(server.endpoints.oss, { method: 'DELETE', path: `/${bucket}/doomed.txt`, creds: ROOT, headers: { origin: 'https://cdn.static.example.com' } });
    assert.equal(del.status, 204);
    assert.equal(del.headers['access-control-allow-origin'], undefined);
  });

  test('errors carry them too, so the page can read why: a missing key, a refused upload, a bad signature', async () => {
    const missing = await fetch(client().signatureUrl('nope.txt', { expires: 60 }), { headers: { Origin: APP } });
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), APP);
    assert.match(await missing.text(), /<Code>NoSuchKey<\/Code>/);

    // An unsigned upload to a private bucket: refused by authorization.
    const refused = await fetch(url('/upload.txt'), { method: 'PUT', headers: { Origin: APP }, body: 'data' });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('access-control-allow-origin'), APP);
    assert.equal(refused.headers.get('access-control-expose-headers'), 'ETag, x-oss-request-id');
    assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);

    // A signature that does not verify: refused before the caller is known.
    const forged = await fetch(url('/upload.txt'), { method: 'PUT', headers: { Origin: APP, Date: new Date().toUTCString(), Authorization: `OSS ${ROOT.accessKeyId}:AAAAAAAAAAAAAAAAAAAAAAAAAAA=` }, body: 'data' });
    assert.equal(forged.status, 403);
    assert.equal(forged.headers.get('access-control-allow-origin'), APP);
    assert.match(await forged.text(), /<Code>SignatureDoesNotMatch<\/Code>/);

    // An error to an origin no rule allows carries nothing.
    const evil = await fetch(url('/upload.txt'), { method: 'PUT', headers: { Origin: 'https://evil.example.net' }, body: 'data' });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });

  test('a browser form upload (PostObject) refused as it is read, or for its signature, carries them', async () => {
    const xml = cors(rule(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>POST</AllowedMethod>`));
    assert.equal((await putCorsXml(xml)).status, 200);
    try {
      const notAForm = await fetch(url(''), { method: 'POST', headers: { Origin: APP, 'content-type': 'text/plain' }, body: 'x' });
      assert.equal(notAForm.status, 400);
      assert.equal(notAForm.headers.get('access-control-allow-origin'), APP);
      assert.equal(notAForm.headers.get('access-control-allow-methods'), 'POST');
      assert.match(await notAForm.text(), /<Code>InvalidArgument<\/Code>/);

      const form = new FormData();
      form.set('key', 'form.txt');
      form.set('OSSAccessKeyId', ROOT.accessKeyId);
      form.set('policy', Buffer.from(JSON.stringify({ expiration: '2099-01-01T00:00:00.000Z', conditions: [] })).toString('base64'));
      form.set('Signature', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=');
      form.set('file', new Blob(['data']), 'form.txt');
      const forged = await fetch(url(''), { method: 'POST', headers: { Origin: APP }, body: form });
      assert.equal(forged.status, 403);
      assert.equal(forged.headers.get('access-control-allow-origin'), APP);
      assert.match(await forged.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
    } finally {
      await standardRules();
    }
  });

  test('ResponseVary true: Vary: Origin on every answer for the bucket, cross-origin or not, allowed or not', async () => {
    const xml = cors(rule(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`), '<ResponseVary>true</ResponseVary>');
    assert.equal((await putCorsXml(xml)).status, 200);
    try {
      const signed = client().signatureUrl('hello.txt', { expires: 60 });
      const allowed = await fetch(signed, { headers: { Origin: APP } });
      assert.equal(allowed.headers.get('vary'), 'Origin');
      assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
      assert.equal((await fetch(signed)).headers.get('vary'), 'Origin');
      const other = await fetch(signed, { headers: { Origin: 'https://evil.example.net' } });
      assert.equal(other.headers.get('vary'), 'Origin');
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      const missing = await fetch(client().signatureUrl('nope.txt', { expires: 60 }));
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('vary'), 'Origin');
      const allowedPreflight = await preflight('/hello.txt', { Origin: APP, 'Access-Control-Request-Method': 'GET' });
      assert.equal(allowedPreflight.status, 200);
      assert.equal(allowedPreflight.headers.get('vary'), 'Origin');
      const refusedPreflight = await preflight('/hello.txt', { Origin: APP, 'Access-Control-Request-Method': 'PUT' });
      assert.equal(refusedPreflight.status, 403);
      assert.equal(refusedPreflight.headers.get('vary'), 'Origin');
      // Another bucket's answers are its own.
      const elsewhere = await fetch(`${server.endpoints.oss}/no-cors-bucket/x`, { headers: { Origin: APP } });
      assert.equal(elsewhere.headers.get('vary'), null);
    } finally {
      await standardRules();
    }
  });

  test('once the rules are deleted, preflights are refused and answers carry no CORS headers', async () => {
    await client().deleteBucketCORS(bucket);
    try {
      const res = await preflight('/hello.txt', { Origin: APP, 'Access-Control-Request-Method': 'GET' });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /<Code>AccessForbidden<\/Code>/);
      const got = await fetch(client().signatureUrl('hello.txt', { expires: 60 }), { headers: { Origin: APP } });
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('access-control-allow-origin'), null);
    } finally {
      await standardRules();
    }
  });
});

describe('matchCorsRule (pure)', () => {
  const r = (origins: string[], methods: string[], headers: string[] = []): CorsRule => ({ allowedOrigins: origins, allowedMethods: methods, allowedHeaders: headers, exposeHeaders: [] });

  test('wildcards: one * is a prefix and a suffix, nothing more', () => {
    const cases: [string, string, boolean][] = [
      ['*', 'https://anything.example', true],
      ['*', '', true],
      ['https://*.example.com', 'https://a.example.com', true],
      ['https://*.example.com', 'https://a.b.example.com', true],
      ['https://*.example.com', 'https://example.com', false],
      ['https://*.example.com', 'http://a.example.com', false],
      ['https://*.example.com', 'https://a.example.com.evil.net', false],
      ['https://app.example.com', 'https://app.example.com', true],
      ['https://app.example.com', 'https://app.example.com:8443', false],
      // Prefix and suffix may not overlap in the text.
      ['ab*ba', 'aba', false],
      ['ab*ba', 'abba', true],
      // Never stored (PutBucketCors refuses it), and never a match.
      ['a*b*c', 'abc', false],
    ];
    for (const [pattern, text, expected] of cases) assert.equal(matchesWildcard(pattern, text), expected, `${pattern} ~ ${text}`);
    // Linear whatever the input: a long text against a pattern that cannot match is two comparisons, not a search.
    assert.equal(matchesWildcard('a*' + 'a'.repeat(10_000) + 'b', 'a'.repeat(1_000_000)), false);
  });

  test('the first rule that allows origin, method and every requested header wins; header names ignore case', () => {
    const rules = [r(['https://a.example'], ['GET']), r(['*'], ['GET', 'PUT'], ['x-oss-meta-*', 'Content-Type']), r(['*'], ['DELETE'], ['*'])];
    assert.equal(matchCorsRule(rules, 'https://a.example', 'GET'), rules[0]);
    assert.equal(matchCorsRule(rules, 'https://a.example', 'GET', ['content-type']), rules[1]);
    assert.equal(matchCorsRule(rules, 'https://b.example', 'PUT', ['X-OSS-META-Author', 'CONTENT-TYPE']), rules[1]);
    assert.equal(matchCorsRule(rules, 'https://b.example', 'PUT', ['authorization']), undefined);
    assert.equal(matchCorsRule(rules, 'https://b.example', 'DELETE', ['anything-at-all']), rules[2]);
    assert.equal(matchCorsRule(rules, 'https://b.example', 'POST'), undefined);
    assert.equal(matchCorsRule(rules, 'https://b.example', 'get'), undefined, 'methods are compared as sent');
  });
});
