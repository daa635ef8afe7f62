import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SecretBox } from '../../src/secrets/index.js';
import { openSqliteStore, type AuditEventRow } from '../../src/store/index.js';
import { AUDIT_FILE } from '../../src/store/sqlite/audit-file.js';
import { JOURNAL_DIR, JournalAppender, decodeLine, encodeLine, journalFiles } from '../../src/store/sqlite/audit-journal.js';

const box = new SecretBox(Buffer.alloc(32, 4));
const row = (i: number): AuditEventRow => ({
  eventId: `E-${i}`, accountId: '1000000000000001', eventTime: '2026-11-24T10:00:00Z', eventName: 'CreateUser', serviceName: 'Ram', eventRW: 'Write',
  requestId: `R-${i}`, accessKeyId: 'LTAI5tAAAAAAAAAAAAAAAAAA', userName: 'root', resourceType: 'ACS::RAM::User', resourceName: `u\t${i}\n`, event: JSON.stringify({ i, text: 'tab\tnew\nline "q"' }),
});
const all = { startTime: '2000-01-01T00:00:00Z', endTime: '2100-01-01T00:00:00Z', filters: [], direction: 'FORWARD' as const, limit: 1000 };
const ids = (rows: { eventId: string }[]) => rows.map((r) => r.eventId).sort();
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

function withDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-journal-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('journal lines: a row survives the trip, tabs and newlines in values included', () => {
  const line = encodeLine(row(7));
  assert.equal(line.indexOf('\n'), line.length - 1, 'one line per event');
  assert.deepEqual(decodeLine(line.slice(0, -1)), row(7));
  assert.equal(decodeLine('{"torn'), undefined);
  assert.equal(decodeLine('["a"]\t{}'), undefined);
});

test('journal: an append is searchable at once, and indexed once however often the store reopens', withDir(async (dir) => {
  const store = await openSqliteStore(dir, box);
  await store.audit.append([row(1), row(2)]);
  assert.deepEqual(ids(await store.audit.query(all)), ['E-1', 'E-2'], 'read-your-writes: the query waits for the indexer');
  await store.audit.append([row(3)]);
  assert.equal((await store.audit.byRequestId('R-3'))[0]?.event, row(3).event);
  await store.close();
  const again = await openSqliteStore(dir, box);
  assert.deepEqual(ids(await again.audit.query(all)), ['E-1', 'E-2', 'E-3']);
  await again.close();
}));

test('journal: events appended just before Rampart is killed are indexed by the next reader, once', withDir(async (dir) => {
  const storeModule = fileURLToPath(new URL('../../src/store/index.js', import.meta.url));
  const secretsModule = fileURLToPath(new URL('../../src/secrets/index.js', import.meta.url));
  // The child appends, then dies by SIGKILL in the same turn: no close, no chance to index.
  const child = `
    const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
    const { SecretBox } = await import(${JSON.stringify(secretsModule)});
    const store = await openSqliteStore(${JSON.stringify(dir)}, new SecretBox(Buffer.alloc(32, 4)));
    await store.audit.append(${JSON.stringify(range(0, 40).map(row))});
    await store.audit.append(${JSON.stringify(range(40, 50).map(row))});
    process.kill(process.pid, 'SIGKILL');`;
  assert.throws(() => execFileSync(process.execPath, ['--input-type=module', '-e', child], { stdio: 'pipe' }), (e: { signal?: string }) => e.signal === 'SIGKILL');

  const store = await openSqliteStore(dir, box);
  assert.deepEqual(ids(await store.audit.query(all)), ids(range(0, 50).map(row)));
  await store.audit.append([row(50)]);
  assert.equal((await store.audit.query(all)).length, 51);
  await store.close();
}));

test('journal: a line torn by a crash is skipped, later appends go to a new file, finished files are deleted', withDir(async (dir) => {
  const journal = join(dir, JOURNAL_DIR);
  const first = new JournalAppender(journal);
  first.append([row(1), row(2)]);
  first.close();
  const [seq] = journalFiles(journal);
  appendFileSync(join(journal, readdirSync(journal)[0]!), encodeLine(row(3)).slice(0, 40));

  const store = await openSqliteStore(dir, box);
  await store.audit.append([row(4)]);
  assert.deepEqual(ids(await store.audit.query(all)), ['E-1', 'E-2', 'E-4'], 'the torn event is no event; nothing else is lost');
  assert.deepEqual(journalFiles(journal), [seq! + 1], 'the torn file was indexed and removed; appends went on in a new one');
  await store.close();
}));

test('journal: files rotated by size are indexed in order and removed once indexed', withDir(async (dir) => {
  const journal = join(dir, JOURNAL_DIR);
  const appender = new JournalAppender(journal, 600);
  for (const i of range(0, 30)) appender.append([row(i)]);
  appender.close();
  assert.ok(journalFiles(journal).length > 5, 'small files: the journal rotated');

  const store = await openSqliteStore(dir, box);
  const events = await store.audit.query(all);
  assert.deepEqual(events.map((e) => e.eventId), range(0, 30).map((i) => `E-${i}`), 'indexed in journal order');
  assert.equal(journalFiles(journal).length, 1, 'only the newest file, which may still grow, is kept');
  await store.close();
}));

test('journal: a second process reading while the first appends sees every event once', withDir(async (dir) => {
  const server = await openSqliteStore(dir, box);
  const reader = await openSqliteStore(dir, box);
  try {
    for (const i of range(0, 20)) {
      await server.audit.append([row(i)]);
      if (i % 5 === 4) assert.equal((await reader.audit.query(all)).length, i + 1, 'the reader indexes what the journal holds');
    }
    assert.deepEqual(ids(await server.audit.query(all)), ids(range(0, 20).map(row)));
  } finally {
    await reader.close();
    await server.close();
  }
}));

test('journal: the indexer takes in appends by itself, waking again after it has gone idle', withDir(async (dir) => {
  const store = await openSqliteStore(dir, box);
  const raw = new BetterSqlite3(join(dir, AUDIT_FILE), { readonly: true });
  const indexed = () => (raw.prepare('select count(*) as n from audit_events').get() as { n: number }).n;
  const until = async (n: number) => {
    for (let waited = 0; indexed() < n; waited += 10) {
      assert.ok(waited < 5000, `indexed ${indexed()} of ${n} without being asked`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  try {
    for (const burst of range(0, 3)) {
      for (const i of range(burst * 10, burst * 10 + 10)) await store.audit.append([row(i)]);
      await until(burst * 10 + 10);
      // Long enough for the indexer to find nothing new and go idle before the next burst.
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(indexed(), 30);
  } finally {
    raw.close();
    await store.close();
  }
}));
