// Identifier and secret generation, with the shapes the real cloud uses.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform random base62 text (rejection sampling, so no character is favoured). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Request ids look like the real ones: an upper-case UUID. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
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
