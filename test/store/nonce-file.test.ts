// The nonce file: fingerprints survive a restart under the directory's own seeds, only those still
// inside their window come back, a torn line is skipped, and dead windows are deleted.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { MemoryNonceCache } from '../../src/auth/index.js';
import { NonceFile } from '../../src/store/index.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = join(mkdtempSync(join(tmpdir(), 'rampart-nonces-')), 'nonces');
  dirs.push(d);
  return d;
};

const T0 = Date.UTC(2026, 10, 30, 12);
const MIN = 60_000;

test('a nonce accepted before a restart is refused after it, while its window lasts', async () => {
  const dir = fresh();
  const first = new NonceFile(dir);
  const before = new MemoryNonceCache(first, T0);
  assert.equal(await before.claim('ak', 'n1', T0, T0), true);
  assert.equal(await before.claim('ak', 'n2', T0 + 5 * MIN, T0 + 5 * MIN), true);
  first.close();

  const again = new NonceFile(dir);
  assert.deepEqual(again.seeds, first.seeds, 'the directory keeps its seeds');
  const after10 = new MemoryNonceCache(again, T0 + 10 * MIN);
  assert.equal(await after10.claim('ak', 'n1', T0 + 10 * MIN, T0 + 10 * MIN), false);
  assert.equal(await after10.claim('ak', 'n2', T0 + 10 * MIN, T0 + 10 * MIN), false);
  assert.equal(await after10.claim('other-ak', 'n1', T0 + 10 * MIN, T0 + 10 * MIN), true);
  again.close();

  // 16 minutes on, n1's window (15 minutes from its time stamp) has passed; n2's has not.
  const later = new MemoryNonceCache(new NonceFile(dir), T0 + 16 * MIN);
  assert.equal(later.size, 2, 'n2 and other-ak/n1 come back, n1 does not');
});

test('a torn line is skipped, windows long past are deleted, and new seeds start empty', async () => {
  const dir = fresh();
  const file = new NonceFile(dir);
  const cache = new MemoryNonceCache(file, T0);
  await cache.claim('ak', 'kept', T0, T0);
  file.close();
  const [log] = readdirSync(dir).filter((n) => n.endsWith('.log'));
  appendFileSync(join(dir, log ?? ''), 'zzzz 1234');
  appendFileSync(join(dir, '1.log'), 'k0 0000000100000001\n');
  const reopened = new MemoryNonceCache(new NonceFile(dir), T0);
  assert.equal(reopened.size, 1);
  assert.ok(!existsSync(join(dir, '1.log')), 'a window from 1970 is gone');

  rmSync(join(dir, 'seeds'));
  const reseeded = new NonceFile(dir);
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.log')), [], 'fingerprints under other seeds mean nothing');
  reseeded.close();
});
