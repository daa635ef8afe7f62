// Rampart's OIDC issuer: tokens verify against its own key set, keys are sealed in the store and
// shared by every process on it, rotation keeps a retired key published until its last token has
// expired and then drops it, and a token's life is bounded. Time is an injected clock.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SecretBox } from '../../src/secrets/index.js';
import { openPostgresStore, openSqliteStore, type Store } from '../../src/store/index.js';
import { MAX_OIDC_TOKEN_SECONDS, MIN_OIDC_TOKEN_SECONDS, OIDC_KEY_GRACE_SECONDS, OidcIssuer, accountSubject, subjectAccount } from '../../src/tokens/index.js';
import { testSchema } from '../helpers/postgres.js';

const ISSUER = 'https://rampart.example.com';
const box = new SecretBox(Buffer.alloc(32, 7));
const T0 = Date.parse('2026-11-01T00:00:00Z');
const HOUR = 3600_000;

let dir: string;
let store: Store;
let clock = T0;
const issuerAt = () => new OidcIssuer(store, box, { issuer: () => ISSUER, now: () => clock });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-oidc-issuer-'));
  store = await openSqliteStore(dir, box);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Verifies as a relying party would at `nowMs`: against the key set the issuer publishes then. */
async function verify(issuer: OidcIssuer, token: string, nowMs: number, audience = 'sts.aliyuncs.com') {
  const keys = createLocalJWKSet(await issuer.jwks(nowMs));
  return jwtVerify(token, keys, { issuer: ISSUER, audience, algorithms: ['RS256'], currentDate: new Date(nowMs) });
}

test('no key is published before the first token; the discovery document names the issuer and its key set', async () => {
  const issuer = issuerAt();
  assert.deepEqual(await issuer.jwks(), { keys: [] });
  assert.deepEqual(issuer.discovery(), {
    issuer: ISSUER,
    jwks_uri: `${ISSUER}/.well-known/jwks.json`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'],
  });
});

test('a token carries iss, sub, aud, iat, exp, jti and a kid, and verifies against the published key set', async () => {
  clock = T0;
  const issuer = issuerAt();
  const { token, kid, claims } = await issuer.issue({ subject: 'system:serviceaccount:ci:runner', audience: 'sts.aliyuncs.com', ttlSeconds: 3600 });
  const header = decodeProtectedHeader(token);
  assert.equal(header.alg, 'RS256');
  assert.equal(header.kid, kid);
  const { payload } = await verify(issuer, token, T0);
  assert.equal(payload.iss, ISSUER);
  assert.equal(payload.sub, 'system:serviceaccount:ci:runner');
  assert.equal(payload.aud, 'sts.aliyuncs.com');
  assert.equal(payload.iat, T0 / 1000);
  assert.equal(payload.exp, T0 / 1000 + 3600);
  assert.match(String(payload.jti), /^[0-9a-f-]{36}$/);
  assert.deepEqual(claims, payload);
  const jwks = await issuer.jwks();
  assert.equal(jwks.keys.length, 1);
  assert.deepEqual(Object.keys(jwks.keys[0] ?? {}).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use'], 'the public half only');
  // Another audience, an expired token: refused as any verifier refuses them.
  await assert.rejects(verify(issuer, token, T0, 'other'), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  await assert.rejects(verify(issuer, token, T0 + 3601_000), { code: 'ERR_JWT_EXPIRED' });
  // Two tokens for the same subject are two tokens.
  assert.notEqual((await issuer.issue({ subject: 'system:serviceaccount:ci:runner', audience: 'sts.aliyuncs.com', ttlSeconds: 3600 })).claims.jti, claims.jti);
});

test('an account subject is namespaced by the account id, and names it', () => {
  assert.equal(accountSubject('1234567890123456', 'ci:runner'), 'account:1234567890123456:ci:runner');
  assert.equal(subjectAccount(accountSubject('1234567890123456', 'account:999:x')), '1234567890123456');
  assert.equal(subjectAccount('system:serviceaccount:ci:runner'), undefined);
  assert.equal(subjectAccount('account:x:y'), undefined);
  assert.equal(subjectAccount('account:123:'), undefined);
});

test('a token lives from 60 seconds to 12 hours', async () => {
  const issuer = issuerAt();
  const ask = (ttlSeconds: number) => issuer.issue({ subject: 's', audience: 'a', ttlSeconds });
  for (const bad of [0, MIN_OIDC_TOKEN_SECONDS - 1, MAX_OIDC_TOKEN_SECONDS + 1, 90.5, Number.NaN]) await assert.rejects(ask(bad), RangeError, String(bad));
  assert.equal((await ask(MIN_OIDC_TOKEN_SECONDS)).claims.exp - clock / 1000, 60);
  assert.equal((await ask(MAX_OIDC_TOKEN_SECONDS)).claims.exp - clock / 1000, 12 * 3600);
  await assert.rejects(issuer.issue({ subject: '', audience: 'a', ttlSeconds: 60 }), RangeError);
  await assert.rejects(issuer.issue({ subject: 'a\nb', audience: 'a', ttlSeconds: 60 }), RangeError);
});

test('the keys are sealed in the store with the master key', async () => {
  const sealed = await store.settings.get('oidc-signing-keys');
  assert.ok(sealed !== undefined);
  assert.doesNotMatch(sealed, /PRIVATE KEY/);
  assert.throws(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'oidc-signing-keys'));
  assert.match(box.open(sealed, 'oidc-signing-keys'), /PRIVATE KEY/);
});

test('rotation: the new key signs at once everywhere; the old key stays published until its last token has expired, then is dropped', async () => {
  clock = T0;
  const a = issuerAt();
  // Another process on the same store (the CLI beside a server).
  const b = issuerAt();
  const old = await a.issue({ subject: 'job', audience: 'sts.aliyuncs.com', ttlSeconds: MAX_OIDC_TOKEN_SECONDS });
  const rotatedAt = T0 + HOUR;
  clock = rotatedAt;
  const { added, dropped } = await b.rotate();
  assert.deepEqual(dropped, []);
  assert.notEqual(added, old.kid);
  // The other process signs with the new key at once, and publishes both, newest first.
  const fresh = await a.issue({ subject: 'job', audience: 'sts.aliyuncs.com', ttlSeconds: 3600 });
  assert.equal(fresh.kid, added);
  assert.deepEqual((await a.jwks()).keys.map((k) => k.kid), [added, old.kid]);
  await verify(a, fresh.token, rotatedAt);
  await verify(b, old.token, rotatedAt);

  // The old key signed nothing after the rotation: its tokens are dead 12 hours after it, plus the grace.
  const lastUse = rotatedAt + (MAX_OIDC_TOKEN_SECONDS + OIDC_KEY_GRACE_SECONDS) * 1000;
  assert.deepEqual((await a.jwks(lastUse - 1000)).keys.map((k) => k.kid), [added, old.kid]);
  assert.deepEqual((await a.jwks(lastUse)).keys.map((k) => k.kid), [added]);
  await assert.rejects(verify(a, old.token, lastUse), { code: 'ERR_JWKS_NO_MATCHING_KEY' });
  // A token the old key signed just before the rotation still verifies while it lives.
  await verify(a, old.token, T0 + MAX_OIDC_TOKEN_SECONDS * 1000 - 1000);

  // A rotation soon after keeps every key that may still have live tokens...
  clock = rotatedAt + HOUR;
  const second = await a.rotate();
  assert.deepEqual(second.dropped, []);
  assert.deepEqual((await b.jwks()).keys.map((k) => k.kid), [second.added, added, old.kid]);
  // ...and a later one drops those that cannot.
  clock = lastUse;
  const third = await b.rotate();
  assert.deepEqual(third.dropped, [old.kid]);
  assert.deepEqual((await a.jwks()).keys.map((k) => k.kid), [third.added, second.added, added]);
  clock = rotatedAt + HOUR + (MAX_OIDC_TOKEN_SECONDS + OIDC_KEY_GRACE_SECONDS) * 1000 + 1;
  const fourth = await a.rotate();
  assert.deepEqual(fourth.dropped, [added]);
  assert.deepEqual((await b.jwks()).keys.map((k) => k.kid), [fourth.added, third.added, second.added]);
});

test('nodes sharing a PostgreSQL store: two first tokens at once make one key; a rotation on one is used by the other at once', async () => {
  const schema = testSchema();
  const [one, two] = await Promise.all([openPostgresStore(schema.location, box), openPostgresStore(schema.location, box)]);
  try {
    const [a, b] = [one, two].map((s) => new OidcIssuer(s, box, { issuer: () => ISSUER, now: () => T0 }));
    if (a === undefined || b === undefined) throw new Error('two nodes');
    const [fromA, fromB] = await Promise.all([a.issue({ subject: 's', audience: 'a', ttlSeconds: 60 }), b.issue({ subject: 's', audience: 'a', ttlSeconds: 60 })]);
    assert.equal(fromA.kid, fromB.kid, 'one key, whoever made it');
    assert.deepEqual((await b.jwks()).keys.map((k) => k.kid), [fromA.kid]);
    const { added } = await a.rotate(T0 + 1000);
    assert.equal((await b.issue({ subject: 's', audience: 'a', ttlSeconds: 60, now: T0 + 2000 })).kid, added);
    assert.deepEqual((await b.jwks()).keys.map((k) => k.kid), [added, fromA.kid]);
    await verify(b, fromA.token, T0 + 2000, 'a');
  } finally {
    await Promise.all([one.close(), two.close()]);
    await schema.drop();
  }
});
