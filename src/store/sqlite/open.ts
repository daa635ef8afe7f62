// The embedded backend: one SQLite file in the data directory, WAL mode so the CLI can write
// (e.g. `rampart account create`) while a server is running.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { join } from 'node:path';
import type { SecretBox } from '../../secrets/index.js';
import { kyselyRepositories } from '../kysely-repositories.js';
import { migrateToLatest } from '../migrations/index.js';
import type { Database } from '../schema.js';
import type { Store } from '../repositories.js';
import { LocalChangeFeed } from '../change-feed.js';
import { openAuditFile, type AuditFile } from './audit-file.js';
import { WalIndexWatch } from './wal-index-watch.js';
import { WalSync } from './wal-sync.js';

export const SQLITE_FILE = 'rampart.db';

const MAX_CACHED_STATEMENTS = 500;
const MMAP_BYTES = 1024 * 1024 * 1024;

/**
 * The database as kysely sees it, with prepared statements reused: kysely prepares every query it
 * runs, and preparing costs more than running most of ours. Safe because kysely runs one query at
 * a time on its one connection and never leaves an iterator open between queries it buffers.
 */
function withStatementCache(sqlite: BetterSqlite3.Database, onWrite: () => void): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (statement === undefined) {
        if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
        statement = sqlite.prepare(sql);
        statements.set(sql, statement);
      }
      // kysely runs what it prepares at once: a statement that is no query is a write to come.
      if (!statement.reader) onWrite();
      return statement;
    },
    close: () => sqlite.close(),
  };
}

export async function openSqliteStore(dataDir: string, box: SecretBox): Promise<Store> {
  const sqlite = new BetterSqlite3(join(dataDir, SQLITE_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI) may hold the write lock briefly: wait rather than fail.
  sqlite.pragma('busy_timeout = 5000');
  // Said explicitly (the default differs between the connection that turned WAL on and later
  // ones). NORMAL: a commit does not wait for the disk, which would stall every request on the
  // event loop; writes that are acknowledged wait for flushed() instead, off the loop.
  sqlite.pragma('synchronous = NORMAL');
  // A big directory (100k users and policies) does not fit SQLite's default 2 MB page cache: a
  // principal's first decision would read its pages with a system call each. Mapped, they are read
  // straight from the operating system's cache (the file grows into the window as it grows). The
  // price: a disk that fails a mapped read stops the process instead of failing one query.
  sqlite.pragma(`mmap_size = ${MMAP_BYTES}`);
  const wal = new WalSync(join(dataDir, `${SQLITE_FILE}-wal`));
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, () => wal.noteWrite()) }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  // data_version moves when another connection (another process) commits to the file; it is asked
  // only when the WAL index says someone (perhaps this process) has committed since the last look.
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const watch = new WalIndexWatch(join(dataDir, `${SQLITE_FILE}-shm`));
  // The header first, then the version: a commit between the two is in the version it reads.
  watch.changed();
  let version = dataVersion.get() as number;
  let writesSeen = wal.writes;
  const feed = new LocalChangeFeed(() => {
    // After a write of our own the header has moved anyway: ask at once (the watch, left behind,
    // says "changed" once more next time, which costs one question and misses nothing).
    if (wal.writes !== writesSeen) writesSeen = wal.writes;
    else if (!watch.changed()) return version;
    return (version = dataVersion.get() as number);
  });
  let audit: AuditFile;
  try {
    audit = await openAuditFile(dataDir, sqlite);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return {
    ...kyselyRepositories(db, box, (accountId) => feed.emit(accountId), audit.repository),
    // Changes made inside a transaction are announced only once it has committed.
    transaction: async (fn) => {
      const touched = new Set<string | undefined>();
      const result = await db.transaction().execute((trx) => fn(kyselyRepositories(trx, box, (a) => touched.add(a), audit.repository)));
      for (const accountId of touched) feed.emit(accountId);
      return result;
    },
    changes: feed,
    flushed: () => wal.flushed(),
    close: async () => {
      await wal.close();
      await audit.close();
      watch.close();
      await db.destroy();
    },
  };
}
