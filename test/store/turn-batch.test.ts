import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnBatch } from '../../src/store/turn-batch.js';

test('what one turn hands in is written at once; what arrives during a write waits for it and goes together', async () => {
  const writes: number[][] = [];
  let release: (() => void) | undefined;
  const batch = new TurnBatch<number>((items) => {
    writes.push(items);
    return new Promise<void>((r) => (release = r));
  });
  const first = [batch.add([1]), batch.add([2, 3])];
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(writes, [[1, 2, 3]]);
  // The disk is slow: three more turns' worth arrive meanwhile.
  const later: Promise<void>[] = [];
  for (let i = 4; i <= 6; i++) {
    later.push(batch.add([i]));
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(writes.length, 1, 'nothing more is written while a write is under way');
  release!();
  await Promise.all(first);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(writes[1], [4, 5, 6]);
  release!();
  await Promise.all(later);
});

test('a failed write fails its own callers only; flush waits for everything handed in', async () => {
  let fail = true;
  const written: number[] = [];
  const batch = new TurnBatch<number>(async (items) => {
    const failing = fail;
    await new Promise((r) => setTimeout(r, 5));
    if (failing) throw new Error('disk full');
    written.push(...items);
  });
  const doomed = batch.add([1]);
  await new Promise((r) => setImmediate(r));
  fail = false;
  const fine = batch.add([2]);
  await assert.rejects(doomed, /disk full/);
  await fine;
  const last = batch.add([3]);
  await batch.flush();
  await last;
  assert.deepEqual(written, [2, 3]);
  assert.deepEqual(await batch.add([]), undefined);
});
