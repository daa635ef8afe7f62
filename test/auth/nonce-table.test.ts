import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { nonceFingerprint, NonceTable } from '../../src/auth/nonce-table.js';

test('nonce table: a pair is added once, and found again after the table has grown many times', () => {
  const table = new NonceTable();
  const nonces = Array.from({ length: 200_000 }, () => randomUUID());
  for (const nonce of nonces) assert.equal(table.add(nonceFingerprint('LTAI5tAAAAAAAAAAAAAAAAAA', nonce)), true, 'no two fresh nonces share a fingerprint');
  assert.equal(table.size, nonces.length);
  for (const nonce of nonces.slice(0, 1000)) {
    assert.equal(table.has(nonceFingerprint('LTAI5tAAAAAAAAAAAAAAAAAA', nonce)), true);
    assert.equal(table.add(nonceFingerprint('LTAI5tAAAAAAAAAAAAAAAAAA', nonce)), false, 'a replay');
  }
  assert.equal(table.has(nonceFingerprint('LTAI5tBBBBBBBBBBBBBBBBBB', nonces[0]!)), false, 'the same nonce under another key is another pair');
  assert.equal(table.size, nonces.length);
});

test('nonce table: the key id and the nonce cannot trade characters (key ids hold no newline)', () => {
  assert.notDeepEqual(nonceFingerprint('ab', 'c'), nonceFingerprint('a', 'bc'));
  assert.notDeepEqual(nonceFingerprint('a', ''), nonceFingerprint('', 'a'));
});

test('nonce table: fingerprints that start at the same slot are told apart', () => {
  const table = new NonceTable();
  // Same low word (same first slot), different high words: both kept, each found.
  const a = { high: 0x11, low: 7 };
  const b = { high: 0x23, low: 7 };
  const c = { high: 0x11, low: 7 + 1024 };
  assert.equal(table.add(a), true);
  assert.equal(table.add(b), true);
  assert.equal(table.add(c), true);
  assert.equal(table.has({ high: 0x23, low: 7 }), true);
  assert.equal(table.has({ high: 0x35, low: 7 }), false);
  assert.equal(table.add({ ...b }), false);
  assert.equal(table.size, 3);
});

test('nonce table: fingerprints are never the empty marker, and differ per process seed', () => {
  for (let i = 0; i < 1000; i++) assert.equal(nonceFingerprint('k', String(i)).high & 1, 1);
  assert.notDeepEqual(nonceFingerprint('k', 'n', [1, 2]), nonceFingerprint('k', 'n', [3, 4]));
  assert.deepEqual(nonceFingerprint('k', 'n', [1, 2]), nonceFingerprint('k', 'n', [1, 2]));
});
