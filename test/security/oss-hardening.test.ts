// OSS defects found by attacking a running server: V4 signatures honoured outside their scope,
// bodies nobody compared with their digest, presigned URLs that outlive their cap, form policies
// that fail open, lost appends, half-done multi-deletes, stored objects no one can read back,
// 500s from client input and refusals that say too much. Each is refused now, and changes nothing.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { ossV4CanonicalRequest, ossV4Signature, ossV4StringToSign } from '../../src/auth/oss/signature.js';
import { createAccount } from '../../src/server/index.js';
import { errorCode, rawOss } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError } from '../sdk/oss-client.js';
import { allow, doc, ramClient, userWithKey } from './fixture.js';

let server: TestServer;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };
const BUCKET = 'hardened';

before(async () => {
  server = await startTestServer({ ossLimits: { maxObjectSize: 1024 * 1024, maxPartSize: 512 * 1024, minPartSize: 1024 } });
  assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}`, creds: root })).status, 200);
});
after(() => server.stop());

const get = (key: string) => rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}/${key}`, creds: root });
const put = (key: string, body: string, extra: Partial<Parameters<typeof rawOss>[1]> = {}) => rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}/${key}`, body, creds: root, ...extra });

test('V4: a signature scoped to another day, another region or another product is refused', async () => {
  assert.equal((await put('v4/ok.txt', 'ok', { v4: {} })).status, 200, 'the right scope works');
  const day = await put('v4/day.txt', 'x', { v4: { day: '20200101' } });
  assert.deepEqual([day.status, errorCode(day)], [400, 'InvalidArgument']);
  assert.match(day.body, /Invalid signing date in Authorization header\./);
  const region = await put('v4/region.txt', 'x', { v4: { region: 'cn-beijing' } });
  assert.deepEqual([region.status, errorCode(region)], [400, 'InvalidArgument']);
  assert.match(region.body, /Invalid signing region/);
  const product = await put('v4/product.txt', 'x', { v4: { product: 'ecs' } });
  assert.match(product.body, /Invalid signing product/);
  for (const key of ['day', 'region', 'product']) assert.equal(errorCode(await get(`v4/${key}.txt`)), 'NoSuchKey', `${key}: nothing stored`);
  // ali-oss configured for another region than the bucket's is refused the same way.
  const elsewhere = ossClient(server.endpoints.oss, ROOT, { bucket: BUCKET, region: 'oss-cn-beijing', authorizationV4: true });
  assert.equal((await ossError(elsewhere.put('v4/elsewhere.txt', Buffer.from('x')))).code, 'InvalidArgument');
});

test('V4: a body is never stored against an x-oss-content-sha256 nobody compared with it', async () => {
  const declared = createHash('sha256').update('the body that was signed').digest('hex');
  const swapped = await put('sha/swapped.txt', 'a different body', { v4: {}, headers: { 'x-oss-content-sha256': declared } });
  assert.deepEqual([swapped.status, errorCode(swapped)], [400, 'InvalidArgument']);
  assert.match(swapped.body, /x-oss-content-sha256/);
  assert.equal(errorCode(await get('sha/swapped.txt')), 'NoSuchKey');
});

test('V4 presigned: a URL dated in the future is not valid past the seven-day cap', async () => {
  const date = '20990101T000000Z';
  const query: [string, string][] = [
    ['x-oss-credential', `${ROOT.accessKeyId}/20990101/cn-hangzhou/oss/aliyun_v4_request`],
    ['x-oss-date', date],
    ['x-oss-expires', '3600'],
    ['x-oss-signature-version', 'OSS4-HMAC-SHA256'],
  ];
  assert.equal((await put('presigned.txt', 'secret')).status, 200);
  const canonical = ossV4CanonicalRequest({ method: 'GET', bucket: BUCKET, key: 'presigned.txt', query, headers: new Map(), additionalHeaders: [] });
  const signature = ossV4Signature(ROOT.accessKeySecret, '20990101', 'cn-hangzhou', 'oss', ossV4StringToSign(date, '20990101/cn-hangzhou/oss/aliyun_v4_request', canonical));
  const url = `${server.endpoints.oss}/${BUCKET}/presigned.txt?${new URLSearchParams([...query, ['x-oss-signature', signature]])}`;
  const answer = await fetch(url);
  assert.equal(answer.status, 403);
  assert.match(await answer.text(), /<Code>RequestTimeTooSkewed<\/Code>/);
});

function form(fields: Record<string, string>, file: string): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  f.set('file', new Blob([file]), 'upload.bin');
  return f;
}

function signedForm(conditions: unknown[], fields: Record<string, string> = {}): Record<string, string> {
  const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 600_000).toISOString(), conditions })).toString('base64');
  return { policy, OSSAccessKeyId: ROOT.accessKeyId, Signature: createHmac('sha1', ROOT.accessKeySecret).update(policy).digest('base64'), ...fields };
}

const postObject = (fields: Record<string, string>, file: string) => fetch(`${server.endpoints.oss}/${BUCKET}`, { method: 'POST', body: form(fields, file) });

test('PostObject: a policy that cannot be read refuses the upload instead of lifting its limits', async () => {
  const cases: [string, unknown[]][] = [
    ['a bound that is no number', [['content-length-range', 1, 'ten']]],
    ['a bound below zero', [['content-length-range', -5, 10]]],
    ['bounds the wrong way round', [['content-length-range', 10, 1]]],
    ['a misspelt operator', [['starts_with', '$key', 'form/']]],
    ['an operator of the wrong case', [['EQ', '$key', 'form/x']]],
    ['a field without its $', [['eq', 'key', 'form/x']]],
    ['in without a list', [['in', '$key', 'form/x']]],
    ['an object condition with two properties', [{ bucket: BUCKET, key: 'form/x' }]],
    ['a condition that is neither list nor object', ['form/x']],
  ];
  for (const [name, conditions] of cases) {
    const answer = await postObject({ key: 'form/x', ...signedForm(conditions) }, 'more than ten bytes of data');
    const text = await answer.text();
    assert.equal(answer.status, 400, `${name}: ${text}`);
    assert.match(text, /<Code>InvalidPolicyDocument<\/Code>/, name);
  }
  assert.equal(errorCode(await get('form/x')), 'NoSuchKey');
  const bounded = await postObject({ key: 'form/x', ...signedForm([['content-length-range', 1, 10], ['not-in', '$key', ['form/y']]]) }, 'more than ten bytes of data');
  assert.equal(bounded.status, 400);
  assert.match(await bounded.text(), /<Code>EntityTooLarge<\/Code>/);
  const fine = await postObject({ key: 'form/x', ...signedForm([['content-length-range', '1', '100'], ['in', '$key', ['form/x']]]) }, 'small');
  assert.equal(fine.status, 204, await fine.text());
});

test('PostObject: metadata and Content-Type that no response could carry are refused, not stored to fail every later GET', async () => {
  for (const [name, fields] of [
    ['CR/LF in metadata', { 'x-oss-meta-note': 'a\r\nx-injected: 1' }],
    ['non-Latin-1 metadata', { 'x-oss-meta-note': '中文' }],
    ['CR/LF in Content-Type', { 'Content-Type': 'text/plain\r\nx-injected: 1' }],
    ['a metadata name that is no header name', { 'x-oss-meta-bad name': 'v' }],
  ] as const) {
    const answer = await postObject({ key: 'form/meta', ...signedForm([]), ...fields }, 'data');
    const text = await answer.text();
    assert.equal(answer.status, 400, `${name}: ${text}`);
    assert.match(text, /<Code>InvalidArgument<\/Code>/, name);
  }
  assert.equal(errorCode(await get('form/meta')), 'NoSuchKey');
  assert.equal((await postObject({ key: 'form/meta', ...signedForm([]), 'x-oss-meta-note': 'fine', 'Content-Type': 'text/plain' }, 'data')).status, 204);
  const back = await get('form/meta');
  assert.deepEqual([back.status, back.headers['x-oss-meta-note'], back.headers['content-type']], [200, 'fine', 'text/plain']);
});

test('PostObject: a form cut short mid-file is InvalidArgument and stores nothing; a refused form with a large file is answered at once', async () => {
  const fields = { key: 'form/cut', ...signedForm([]) };
  const boundary = 'RampartBoundary';
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const body = `${parts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\nthe file goes on but the form never closes`;
  const cut = await fetch(`${server.endpoints.oss}/${BUCKET}`, { method: 'POST', body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(cut.status, 400);
  assert.match(await cut.text(), /<Code>InvalidArgument<\/Code><Message>The form body ended before its closing boundary\.<\/Message>/);
  assert.equal(errorCode(await get('form/cut')), 'NoSuchKey');
  // Cut short and refused before its file is read (no signature): the server answers and lives on.
  const unsigned = `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nform/cut\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc`;
  const refusedCut = await fetch(`${server.endpoints.oss}/${BUCKET}`, { method: 'POST', body: unsigned, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  assert.equal(refusedCut.status, 400);
  assert.equal(errorCode(await get('form/cut')), 'NoSuchKey');
  // A V4-signed form whose credential cannot be read: refused while its 4 MiB file is still arriving, read to its end unstored.
  const big = form({ key: 'form/v4', 'x-oss-signature-version': 'OSS4-HMAC-SHA256', 'x-oss-credential': 'x', policy: 'e30=', 'x-oss-signature': 'x' }, 'x'.repeat(4 * 1024 * 1024));
  const refused = await fetch(`${server.endpoints.oss}/${BUCKET}`, { method: 'POST', body: big });
  assert.equal(refused.status, 400);
  assert.equal(errorCode({ status: refused.status, headers: {}, body: await refused.text() }), 'InvalidArgument');
  assert.equal(errorCode(await get('form/v4')), 'NoSuchKey');
});

test('response-* overrides that are no header value, and XML naming no character, are 400s not 500s', async () => {
  assert.equal((await put('plain.txt', 'x')).status, 200);
  for (const value of ['text/plain\r\nx-injected: 1', 'attachment; filename="中文.txt"']) {
    const answer = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}/plain.txt?response-content-disposition=${encodeURIComponent(value)}`, creds: root });
    assert.deepEqual([answer.status, errorCode(answer)], [400, 'InvalidArgument'], value);
  }
  for (const ref of ['&#x110000;', '&#0;', '&#xD800;', '&#99999999999;']) {
    const body = `<Delete><Object><Key>a${ref}</Key></Object></Delete>`;
    const answer = await rawOss(server.endpoints.oss, { method: 'POST', path: `/${BUCKET}?delete=`, body, headers: { 'content-md5': createHash('md5').update(body).digest('base64') }, creds: root });
    assert.deepEqual([answer.status, errorCode(answer)], [400, 'MalformedXML'], ref);
  }
});

test('DeleteMultipleObjects checks every key before deleting any', async () => {
  for (const key of ['multi/a', 'multi/b']) assert.equal((await put(key, key)).status, 200);
  const body = '<Delete><Object><Key>multi/a</Key></Object><Object><Key>../escape</Key></Object><Object><Key>multi/b</Key></Object></Delete>';
  const answer = await rawOss(server.endpoints.oss, { method: 'POST', path: `/${BUCKET}?delete=`, body, headers: { 'content-md5': createHash('md5').update(body).digest('base64') }, creds: root });
  assert.deepEqual([answer.status, errorCode(answer)], [400, 'InvalidObjectName']);
  for (const key of ['multi/a', 'multi/b']) assert.equal((await get(key)).body, key, `${key} is still there`);
});

test('two appends at one position: one is stored, the other gets PositionNotEqualToLength with the length to go on from', async () => {
  const append = (text: string, position: number) => rawOss(server.endpoints.oss, { method: 'POST', path: `/${BUCKET}/appended.log?append=&position=${position}`, body: text, creds: root });
  assert.equal((await append('start;', 0)).status, 200);
  for (let round = 0; round < 5; round++) {
    const length = (await get('appended.log')).body.length;
    const answers = await Promise.all(['one;', 'two;', 'six;'].map((t) => append(t, length)));
    const won = answers.filter((a) => a.status === 200);
    const lost = answers.filter((a) => a.status !== 200);
    assert.equal(won.length, 1, answers.map((a) => a.body).join('\n'));
    for (const a of lost) {
      assert.deepEqual([a.status, errorCode(a)], [409, 'PositionNotEqualToLength']);
      assert.equal(a.headers['x-oss-next-append-position'], String(length + 4));
    }
    assert.equal((await get('appended.log')).body.length, length + 4, 'exactly one append landed, none was lost');
  }
});

test('two completions of one multipart upload: one object, the other NoSuchUpload, nothing half-written', async () => {
  const c = ossClient(server.endpoints.oss, ROOT, { bucket: BUCKET });
  for (let round = 0; round < 3; round++) {
    const key = `mp/race-${round}.bin`;
    const { uploadId } = await c.initMultipartUpload(key);
    const p1 = await c.uploadPart(key, uploadId, 1, Buffer.alloc(2048, 1), 0, 2048);
    const p2 = await c.uploadPart(key, uploadId, 2, Buffer.alloc(10, 2), 0, 10);
    const parts = [{ number: 1, etag: p1.etag }, { number: 2, etag: p2.etag }];
    const results = await Promise.allSettled([c.completeMultipartUpload(key, uploadId, parts), c.completeMultipartUpload(key, uploadId, parts), c.abortMultipartUpload(key, uploadId)]);
    const codes = results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code?: string; status?: number }).code));
    assert.equal(codes.filter((x) => x === 'ok').length, 1, codes.join());
    assert.ok(codes.every((x) => x === 'ok' || x === 'NoSuchUpload'), codes.join());
    const stored = await get(key);
    // Either a completion won (the whole object) or the abort did (no object): never a part of one.
    if (stored.status === 200) assert.equal(stored.body.length, 2058);
    else assert.equal(errorCode(stored), 'NoSuchKey');
  }
});

test("a refusal tells another account nothing of the bucket's owner or of the policies that decided", async () => {
  assert.equal((await put('private.txt', 'mine')).status, 200);
  const other = await createAccount(server.store, new Date());
  const outsider = ossClient(server.endpoints.oss, { accessKeyId: other.AccessKeyId, accessKeySecret: other.AccessKeySecret }, { bucket: BUCKET });
  const refused = await ossError(outsider.get('private.txt'));
  assert.equal(refused.code, 'AccessDenied');
  assert.doesNotMatch(refused.message ?? '', new RegExp(ROOT.accountId));
  const raw = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}/private.txt`, creds: { accessKeyId: other.AccessKeyId, accessKeySecret: other.AccessKeySecret } });
  assert.doesNotMatch(raw.body, new RegExp(ROOT.accountId));
  assert.doesNotMatch(raw.body, /AccessDeniedDetail|no Allow|policy/i);
  // The bucket's own account's user is told which way it was refused, sealed for DecodeDiagnosticMessage.
  const insider = await userWithKey(ramClient(server.apiHost, ROOT), 'oss-insider', { custom: { 'oss-list-only': doc(allow('oss:ListObjects')) } });
  const own = await rawOss(server.endpoints.oss, { method: 'GET', path: `/${BUCKET}/private.txt`, creds: insider });
  assert.equal(errorCode(own), 'AccessDenied');
  assert.match(own.body, /<AccessDeniedDetail><AuthAction>oss:GetObject<\/AuthAction>/);
  assert.match(own.body, /<EncodedDiagnosticMessage>[^<]+<\/EncodedDiagnosticMessage>/);
});

test('a request the HTTP parser cannot read gets an OSS XML error with a request id', async () => {
  const port = Number(new URL(server.endpoints.oss).port);
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n'));
    let got = '';
    socket.setEncoding('utf8').on('data', (d: string) => (got += d)).on('end', () => resolve(got)).on('error', reject);
  });
  assert.match(text, /^HTTP\/1\.1 400 /);
  assert.match(text, /x-oss-request-id: [0-9A-F]{24}/i);
  assert.match(text, /<Error><Code>InvalidArgument<\/Code><Message>[^<]+<\/Message><RequestId>[0-9A-F]{24}<\/RequestId>/);
});
