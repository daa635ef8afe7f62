// The caches in front of the store stay exact: a write in this process, a write another
// connection (another process) commits, and a write that lands while a read is in flight all
// make the next lookup go back to the database.
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretBox } from '../../src/secrets/index.js';
import { FreshCache, Freshness, LocalChangeFeed, openSqliteStore, SQLITE_FILE, withReadCache } from '../../src/store/index.js';

const box = new SecretBox(Buffer.alloc(32, 2));
const A = '1000000000000001';
const B = '1000000000000002';
const nextTurn = () => new Promise((r) => setImmediate(r));

test('Freshness: an entry is fresh until its account, or every account, changes after its read began', () => {
  const feed = new LocalChangeFeed();
  const f = new Freshness(feed);
  const s1 = f.stamp();
  assert.equal(f.isFresh(A, s1), true);
  feed.emit(B);
  assert.equal(f.isFresh(A, s1), true, 'another account changing does not matter');
  feed.emit(A);
  assert.equal(f.isFresh(A, s1), false);
  const s2 = f.stamp();
  assert.equal(f.isFresh(A, s2), true);
  feed.emit(undefined);
  assert.equal(f.isFresh(A, s2), false, 'a change to every account reaches every entry');
  assert.equal(f.isFresh(B, s2), false);
});

test('FreshCache: serves hits, reloads after a change, forgets misses, and a write during a read is not lost', async () => {
  const feed = new LocalChangeFeed();
  const cache = new FreshCache<{ accountId: string; v: number }>(new Freshness(feed));
  let loads = 0;
  let value = 1;
  const load = async () => {
    loads++;
    return { accountId: A, v: value };
  };
  assert.equal((await cache.get('k', load))?.v, 1);
  assert.equal((await cache.get('k', load))?.v, 1);
  assert.equal(loads, 1);
  value = 2;
  feed.emit(A);
  assert.equal((await cache.get('k', load))?.v, 2);
  assert.equal(loads, 2);
  assert.ok(Object.isFrozen(await cache.get('k', load)), 'shared values cannot be changed in place');

  // A write that commits while the read is in flight: the value read may be old, so it must not stay.
  const slow = async () => {
    const seen = value;
    value = 3;
    feed.emit(A);
    return { accountId: A, v: seen };
  };
  feed.emit(A);
  assert.equal((await cache.get('k', slow))?.v, 2);
  assert.equal((await cache.get('k', load))?.v, 3);

  let missLoads = 0;
  const miss = async () => {
    missLoads++;
    return undefined;
  };
  await cache.get('nobody', miss);
  await cache.get('nobody', miss);
  assert.equal(missLoads, 2, 'unknown keys are asked for every time');
});

test('sqlite store: another connection\'s commit is announced to every account by catchUp', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-caches-'));
  const store = await openSqliteStore(dir, box);
  try {
    const heard: (string | undefined)[] = [];
    store.changes.subscribe((a) => heard.push(a));
    store.changes.catchUp();
    assert.deepEqual(heard, []);
    const other = new BetterSqlite3(join(dir, SQLITE_FILE));
    other.prepare(`insert into settings (name, value) values ('probe', 'x')`).run();
    other.close();
    await nextTurn();
    store.changes.catchUp();
    assert.deepEqual(heard, [undefined]);
    await nextTurn();
    store.changes.catchUp();
    assert.deepEqual(heard, [undefined], 'announced once');
    // Our own writes are announced by the repositories, not mistaken for another process's.
    await store.accounts.create(A, new Date());
    await nextTurn();
    store.changes.catchUp();
    assert.deepEqual(heard, [undefined]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('read cache: a key disabled here or by another process is seen on the next lookup', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-caches-'));
  const raw = await openSqliteStore(dir, box);
  const store = withReadCache(raw);
  try {
    await store.accounts.create(A, new Date());
    const key = { accessKeyId: 'LTAI5tCACHEDKEY000000001', accountId: A, secret: 'CachedSecretValue0000000000000', status: "Active" as const, createdAt: new Date() };
    await store.accessKeys.create(key);
    assert.equal((await store.accessKeys.get(key.accessKeyId))?.status, 'Active');
    await store.accessKeys.setStatus(key.accessKeyId, 'Inactive');
    assert.equal((await store.accessKeys.get(key.accessKeyId))?.status, 'Inactive', 'a write in this process');

    await store.accessKeys.setStatus(key.accessKeyId, 'Active');
    assert.equal((await store.accessKeys.get(key.accessKeyId))?.status, 'Active');
    const other = new BetterSqlite3(join(dir, SQLITE_FILE));
    other.prepare(`update access_keys set status = 'Inactive' where access_key_id = ?`).run(key.accessKeyId);
    other.close();
    await nextTurn();
    assert.equal((await store.accessKeys.get(key.accessKeyId))?.status, 'Inactive', 'a write by another process');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
