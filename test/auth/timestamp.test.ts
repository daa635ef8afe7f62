import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWithinSkew, MAX_CLOCK_SKEW_MS, parseIsoUtc } from '../../src/auth/index.js';

test('accepts the forms the SDKs send', () => {
  assert.equal(parseIsoUtc('2015-08-18T03:15:45Z'), Date.UTC(2015, 7, 18, 3, 15, 45));
  assert.equal(parseIsoUtc('2015-08-18T03:15:45.123Z'), Date.UTC(2015, 7, 18, 3, 15, 45, 123));
  assert.equal(parseIsoUtc('2024-02-29T23:59:59.5Z'), Date.UTC(2024, 1, 29, 23, 59, 59, 500));
  assert.equal(parseIsoUtc('2000-02-29T00:00:00Z'), Date.UTC(2000, 1, 29));
  assert.equal(parseIsoUtc('2015-12-31T00:00:00Z'), Date.UTC(2015, 11, 31));
});

test('refuses other forms and impossible dates', () => {
  for (const bad of [
    '2015-08-18 03:15:45Z', '2015-08-18T03:15:45', '2015-08-18T03:15:45+08:00', '2015-02-30T00:00:00Z', '2015-08-18T24:00:00Z', 'now', '',
    '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2015-04-31T00:00:00Z', '2015-13-01T00:00:00Z', '2015-00-10T00:00:00Z', '2015-08-00T00:00:00Z',
    '2015-08-18T23:60:00Z', '2015-08-18T23:59:60Z', '0050-01-01T00:00:00Z',
  ]) {
    assert.equal(parseIsoUtc(bad), undefined, bad);
  }
});

test('15 minutes of skew either way is accepted, a millisecond more is not', () => {
  const now = Date.UTC(2026, 10, 24, 12);
  assert.equal(isWithinSkew(now - MAX_CLOCK_SKEW_MS, now), true);
  assert.equal(isWithinSkew(now + MAX_CLOCK_SKEW_MS, now), true);
  assert.equal(isWithinSkew(now - MAX_CLOCK_SKEW_MS - 1, now), false);
  assert.equal(isWithinSkew(now + MAX_CLOCK_SKEW_MS + 1, now), false);
});
