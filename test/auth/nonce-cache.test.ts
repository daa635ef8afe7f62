import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CLOCK_SKEW_MS, MemoryNonceCache } from '../../src/auth/index.js';

const T0 = Date.UTC(2026, 10, 24, 12);

test('a nonce is accepted once per AccessKey', async () => {
  const cache = new MemoryNonceCache();
  assert.equal(await cache.claim('ak1', 'n1', T0, T0), true);
  assert.equal(await cache.claim('ak1', 'n1', T0, T0 + 1000), false);
  assert.equal(await cache.claim('ak2', 'n1', T0, T0 + 1000), true);
});

test('a nonce is remembered for as long as its time stamp would be accepted', async () => {
  const cache = new MemoryNonceCache();
  // Time stamp 10 minutes ahead of the server: acceptable until 25 minutes from now.
  const ahead = T0 + 10 * 60_000;
  assert.equal(await cache.claim('ak', 'n', ahead, T0), true);
  assert.equal(await cache.claim('ak', 'n', ahead, ahead + MAX_CLOCK_SKEW_MS), false);
  // Once the time stamp itself would be refused, the memory may go.
  await cache.claim('ak', 'other', ahead + MAX_CLOCK_SKEW_MS + 120_000, ahead + MAX_CLOCK_SKEW_MS + 120_000);
  assert.equal(cache.size, 1);
});

test('memory stays bounded by the window, not by the number of requests ever seen', async () => {
  const cache = new MemoryNonceCache();
  for (let minute = 0; minute < 120; minute++) {
    for (let i = 0; i < 100; i++) await cache.claim('ak', `${minute}-${i}`, T0 + minute * 60_000, T0 + minute * 60_000);
  }
  // 15 minutes of window (+1 generation of slack) at 100 nonces a minute.
  assert.ok(cache.size <= 17 * 100, `size ${cache.size}`);
});
