import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadMasterKey, MasterKeyError, parseMasterKey, SecretBox } from '../../src/secrets/index.js';

const key = Buffer.alloc(32, 7);

test('sealed secrets open with the same key and context only', () => {
  const box = new SecretBox(key);
  const sealed = box.seal('my secret', 'access-key:A');
  assert.ok(!sealed.includes('my secret'));
  assert.equal(box.open(sealed, 'access-key:A'), 'my secret');
  assert.throws(() => box.open(sealed, 'access-key:B'));
  assert.throws(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'access-key:A'));
  const flipped = sealed.slice(0, -4) + (sealed.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA');
  assert.throws(() => box.open(flipped, 'access-key:A'));
});

test('sealing twice gives different ciphertexts (random IV)', () => {
  const box = new SecretBox(key);
  assert.notEqual(box.seal('x', 'c'), box.seal('x', 'c'));
});

test('master key: hex or base64 of 32 bytes, anything else refused', () => {
  assert.deepEqual(parseMasterKey('07'.repeat(32), 'k'), key);
  assert.deepEqual(parseMasterKey(key.toString('base64'), 'k'), key);
  assert.throws(() => parseMasterKey('short', 'k'), MasterKeyError);
  assert.throws(() => parseMasterKey(Buffer.alloc(31).toString('base64'), 'k'), MasterKeyError);
});

test('master key file: created once with mode 0600, then reused; the environment wins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-mk-'));
  const first = loadMasterKey(dir, {});
  const path = join(dir, 'master.key');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(loadMasterKey(dir, {}).key, first.key);
  assert.deepEqual(loadMasterKey(dir, { RAMPART_MASTER_KEY: '07'.repeat(32) }).key, key);
  assert.equal(readFileSync(path, 'utf8').trim(), first.key.toString('base64'));
  writeFileSync(path, 'garbage');
  assert.throws(() => loadMasterKey(dir, {}), MasterKeyError);
});
