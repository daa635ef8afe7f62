// The STS SecurityToken: an AES-256-GCM envelope, `v1.<keyId>.<base64url(iv | ciphertext | tag)>`,
// whose clear header (version and key id) is also its associated data. Nothing is stored per
// token: whoever holds the keyring can open it, and the temporary AccessKeySecret is derived
// from the AccessKeyId, so the token need not carry it.
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';

import { decodeBase64UrlStrict, randomBytesPooled, type SessionLink } from '../model/index.js';

/** The session's own link (its role's account and id, its start and origin) and what it grants. */
export interface SessionClaims extends SessionLink {
  roleName: string;
  sessionName: string;
  /** The temporary AccessKeyId (STS.…) this token goes with. */
  accessKeyId: string;
  expiresAt: number;
  /** The session policy, as given (validated) at AssumeRole, or an instance attachment's. */
  policy?: string;
  /** For a session assumed with another session's credentials: that session's chain, nearest first. */
  chain?: SessionLink[];
}

/** The claims' own link, as a chained session and revocation checks see it. */
export function sessionLink(c: SessionClaims): SessionLink {
  return {
    accountId: c.accountId,
    roleId: c.roleId,
    issuedAt: c.issuedAt,
    source: c.source,
    assumedFrom: c.assumedFrom,
    ...(c.externalId !== undefined ? { externalId: c.externalId } : {}),
    ...(c.instanceId !== undefined ? { instanceId: c.instanceId } : {}),
    ...(c.attachment !== undefined ? { attachment: c.attachment } : {}),
  };
}

export interface TokenKey {
  keyId: string;
  key: Buffer;
}

const VERSION = 'v1';

const subKeys = new WeakMap<Buffer, Map<string, Buffer>>();

/** A purpose-bound key derived from a keyring key; derived once per key and purpose. */
function subKey(key: Buffer, purpose: string): Buffer {
  let derived = subKeys.get(key);
  if (derived === undefined) subKeys.set(key, (derived = new Map()));
  let sub = derived.get(purpose);
  if (sub === undefined) derived.set(purpose, (sub = createHmac('sha256', key).update(purpose).digest()));
  return sub;
}

export function sealSessionToken(key: TokenKey, claims: SessionClaims): string {
  const header = `${VERSION}.${key.keyId}`;
  const iv = randomBytesPooled(12);
  const cipher = createCipheriv('aes-256-gcm', subKey(key.key, 'sts-token'), iv);
  cipher.setAAD(Buffer.from(header));
  // Elements are evaluated in order: the tag exists only once final() has run.
  const sealed = Buffer.concat([iv, cipher.update(JSON.stringify(claims), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${header}.${sealed.toString('base64url')}`;
}

/** The key id a token names, or undefined when it is not a token of ours. */
export function tokenKeyId(token: string): string | undefined {
  const parts = token.split('.');
  return parts.length === 3 && parts[0] === VERSION && parts[1] ? parts[1] : undefined;
}

/** The claims, or undefined if the token was altered or sealed with another key. */
export function openSessionToken(key: TokenKey, token: string): SessionClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || parts[1] !== key.keyId) return undefined;
  const raw = decodeBase64UrlStrict(parts[2] ?? '');
  if (raw === undefined || raw.length < 29) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', subKey(key.key, 'sts-token'), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(`${parts[0]}.${parts[1]}`));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as SessionClaims;
  } catch {
    return undefined;
  }
}

/** The temporary AccessKeySecret: a keyed HMAC of the AccessKeyId, so it is never stored. */
export function sessionSecret(key: TokenKey, accessKeyId: string): string {
  return createHmac('sha256', subKey(key.key, 'sts-secret')).update(accessKeyId).digest('base64url').slice(0, 40);
}
