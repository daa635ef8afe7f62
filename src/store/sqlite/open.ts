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

export const SQLITE_FILE = 'rampart.db';

export async function openSqliteStore(dataDir: string, box: SecretBox): Promise<Store> {
  const sqlite = new BetterSqlite3(join(dataDir, SQLITE_FILE));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  // Another process (the CLI) may hold the write lock briefly: wait rather than fail.
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db as unknown as Kysely<unknown>);
  return {
    ...kyselyRepositories(db, box),
    transaction: (fn) => db.transaction().execute((trx) => fn(kyselyRepositories(trx, box))),
    close: () => db.destroy(),
  };
}
