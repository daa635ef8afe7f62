// The unmodified @alicloud/pop-core (RPC, HMAC-SHA1) against a real server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { kitx, PopCore, type SdkError } from './sdk-clients.js';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.stop());

const client = (overrides: Record<string, unknown> = {}) =>
  new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2015-04-01', ...overrides });

const expectedIdentity = {
  IdentityType: 'Account',
  AccountId: ROOT.accountId,
  PrincipalId: ROOT.accountId,
  UserId: ROOT.accountId,
  Arn: `acs:ram::${ROOT.accountId}:root`,
};

for (const method of ['POST', 'GET']) {
  test(`GetCallerIdentity over ${method} returns the root identity`, async () => {
    const body = await client().request('GetCallerIdentity', {}, { method });
    const { RequestId, ...rest } = body;
    assert.match(String(RequestId), /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    assert.deepEqual({ ...rest }, expectedIdentity);
  });
}

test('a wrong secret is refused with SignatureDoesNotMatch and the server string to sign', async () => {
  await assert.rejects(client({ accessKeySecret: 'not-the-secret' }).request('GetCallerIdentity', {}, { method: 'POST' }), (e: SdkError) => {
    assert.equal(e.code, 'SignatureDoesNotMatch');
    const message = String(e.data?.['Message']);
    assert.ok(message.startsWith('Specified signature is not matched with our calculation. server string to sign is:POST&%2F&AccessKeyId%3D'), message);
    assert.ok(!message.includes(ROOT.accessKeySecret));
    return true;
  });
});

test('a replayed nonce is refused with SignatureNonceUsed', async (t) => {
  t.mock.method(kitx, 'makeNonce', () => 'a3f1c0de5b7e4d2f9c8b6a5d4e3f2a1b');
  await client().request('GetCallerIdentity', {}, { method: 'POST' });
  await assert.rejects(client().request('GetCallerIdentity', {}, { method: 'POST' }), { code: 'SignatureNonceUsed' });
});

test('a time stamp more than 15 minutes from the server clock is refused', async () => {
  const skewed = await startTestServer({ now: () => Date.now() + 16 * 60 * 1000 });
  try {
    const c = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: skewed.endpoints.api, apiVersion: '2015-04-01' });
    await assert.rejects(c.request('GetCallerIdentity', {}, { method: 'POST' }), { code: 'InvalidTimeStamp.Expired' });
  } finally {
    await skewed.stop();
  }
});

test('an unknown AccessKeyId is refused', async () => {
  await assert.rejects(client({ accessKeyId: 'LTAI5tNoSuchKey000000000' }).request('GetCallerIdentity', {}, { method: 'POST' }), { code: 'InvalidAccessKeyId.NotFound' });
});

test('an unknown action and an unknown version are refused with the real codes', async () => {
  await assert.rejects(client().request('NoSuchAction', {}, { method: 'POST' }), { code: 'InvalidAction.NotFound' });
  await assert.rejects(client({ apiVersion: '2099-01-01' }).request('GetCallerIdentity', {}, { method: 'POST' }), { code: 'InvalidVersion' });
});

test('Format=XML renders the same answer as XML', async () => {
  const res = await fetch(`${server.endpoints.api}/?${new URLSearchParams({ Format: 'XML' })}`, { method: 'POST' });
  // Unsigned: refused, but in XML, with the request id in header and body.
  const text = await res.text();
  assert.equal(res.headers.get('content-type'), 'text/xml;charset=utf-8');
  assert.match(text, /^<\?xml version="1.0" encoding="UTF-8"\?><Error><RequestId>[0-9A-F-]{36}<\/RequestId><HostId>127.0.0.1<\/HostId><Code>MissingVersion<\/Code>/);
  assert.ok(text.includes(`<RequestId>${res.headers.get('x-acs-request-id')}</RequestId>`));
});
