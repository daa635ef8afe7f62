// Rampart as an OpenID Connect issuer, for workloads at sites with no identity provider of their
// own: it signs short-lived ID tokens (RS256) that AssumeRoleWithOIDC, here or anywhere that reads
// Rampart's JWKS, exchanges for role sessions.
//
// The signing keys are kept as the STS token keys are: in the store, sealed with the master key,
// so every node and the CLI (beside a running server) sign with the same key and publish the same
// set. They are one settings row (a small JSON document, sealed whole), read again at each use and
// parsed again only when it changed: a rotation by another process or node is seen at once, with
// no change feed to wait for. The newest key signs. Rotation adds a key; an older key's public half
// stays published until every token it signed has expired (it signed none after its successor
// came, and none lives longer than MAX_OIDC_TOKEN_SECONDS), then it is dropped.
import { createPrivateKey, createPublicKey, generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, exportJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose';
import type { SecretBox } from '../secrets/index.js';
import type { Store } from '../store/index.js';

export const OIDC_SIGNING_ALG = 'RS256';
/** A token lives at least a minute (less is a clock-skew accident waiting to happen)... */
export const MIN_OIDC_TOKEN_SECONDS = 60;
/** ...and at most 12 hours, a role session's longest life: a token is a bearer credential. */
export const MAX_OIDC_TOKEN_SECONDS = 12 * 3600;
/**
 * How long a retired key stays published past its last token's expiry: verifiers accept a token
 * a little past its exp when their clock is behind (jose's clockTolerance, STS's skew allowance).
 */
export const OIDC_KEY_GRACE_SECONDS = 5 * 60;

/**
 * Tokens issued through the API name the asking account in their subject: `account:<id>:<Subject>`.
 * Rampart has one issuer for every account, so without it one account could mint a subject another
 * account's role trusts. The CLI (the operator, holding the master key) may issue any other subject.
 */
export const ACCOUNT_SUBJECT_PREFIX = 'account:';

export const accountSubject = (accountId: string, subject: string): string => `${ACCOUNT_SUBJECT_PREFIX}${accountId}:${subject}`;

/**
 * The account an API-issued subject belongs to, undefined for the operator's subjects: for a
 * verifier of Rampart's own tokens that admits an account's subjects only to that account's roles.
 */
export function subjectAccount(sub: string): string | undefined {
  return /^account:(\d{1,32}):./.exec(sub)?.[1];
}

/**
 * What a subject asked for may be made of, up to 256 characters: a Kubernetes service account's
 * (system:serviceaccount:ns:name), a CI job's (repo:org/app:ref:refs/heads/main).
 */
export const OIDC_SUBJECT = { pattern: /^[A-Za-z0-9._:@/+=-]{1,256}$/, text: 'letters, digits and . _ : @ / + = -' };
/** As RAM allows an OIDC provider's client ids (which an audience must be one of): up to 128 of these. */
export const OIDC_AUDIENCE = { pattern: /^[A-Za-z0-9._:/-]{1,128}$/, text: 'letters, digits and . _ : / -' };

const SETTING = 'oidc-signing-keys';
/** Where the server records its issuer URL, for `rampart oidc issue` beside it. */
export const OIDC_ISSUER_SETTING = 'oidc-issuer';

const makeKeyPair = promisify(generateKeyPair);

/** A key as stored (inside the sealed document). */
interface StoredKey {
  kid: string;
  /** PKCS #8 PEM. */
  pkcs8: string;
  /** When it became the signing key, ms since the epoch. */
  createdAt: number;
}

interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
  createdAt: number;
  /** When its successor took over; it signed nothing after. */
  retiredAt?: number;
}

export interface OidcTokenRequest {
  subject: string;
  audience: string;
  ttlSeconds: number;
  /** ms since the epoch; default the issuer's clock. */
  now?: number;
}

export interface OidcTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
}

export interface IssuedOidcToken {
  token: string;
  kid: string;
  claims: OidcTokenClaims;
}

/** The OpenID Provider Metadata a verifier reads from <issuer>/.well-known/openid-configuration. */
export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
  claims_supported: string[];
}

export const JWKS_PATH = '/.well-known/jwks.json';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

export function openIdConfiguration(issuer: string): OpenIdConfiguration {
  return {
    issuer,
    jwks_uri: `${issuer}${JWKS_PATH}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [OIDC_SIGNING_ALG],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'],
  };
}

export interface OidcIssuerOptions {
  /** The issuer URL (iss), read at each use: the api listener's URL is known only once it listens. */
  issuer: () => string;
  now: () => number;
}

export class OidcIssuer {
  /** The key document as last read, and its keys. */
  #sealed: string | undefined;
  #keys: LoadedKey[] = [];
  #firstKey: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly options: OidcIssuerOptions,
  ) {}

  get issuer(): string {
    return this.options.issuer();
  }

  discovery(): OpenIdConfiguration {
    return openIdConfiguration(this.issuer);
  }

  /**
   * The public keys a verifier needs now: the signing key and every retired key a token may still
   * be valid under, newest first. Before the first token there are none.
   */
  async jwks(nowMs = this.options.now()): Promise<JSONWebKeySet> {
    const keys = await this.#load();
    return { keys: keys.filter((k) => !expired(k, nowMs)).reverse().map((k) => k.publicJwk) };
  }

  /** Signs a token with the newest key (made now, on first use). */
  async issue(request: OidcTokenRequest): Promise<IssuedOidcToken> {
    const { subject, audience, ttlSeconds } = request;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_OIDC_TOKEN_SECONDS || ttlSeconds > MAX_OIDC_TOKEN_SECONDS) {
      throw new RangeError(`an OIDC token lives from ${MIN_OIDC_TOKEN_SECONDS} to ${MAX_OIDC_TOKEN_SECONDS} seconds, not ${ttlSeconds}`);
    }
    if (!printable(subject) || !printable(audience)) throw new RangeError('the subject and the audience must be non-empty printable text');
    const nowMs = request.now ?? this.options.now();
    let key = (await this.#load()).at(-1);
    if (key === undefined) {
      // One key made for every request of this process waiting for the first (RSA keys are slow to make).
      this.#firstKey ??= this.#makeFirstKey(nowMs).finally(() => (this.#firstKey = undefined));
      await this.#firstKey;
      key = (await this.#load()).at(-1);
      if (key === undefined) throw new Error('the OIDC signing key could not be made');
    }
    const iat = Math.floor(nowMs / 1000);
    const claims: OidcTokenClaims = { iss: this.issuer, sub: subject, aud: audience, iat, exp: iat + ttlSeconds, jti: randomUUID() };
    const token = await new SignJWT({ jti: claims.jti })
      .setProtectedHeader({ alg: OIDC_SIGNING_ALG, typ: 'JWT', kid: key.kid })
      .setIssuer(claims.iss)
      .setSubject(claims.sub)
      .setAudience(claims.aud)
      .setIssuedAt(claims.iat)
      .setExpirationTime(claims.exp)
      .sign(key.privateKey);
    return { token, kid: key.kid, claims };
  }

  /**
   * Makes a new signing key and drops the keys no unexpired token can need: a key stops signing
   * when the next one comes, so its tokens are dead once the longest lifetime (and the grace for
   * verifiers' clocks) has passed since then.
   */
  async rotate(nowMs = this.options.now()): Promise<{ added: string; dropped: string[] }> {
    const fresh = await this.#generate();
    const added = newStoredKey(fresh, nowMs);
    let dropped: string[] = [];
    await this.#change((keys) => {
      const kept = keys.filter((_, i) => !expired({ retiredAt: keys[i + 1]?.createdAt ?? nowMs }, nowMs));
      dropped = keys.filter((k) => !kept.includes(k)).map((k) => k.kid);
      return [...kept, added];
    });
    return { added: added.kid, dropped };
  }

  async #makeFirstKey(nowMs: number): Promise<void> {
    // Generated before the transaction (it is slow); a key another process made meanwhile wins.
    const fresh = await this.#generate();
    await this.#change((keys) => (keys.length === 0 ? [newStoredKey(fresh, nowMs)] : undefined));
  }

  async #generate(): Promise<{ pkcs8: string; kid: string }> {
    const { privateKey } = await makeKeyPair('rsa', { modulusLength: 2048 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // The key id is the RFC 7638 thumbprint of the public key: the same on every node, by construction.
    const kid = await calculateJwkThumbprint(await exportJWK(createPublicKey(privateKey)), 'sha256');
    return { pkcs8, kid };
  }

  /** The stored keys, oldest first, parsed again only when the sealed document changed. */
  async #load(): Promise<LoadedKey[]> {
    const sealed = await this.store.settings.get(SETTING);
    if (sealed === this.#sealed) return this.#keys;
    const stored = sealed === undefined || sealed === '' ? [] : this.#open(sealed);
    const loaded: LoadedKey[] = [];
    for (const [i, k] of stored.entries()) {
      const privateKey = createPrivateKey(k.pkcs8);
      const publicJwk: JWK = { ...(await exportJWK(createPublicKey(privateKey))), kid: k.kid, alg: OIDC_SIGNING_ALG, use: 'sig' };
      const successor = stored[i + 1];
      loaded.push({ kid: k.kid, privateKey, publicJwk, createdAt: k.createdAt, ...(successor ? { retiredAt: successor.createdAt } : {}) });
    }
    this.#sealed = sealed;
    this.#keys = loaded;
    return loaded;
  }

  #open(sealed: string): StoredKey[] {
    const doc = JSON.parse(this.box.open(sealed, SETTING)) as { keys?: unknown };
    if (!Array.isArray(doc.keys)) throw new Error('the stored OIDC signing keys are not readable');
    return doc.keys.map((k: Partial<StoredKey>) => {
      if (typeof k.kid !== 'string' || typeof k.pkcs8 !== 'string' || typeof k.createdAt !== 'number') throw new Error('the stored OIDC signing keys are not readable');
      return { kid: k.kid, pkcs8: k.pkcs8, createdAt: k.createdAt };
    });
  }

  /**
   * Reads, changes and writes the key document in one transaction (and, on a shared store, while
   * no other node does): two processes rotating or making the first key at once do not lose one.
   * `change` answers undefined to leave the document as it is.
   */
  async #change(change: (keys: StoredKey[]) => StoredKey[] | undefined): Promise<void> {
    const write = () =>
      this.store.transaction(async (tx) => {
        const sealed = await tx.settings.get(SETTING);
        const next = change(sealed === undefined || sealed === '' ? [] : this.#open(sealed));
        if (next !== undefined) await tx.settings.set(SETTING, this.box.seal(JSON.stringify({ keys: next }), SETTING));
      });
    await (this.store.exclusively ? this.store.exclusively(write) : write());
  }
}

function newStoredKey(generated: { pkcs8: string; kid: string }, nowMs: number): StoredKey {
  return { kid: generated.kid, pkcs8: generated.pkcs8, createdAt: nowMs };
}

/** Whether no token a key signed can still be valid (never for the signing key). */
function expired(key: { retiredAt?: number }, nowMs: number): boolean {
  return key.retiredAt !== undefined && key.retiredAt + (MAX_OIDC_TOKEN_SECONDS + OIDC_KEY_GRACE_SECONDS) * 1000 <= nowMs;
}

const printable = (text: string): boolean => text.length > 0 && !/[\u0000-\u001f\u007f]/.test(text);
