// The metadata service's hardened-mode token (PUT /latest/api/token): sealed with the data
// directory's box, bound to one instance and its address, valid for the TTL the app asked for
// (at most 6 hours). Nothing is stored per token.
import { decodeBase64UrlStrict } from '../model/index.js';
import type { SecretBox } from '../secrets/index.js';

const CONTEXT = 'metadata-token';
export const MAX_METADATA_TOKEN_TTL = 21_600;

export interface TokenSubject {
  instanceId: string;
  privateIp: string;
}

export function mintMetadataToken(box: SecretBox, subject: TokenSubject, ttlSeconds: number, nowMs: number): string {
  const claims = { i: subject.instanceId, ip: subject.privateIp, exp: nowMs + ttlSeconds * 1000 };
  return Buffer.from(box.seal(JSON.stringify(claims), CONTEXT)).toString('base64url');
}

/** Whether a token was minted by this server for this instance at this address, and is in date. */
export function metadataTokenValid(box: SecretBox, subject: TokenSubject, token: string, nowMs: number): boolean {
  try {
    const raw = decodeBase64UrlStrict(token);
    if (raw === undefined) return false;
    const claims = JSON.parse(box.open(raw.toString('utf8'), CONTEXT)) as { i: string; ip: string; exp: number };
    return claims.i === subject.instanceId && claims.ip === subject.privateIp && nowMs < claims.exp;
  } catch {
    return false;
  }
}
