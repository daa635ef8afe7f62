import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32, fromBase32, hotp, newTotpSeed, totp, totpStepOf } from '../../src/auth/totp.js';

// RFC 6238 Appendix B (SHA-1, the 20-byte ASCII key "12345678901234567890", 8 digits).
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('HOTP over 30-second steps gives RFC 6238\'s SHA-1 test vectors', () => {
  for (const [seconds, code] of VECTORS) assert.equal(hotp(RFC_KEY, Math.floor(seconds / 30), 8), code, `T=${seconds}`);
});

test('RFC 4226 Appendix D: the first HOTP values of its test key', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314'];
  expected.forEach((code, counter) => assert.equal(hotp(RFC_KEY, counter), code));
});

test('base32 round-trips and matches RFC 4648\'s examples', () => {
  assert.equal(base32(Buffer.from('foobar')), 'MZXW6YTBOI');
  assert.equal(fromBase32('MZXW6YTBOI').toString(), 'foobar');
  assert.equal(fromBase32('mzxw6ytboi======').toString(), 'foobar');
  const seed = newTotpSeed();
  assert.match(seed, /^[A-Z2-7]{32}$/);
  assert.throws(() => fromBase32('not base32!'));
});

test('a code is accepted one step either side of now and not beyond, and only six digits', () => {
  const seed = base32(RFC_KEY);
  const now = 1_111_111_111_000;
  assert.equal(totp(seed, 59_000), '287082');
  for (const offset of [-30_000, 0, 30_000]) assert.equal(totpStepOf(seed, totp(seed, now + offset), now), Math.floor((now + offset) / 30_000));
  assert.equal(totpStepOf(seed, totp(seed, now + 60_000), now), undefined);
  assert.equal(totpStepOf(seed, totp(seed, now - 60_000), now), undefined);
  assert.equal(totpStepOf(seed, '12345', now), undefined);
  assert.equal(totpStepOf(seed, '12345a', now), undefined);
});
