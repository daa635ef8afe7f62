// The unmodified @alicloud/sts20150401 (signature V3, ACS3-HMAC-SHA256) against a real server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { stsClient, teaUtils, type SdkError } from './sdk-clients.js';

let server: TestServer;
before(async () => (server = await startTestServer()));
after(() => server.stop());

const client = (overrides: Record<string, unknown> = {}) =>
  stsClient({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.apiHost, protocol: 'http', ...overrides });

test('GetCallerIdentity returns the root identity', async () => {
  const res = await client().getCallerIdentity();
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    { ...res.body, requestId: undefined },
    {
      accountId: ROOT.accountId,
      arn: `acs:ram::${ROOT.accountId}:root`,
      identityType: 'Account',
      principalId: ROOT.accountId,
      userId: ROOT.accountId,
      requestId: undefined,
    },
  );
  assert.match(String(res.body['requestId']), /^[0-9A-F-]{36}$/);
});

test('the same SDK with signatureAlgorithm v2 (RPC signature in the query) works too', async () => {
  const res = await client({ signatureAlgorithm: 'v2' }).getCallerIdentity();
  assert.equal(res.body['arn'], `acs:ram::${ROOT.accountId}:root`);
});

test('a wrong secret is refused with SignatureDoesNotMatch, status 400', async () => {
  await assert.rejects(client({ accessKeySecret: 'wrong-secret' }).getCallerIdentity(), (e: SdkError) => {
    assert.equal(e.code, 'SignatureDoesNotMatch');
    assert.equal(e.statusCode, 400);
    assert.match(String(e.data?.['Message']), /server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\]$/);
    return true;
  });
});

test('an unknown AccessKeyId is refused with 404 InvalidAccessKeyId.NotFound', async () => {
  await assert.rejects(client({ accessKeyId: 'LTAI5tNoSuchKey000000000' }).getCallerIdentity(), { code: 'InvalidAccessKeyId.NotFound', statusCode: 404 });
});

test('a replayed nonce is refused with SignatureNonceUsed', async (t) => {
  t.mock.method(teaUtils, 'getNonce', () => '5d41402abc4b2a76b9719d911017c5925d41402abc4b2a76b9719d911017c592');
  await client().getCallerIdentity();
  await assert.rejects(client().getCallerIdentity(), { code: 'SignatureNonceUsed', statusCode: 400 });
});

test('a time stamp more than 15 minutes from the server clock is refused', async () => {
  const skewed = await startTestServer({ now: () => Date.now() - 16 * 60 * 1000 });
  try {
    const c = stsClient({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: skewed.apiHost, protocol: 'http' });
    await assert.rejects(c.getCallerIdentity(), { code: 'InvalidTimeStamp.Expired', statusCode: 400 });
  } finally {
    await skewed.stop();
  }
});

test('every call reaches the audit hook with its outcome, without credentials', async () => {
  const before = server.audited.length;
  await client().getCallerIdentity();
  await assert.rejects(client({ accessKeySecret: 'wrong-secret' }).getCallerIdentity());
  const [ok, ...rest] = server.audited.slice(before);
  // The refused call never authenticated, so it has no caller to record: only the good one is there.
  assert.equal(rest.length, 0);
  assert.equal(ok?.eventName, 'GetCallerIdentity');
  assert.equal(ok?.serviceName, 'Sts');
  assert.equal(ok?.caller.accessKeyId, ROOT.accessKeyId);
  assert.equal(ok?.errorCode, undefined);
  assert.ok(!JSON.stringify(ok).includes(ROOT.accessKeySecret));
});
