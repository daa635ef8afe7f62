// Identifier and secret generation, with the shapes the real cloud uses.
import { randomBytes, randomInt } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const POOL_BYTES = 8192;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/**
 * Cryptographically random bytes for the per-request hot path (ids, nonces, IVs), cut from a
 * pool filled in one call: asking the system for a dozen bytes at a time costs more than the use.
 * A refill replaces the pool rather than overwriting it, so bytes handed out never change.
 */
export function randomBytesPooled(n: number): Buffer {
  if (n > 256) return randomBytes(n);
  if (poolOffset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const out = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  return out;
}

/** Uniform random base62 text (rejection sampling, so no character is favoured). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytesPooled(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * Request ids look like the real ones: an upper-case UUID. Ours are time-ordered (UUID version 7:
 * 48 bits of milliseconds, then random), so the audit trail's index on them grows at its end
 * instead of at random pages; clients treat them as opaque all the same.
 */
export function newRequestId(nowMs = Date.now()): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(nowMs, 0, 6);
  randomBytesPooled(10).copy(b, 6);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x70;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** OSS request ids: 24 hex digits, the first 8 the time in seconds, as the real service's are. */
export function newOssRequestId(nowMs = Date.now()): string {
  return (Math.floor(nowMs / 1000).toString(16).padStart(8, '0') + randomBytesPooled(8).toString('hex')).toUpperCase();
}

/** A 16-digit numeric Alibaba Cloud account id (uid). */
export function newAccountId(): string {
  let id = String(randomInt(1, 10));
  for (let i = 1; i < 16; i++) id += String(randomInt(0, 10));
  return id;
}

export const ACCOUNT_ID_PATTERN = /^[1-9][0-9]{15}$/;

/** Long-term AccessKey ids start with LTAI; today's are `LTAI5t` + 18 characters (24 in all). */
export function newAccessKeyId(): string {
  return 'LTAI5t' + randomBase62(18);
}

export const ACCESS_KEY_ID_PATTERN = /^LTAI[A-Za-z0-9]{8,60}$/;

/** AccessKey secrets are 30 base62 characters. */
export function newAccessKeySecret(): string {
  return randomBase62(30);
}
