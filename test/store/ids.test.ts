import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newOssRequestId, newRequestId, randomBytesPooled } from '../../src/model/index.js';

test('request ids: upper-case UUIDs (version 7, RFC variant) that sort by time', () => {
  const ids = [newRequestId(1_700_000_000_000), newRequestId(1_700_000_000_001), newRequestId(1_800_000_000_000)];
  for (const id of ids) assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(Array.from({ length: 10_000 }, () => newRequestId(5))).size, 10_000, 'random within one millisecond');
});

test('OSS request ids: 24 hex digits led by the time in seconds, as the real service sends', () => {
  const id = newOssRequestId(Date.UTC(2019, 0, 15, 7, 0, 5));
  assert.match(id, /^5C3D84F5[0-9A-F]{16}$/);
});

test('pooled random bytes: never repeat, never change once handed out', () => {
  const first = randomBytesPooled(16);
  const copy = Buffer.from(first);
  const seen = new Set<string>();
  for (let i = 0; i < 5000; i++) seen.add(randomBytesPooled(16).toString('hex')); // several refills
  assert.equal(seen.size, 5000);
  assert.deepEqual(first, copy);
  assert.equal(randomBytesPooled(1000).length, 1000);
});
