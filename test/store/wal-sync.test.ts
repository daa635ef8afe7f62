import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';

test('WalSync: callers share flushes, and one arriving during a flush waits for the next', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-wal-'));
  const path = join(dir, 'x-wal');
  // Count (and slow down) every datasync made through a file handle.
  writeFileSync(path, 'frames');
  const probe = await open(path, 'r');
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const original = proto.datasync;
  let flushes = 0;
  proto.datasync = async function (this: unknown) {
    flushes++;
    await new Promise((r) => setTimeout(r, 30));
    return original.call(this);
  };
  try {
    const absent = new WalSync(join(dir, 'absent-wal'));
    absent.noteWrite();
    await absent.flushed();
    assert.equal(flushes, 0, 'no log yet: nothing to flush');

    const sync = new WalSync(path);
    await sync.flushed();
    assert.equal(flushes, 0, 'nothing written: nothing to flush');
    const done: string[] = [];
    sync.noteWrite();
    const first = sync.flushed().then(() => done.push('first'));
    // These write while the first flush runs: it may have started before their commits.
    sync.noteWrite();
    const second = sync.flushed().then(() => done.push('second'));
    sync.noteWrite();
    const third = sync.flushed().then(() => done.push('third'));
    await first;
    assert.deepEqual(done, ['first'], 'the later callers wait for a flush that starts after them');
    await Promise.all([second, third]);
    assert.equal(flushes, 2, 'one flush for the first caller, one shared by the other two');
    await sync.flushed();
    assert.equal(flushes, 2, 'everything written is already on disk');
    await sync.close();
  } finally {
    proto.datasync = original;
    rmSync(dir, { recursive: true, force: true });
  }
});
