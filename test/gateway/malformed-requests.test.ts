// Bad input always gets a clear error in the gateway's format (code, message, request id), never a
// 500, a crash or a hang.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { acs3CanonicalRequest, acs3Signature, acs3StringToSign } from '../../src/auth/index.js';
import { encodeParams, isoSeconds, postForm, send, signedParams, type RawResponse } from '../helpers/rpc-client.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.stop());

function assertError(res: RawResponse, status: number, code: string | RegExp): Record<string, unknown> {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers.get('content-type'), 'application/json;charset=utf-8');
  const body = res.json();
  if (typeof code === 'string') assert.equal(body['Code'], code, res.text);
  else assert.match(String(body['Code']), code);
  assert.equal(typeof body['Message'], 'string');
  assert.ok(String(body['Message']).length > 0);
  assert.equal(body['RequestId'], res.headers.get('x-acs-request-id'));
  assert.match(String(body['RequestId']), /^[0-9A-F-]{36}$/);
  return body;
}

const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };

test('bad percent-encoding and invalid UTF-8 are refused', async () => {
  assertError(await send(`${server.endpoints.api}/?Action=%ZZ`), 400, 'InvalidParameter');
  assertError(await send(`${server.endpoints.api}/?Action=%C3%28`), 400, 'InvalidParameter');
  assertError(await postForm(server.endpoints.api, 'Action=%E4%B8'), 400, 'InvalidParameter');
  const res = await send(`${server.endpoints.api}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from([0x41, 0x3d, 0xff, 0xfe]),
  });
  assertError(res, 400, 'InvalidParameter');
});

test('a parameter given twice, in one place or across query and body, is refused and named', async () => {
  const twice = assertError(await send(`${server.endpoints.api}/?Action=A&Action=B`), 400, 'InvalidParameter');
  assert.match(String(twice['Message']), /Action/);
  const params = signedParams('GetCallerIdentity', root);
  const res = await send(`${server.endpoints.api}/?Version=2015-04-01`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeParams(params),
  });
  assert.match(String(assertError(res, 400, 'InvalidParameter')['Message']), /Version/);
});

test('parameters may be split between query and form body, and are signed together', async () => {
  const params = signedParams('GetCallerIdentity', root);
  const query = new Map([...params].filter(([k]) => ['Action', 'Version', 'Format', 'Timestamp', 'SignatureNonce', 'Signature'].includes(k)));
  const body = new Map([...params].filter(([k]) => !query.has(k)));
  const res = await send(`${server.endpoints.api}/?${encodeParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encodeParams(body),
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json()['Arn'], `acs:ram::${ROOT.accountId}:root`);
});

test('a body over 1 MiB is refused with 413, announced or chunked', async () => {
  const big = 'A='.padEnd(2 * 1024 * 1024, 'x');
  assertError(await postForm(server.endpoints.api, big), 413, 'RequestEntityTooLarge');
  const chunked = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
      controller.close();
    },
  });
  const res = await send(`${server.endpoints.api}/`, { method: 'POST', body: chunked, duplex: 'half' } as RequestInit);
  assertError(res, 413, 'RequestEntityTooLarge');
});

for (const field of ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']) {
  test(`a request without ${field} is refused with Missing${field}`, async () => {
    const params = signedParams('GetCallerIdentity', root);
    params.delete(field);
    const body = assertError(await postForm(server.endpoints.api, encodeParams(params)), 400, `Missing${field}`);
    assert.equal(body['Message'], `${field} is mandatory for this action.`);
  });
}

test('missing Action or Version, unknown ones, and an unknown Format get their own codes', async () => {
  const without = (name: string) => {
    const p = signedParams('GetCallerIdentity', root);
    p.delete(name);
    return encodeParams(p);
  };
  assertError(await postForm(server.endpoints.api, without('Version')), 400, 'MissingVersion');
  assertError(await postForm(server.endpoints.api, without('Action')), 400, 'MissingAction');
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('Nope', root))), 404, 'InvalidAction.NotFound');
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { Version: '1999-01-01' }))), 400, 'InvalidVersion');
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { Format: 'YAML' }))), 400, 'InvalidParameter.Format');
});

test('an unsupported signature method or version, and a malformed time stamp, are refused', async () => {
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { SignatureMethod: 'HMAC-MD5' }))), 400, 'InvalidSignatureMethod');
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { SignatureVersion: '2.0' }))), 400, 'InvalidSignatureMethod');
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { Timestamp: '24/11/2026' }))), 400, 'InvalidTimeStamp.Format');
});

test('a SecurityToken beside a long-term AccessKey is refused', async () => {
  const res = await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { SecurityToken: 'abc' })));
  assertError(res, 400, 'InvalidSecurityToken.MismatchWithAccessKey');
});

test('a disabled AccessKey is refused at once', async () => {
  const extra = { accountId: '6543210987654321', accessKeyId: 'LTAI5tSecondKey000000001', secret: 'SecondSecretValue000000000000x' };
  await server.store.transaction(async (tx) => {
    await tx.accounts.create(extra.accountId, new Date());
    await tx.accessKeys.create({ accessKeyId: extra.accessKeyId, accountId: extra.accountId, secret: extra.secret, createdAt: new Date() });
  });
  const creds = { accessKeyId: extra.accessKeyId, accessKeySecret: extra.secret };
  const ok = await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', creds)));
  assert.equal(ok.json()['AccountId'], extra.accountId);
  await server.store.accessKeys.setStatus(extra.accessKeyId, 'Inactive');
  assertError(await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', creds))), 400, 'InvalidAccessKeyId.Inactive');
});

test('Format=XML renders a result as XML with the action name as root', async () => {
  const res = await postForm(server.endpoints.api, encodeParams(signedParams('GetCallerIdentity', root, { Format: 'XML' })));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/xml;charset=utf-8');
  const id = res.headers.get('x-acs-request-id');
  assert.equal(
    res.text,
    `<?xml version="1.0" encoding="UTF-8"?><GetCallerIdentityResponse><RequestId>${id}</RequestId><IdentityType>Account</IdentityType>` +
      `<AccountId>${ROOT.accountId}</AccountId><PrincipalId>${ROOT.accountId}</PrincipalId><UserId>${ROOT.accountId}</UserId>` +
      `<Arn>acs:ram::${ROOT.accountId}:root</Arn></GetCallerIdentityResponse>`,
  );
});

function rawHttp(payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(server.endpoints.api);
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(payload));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => reject(new Error('no answer')));
  });
}

test('a request Node cannot parse still gets a JSON error with a request id', async () => {
  const answer = await rawHttp('GARBAGE\r\n\r\n');
  assert.match(answer, /^HTTP\/1.1 400 /);
  const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
  assert.equal(body['Code'], 'InvalidParameter');
  assert.match(String(body['RequestId']), /^[0-9A-F-]{36}$/);
});

test('oversized headers get 431 with a JSON error', async () => {
  // The api listener takes 512 KiB of headers (a SAML metadata document in a Tea SDK's query string).
  const answer = await rawHttp(`GET /?${'a'.repeat(600 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  assert.match(answer, /^HTTP\/1.1 431 /);
  assert.match(answer, /"Code":"InvalidParameter"/);
});

// V3 requests built by hand, to break one thing at a time.
function v3Headers(overrides: Record<string, string | undefined> = {}, body = '') {
  const headers: Record<string, string> = {
    host: server.apiHost,
    'x-acs-action': 'GetCallerIdentity',
    'x-acs-version': '2015-04-01',
    'x-acs-date': isoSeconds(),
    'x-acs-signature-nonce': createHash('sha256').update(String(Math.random())).digest('hex'),
    'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  return headers;
}

function signV3(headers: Record<string, string>, signed = Object.keys(headers).sort(), payloadHash = headers['x-acs-content-sha256'] ?? '') {
  const sts = acs3StringToSign(
    'ACS3-HMAC-SHA256',
    acs3CanonicalRequest({
      method: 'POST',
      path: '/',
      query: new Map(),
      headers: new Map(Object.entries(headers).map(([k, v]) => [k, [v]])),
      signedHeaders: signed,
      payloadHash,
    }),
  );
  return `ACS3-HMAC-SHA256 Credential=${ROOT.accessKeyId},SignedHeaders=${signed.join(';')},Signature=${acs3Signature('ACS3-HMAC-SHA256', ROOT.accessKeySecret, sts)}`;
}

test('V3: a hand-signed request works, and each broken part gets its own error', async () => {
  const url = `${server.endpoints.api}/`;
  const good = v3Headers();
  assert.equal((await send(url, { method: 'POST', headers: { ...good, authorization: signV3(good) } })).status, 200);

  assertError(await send(url, { method: 'POST', headers: { ...v3Headers(), authorization: 'ACS3-HMAC-SHA256' } }), 400, 'MissingAccessKeyId');
  assertError(await send(url, { method: 'POST', headers: { ...v3Headers(), authorization: 'Bearer abc' } }), 400, 'IncompleteSignature');
  assertError(await send(url, { method: 'POST', headers: { ...v3Headers(), authorization: `ACS3-HMAC-SHA256 Credential=${ROOT.accessKeyId}` } }), 400, 'IncompleteSignature');

  const noDate = v3Headers({ 'x-acs-date': undefined });
  assertError(await send(url, { method: 'POST', headers: { ...noDate, authorization: signV3(noDate) } }), 400, 'MissingTimestamp');

  const h = v3Headers();
  const unsignedNonce = signV3(h, Object.keys(h).filter((k) => k !== 'x-acs-signature-nonce').sort());
  assertError(await send(url, { method: 'POST', headers: { ...h, authorization: unsignedNonce } }), 400, 'IncompleteSignature');

  const tampered = v3Headers();
  const auth = signV3(tampered);
  assertError(await send(url, { method: 'POST', headers: { ...tampered, authorization: auth }, body: 'extra=1' }), 400, 'IncompleteSignature');

  const badSig = v3Headers();
  assertError(await send(url, { method: 'POST', headers: { ...badSig, authorization: signV3(badSig).replace(/Signature=.{4}/, 'Signature=0000') } }), 400, 'SignatureDoesNotMatch');
});

test('no request reaches the 500 path', () => {
  // Everything above was refused or answered deliberately; the audit of authenticated calls saw no InternalError.
  assert.ok(server.audited.every((r) => r.errorCode !== 'InternalError'));
});
