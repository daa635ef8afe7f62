// The OIDC key resolver and token verifier on their own, with an injected clock: where keys come
// from (the local issuer, pinned, fetched), what a fetched answer must be, and the time bounds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { JSONWebKeySet } from 'jose';
import { OidcKeyResolver, usableKeySet, verifyOidcToken, type OidcKeySource } from '../../src/auth/oidc/index.js';
import { ApiError } from '../../src/model/index.js';
import type { OidcProviderRecord } from '../../src/store/index.js';
import { AUDIENCE, publicJwks, startTestIdp, type TestIdp } from '../helpers/oidc-idp.js';

let idp: TestIdp;
before(async () => (idp = await startTestIdp()));
after(() => idp.stop());

const provider = (fields: Partial<OidcProviderRecord> = {}): OidcProviderRecord => ({
  accountId: '1',
  name: 'p',
  issuerUrl: idp.issuer,
  clientIds: [AUDIENCE],
  fingerprints: [idp.caFingerprint],
  issuanceLimitTime: 12,
  description: '',
  createdAt: new Date(0),
  updatedAt: new Date(0),
  ...fields,
});

const resolver = (settings: ConstructorParameters<typeof OidcKeyResolver>[0] = {}) => new OidcKeyResolver({ caCertificates: [idp.ca.certPem], ...settings });

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ApiError) return `${e.httpStatus} ${e.code}`;
    throw e;
  }
  return 'no error';
}

describe('usableKeySet', () => {
  test('keeps public signature keys only, without private members', () => {
    const set = usableKeySet({
      keys: [
        { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
        { kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'private', kid: 'rsa' },
        { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', use: 'enc', kid: 'encryption' },
        'not a key',
      ],
    });
    assert.deepEqual(set, { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'rsa' }] });
    assert.equal(usableKeySet({ keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }), undefined);
    assert.equal(usableKeySet([]), undefined);
  });
});

describe('OidcKeyResolver', () => {
  test('the local issuer answers its own keys, with no fetch, whatever its URL', async () => {
    const jwks = await publicJwks([idp.key]);
    let asked = 0;
    const keys = resolver({ local: { issuer: 'http://rampart.internal:8800', jwks: async () => (asked++, jwks) } });
    assert.deepEqual(await keys.keysFor(provider({ issuerUrl: 'http://rampart.internal:8800', fingerprints: [] }), 0), jwks);
    assert.equal(asked, 1);
    // Any other http issuer is refused: keys are only ever fetched over https.
    assert.equal(await code(keys.keysFor(provider({ issuerUrl: 'http://idp.internal' }), 0)), '401 AuthenticationFail.OIDCToken.IssuerConfigurationBroken');
  });

  test('fetched keys: one fetch for concurrent requests, cached, fetched again when stale', async () => {
    const keys = resolver();
    const before = idp.requests.length;
    await Promise.all([keys.keysFor(provider(), 1000), keys.keysFor(provider(), 1000), keys.keysFor(provider(), 1000)]);
    assert.deepEqual(idp.requests.slice(before), ['/.well-known/openid-configuration', '/keys']);
    await keys.keysFor(provider(), 1000 + 9 * 60_000);
    assert.equal(idp.requests.length, before + 2, 'cached for ten minutes');
    await keys.keysFor(provider(), 1000 + 11 * 60_000);
    assert.equal(idp.requests.length, before + 4);
  });

  test('a provider without fingerprints cannot use fetched keys', async () => {
    assert.equal(await code(resolver().keysFor(provider({ fingerprints: [] }), 0)), '401 AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch');
  });

  test('a redirect, an error status, a body too large, a discovery document naming another issuer: no keys', async () => {
    const broken = '401 AuthenticationFail.OIDCToken.IssuerConfigurationBroken';
    try {
      idp.override = (url, res) => (url === '/keys' ? (res.writeHead(302, { location: 'http://127.0.0.1/keys' }), res.end(), true) : false);
      assert.equal(await code(resolver().keysFor(provider(), 0)), broken);
      idp.override = (url, res) => (url === '/keys' ? (res.writeHead(503), res.end(), true) : false);
      assert.equal(await code(resolver().keysFor(provider(), 0)), broken);
      idp.override = (url, res) => (url === '/keys' ? (res.writeHead(200), res.end(JSON.stringify({ keys: [], pad: 'x'.repeat(4096) })), true) : false);
      assert.equal(await code(resolver({ maxBytes: 1024 }).keysFor(provider(), 0)), broken);
      idp.override = (url, res) => (url.startsWith('/.well-known') ? (res.writeHead(200), res.end(JSON.stringify({ issuer: 'https://elsewhere', jwks_uri: `${idp.issuer}/keys` })), true) : false);
      assert.equal(await code(resolver().keysFor(provider(), 0)), broken);
      idp.override = (url, res) => (url.startsWith('/.well-known') ? (res.writeHead(200), res.end(JSON.stringify({ issuer: idp.issuer, jwks_uri: 'http://127.0.0.1/keys' })), true) : false);
      assert.equal(await code(resolver().keysFor(provider(), 0)), broken);
      // An issuer that never answers is given up on.
      idp.override = (url) => url === '/keys';
      assert.equal(await code(resolver({ timeoutMs: 200 }).keysFor(provider(), 0)), broken);
    } finally {
      delete idp.override;
    }
  });

  test('pinned keys are used as they are; a pinned text without keys is refused', async () => {
    const jwks = await publicJwks([idp.key]);
    const before = idp.requests.length;
    assert.deepEqual(await resolver().keysFor(provider({ pinnedJwks: JSON.stringify(jwks) }), 0), jwks);
    assert.equal(idp.requests.length, before);
    assert.equal(await code(resolver().keysFor(provider({ pinnedJwks: '{"keys":[]}' }), 0)), '401 AuthenticationFail.OIDCToken.IssuerConfigurationBroken');
  });
});

describe('verifyOidcToken', () => {
  const fixed = (jwks: JSONWebKeySet): OidcKeySource => ({ keysFor: async () => jwks });

  test('time bounds with a minute of clock skew, from the given clock', async () => {
    const keys = fixed(await publicJwks([idp.key]));
    const t = 1_900_000_000;
    const token = await idp.token({ iat: t, exp: t + 600 });
    const at = (s: number) => code(verifyOidcToken(token, provider({ issuanceLimitTime: 1 }), keys, s * 1000));
    assert.equal(await at(t + 300), 'no error');
    assert.equal(await at(t - 59), 'no error', 'issued a little in the future');
    assert.equal(await at(t - 61), '401 AuthenticationFail.OIDCToken.Invalid');
    assert.equal(await at(t + 659), 'no error', 'expired a little ago');
    assert.equal(await at(t + 661), '401 AuthenticationFail.OIDCToken.Expired');
    const long = await idp.token({ iat: t, exp: t + 7200 });
    assert.equal(await code(verifyOidcToken(long, provider({ issuanceLimitTime: 1 }), keys, (t + 3600 + 61) * 1000)), '401 AuthenticationFail.OIDCToken.Expired');
  });

  test('the claims it answers: the audience that is a client id is oidc:aud', async () => {
    const keys = fixed(await publicJwks([idp.key]));
    const token = await idp.token({ aud: ['a', 'b', AUDIENCE], sub: 'alice' });
    const v = await verifyOidcToken(token, provider({ clientIds: ['b', AUDIENCE] }), keys, Date.now());
    assert.deepEqual({ ...v, issuedAt: 0, expiresAt: 0 }, { issuer: idp.issuer, subject: 'alice', audiences: ['a', 'b', AUDIENCE], clientId: 'b', issuedAt: 0, expiresAt: 0 });
    assert.equal(await code(verifyOidcToken(token, provider({ clientIds: [] }), keys, Date.now())), '401 AuthenticationFail.OIDCToken.AudienceNotMatch');
    // As a token file written by `rampart oidc issue > file` holds it.
    assert.equal((await verifyOidcToken(`${token}\n`, provider(), keys, Date.now())).subject, 'alice');
  });
});
