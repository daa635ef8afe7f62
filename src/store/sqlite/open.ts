// The embedded backend: one SQLite file in the data directory, WAL mode so the CLI can write
// (e.g. `rampart account create`) while a server is running.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import type { SecretBox } from '../../secrets/index.js';
import { kyselyRepositories } from '../kysely-repositories.js';
import { migrateToLatest } from '../migrations/index.js';
import type { Database } from '../schema.js';
import type { Store } from '../repositories.js';
import { LocalChangeFeed } from '../change-feed.js';

export const SQLITE_FILE = 'rampart.db';

export async function openSqliteStore(dataDir: string, box: SecretBox): Promise<Store> {
  const sqlite = new BetterSqlite3(join(dataDir, SQLITE_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI) may hold the write lock briefly: wait rather than fail.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  const feed = new LocalChangeFeed();
  return {
    ...kyselyRepositories(db, box, (accountId) => feed.emit(accountId)),
    // Changes made inside a transaction are announced only once it has committed.
    transaction: async (fn) => {
      const touched = new Set<string>();
      const result = await db.transaction().execute((trx) => fn(kyselyRepositories(trx, box, (a) => touched.add(a))));
      for (const accountId of touched) feed.emit(accountId);
      return result;
    },
    changes: feed,
    close: () => db.destroy(),
  };
}
