// The WAL-index header as a cheap "has anyone committed?": every commit by any connection changes
// it, including one made after the log restarted from the top; no commit leaves it as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { WalIndexWatch } from '../../src/store/sqlite/wal-index-watch.js';

test('WAL index watch: every commit by any connection reads as a change, and nothing else does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-wal-index-'));
  const path = join(dir, 'x.db');
  const ours = new BetterSqlite3(path);
  ours.pragma('journal_mode = WAL');
  ours.exec('create table t (v integer)');
  const other = new BetterSqlite3(path);
  // A small log, checkpointed often, so the run passes through several restarts of the log.
  other.pragma('wal_autocheckpoint = 4');
  const watch = new WalIndexWatch(`${path}-shm`);
  try {
    watch.changed();
    assert.equal(watch.changed(), false, 'no commit, no change');
    ours.prepare('select count(*) from t').get();
    assert.equal(watch.changed(), false, 'a read is no commit');
    const insert = other.prepare('insert into t (v) values (?)');
    for (let i = 0; i < 200; i++) {
      insert.run(i);
      assert.equal(watch.changed(), true, `commit ${i} by the other connection`);
      assert.equal(watch.changed(), false, `nothing since commit ${i}`);
    }
    ours.prepare('insert into t (v) values (1)').run();
    assert.equal(watch.changed(), true, 'a commit of our own is a change too (data_version tells them apart)');
  } finally {
    watch.close();
    other.close();
    ours.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('WAL index watch: without an index file every look says to ask', () => {
  const watch = new WalIndexWatch(join(tmpdir(), 'rampart-no-such-dir', 'x.db-shm'));
  assert.equal(watch.changed(), true);
  assert.equal(watch.changed(), true);
  watch.close();
});
