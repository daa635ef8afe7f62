// The audit trail in a SQLite file of its own (audit.db beside rampart.db). Events are the only
// thing most requests write; kept apart, their commits neither wait for nor hold the lock the
// identity data needs, and they do not look like another process's writes to the caches that
// watch rampart.db. Reads run here; appends go to the writer thread.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AuditEventRow, AuditRepository } from '../audit.js';
import { KyselyAuditRepository } from '../kysely-audit.js';
import * as events from '../migrations/0006_audit.js';
import type { Database } from '../schema.js';
import type { AppendAnswer, AppendMessage } from './audit-writer.js';

export const AUDIT_FILE = 'audit.db';

const MIGRATIONS: Record<string, Migration> = { '0001_audit_events': events };

export interface AuditFile {
  repository: AuditRepository;
  close(): Promise<void>;
}

/** Moves events from the main file, where data directories before audit.db kept them. */
function moveLegacyEvents(main: BetterSqlite3.Database, auditPath: string): void {
  const legacy = main.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_events'`).get();
  if (legacy === undefined) return;
  main.prepare('attach database ? as audit_file').run(auditPath);
  try {
    main.transaction(() => {
      main.exec('insert into audit_file.audit_events select * from main.audit_events order by seq');
      main.exec('drop table main.audit_events');
    })();
  } finally {
    main.exec('detach database audit_file');
  }
}

export async function openAuditFile(dataDir: string, main: BetterSqlite3.Database): Promise<AuditFile> {
  const path = join(dataDir, AUDIT_FILE);
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error } = await new Migrator({ db: db as unknown as Kysely<unknown>, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
  if (error !== undefined) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  moveLegacyEvents(main, path);

  const reads = new KyselyAuditRepository(db);
  // Started on the first append, so read-only users (the CLI's audit commands) never start it.
  let writer: Worker | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    writer = undefined;
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./audit-writer.js', import.meta.url), { workerData: { file: path } });
    w.on('message', (a: AppendAnswer) => {
      const p = pending.get(a.id);
      pending.delete(a.id);
      if (a.error === undefined) p?.resolve();
      else p?.reject(new Error(`audit write failed: ${a.error}`));
      // An idle writer must not keep the process alive; one with appends in flight must.
      if (pending.size === 0) w.unref();
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', () => failAll(new Error('the audit writer stopped')));
    return w;
  };

  const repository: AuditRepository = {
    append: (rows: AuditEventRow[]) =>
      rows.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const id = nextId++;
            pending.set(id, { resolve, reject });
            writer ??= start();
            writer.ref();
            writer.postMessage({ id, rows } satisfies AppendMessage);
          }),
    query: (q) => reads.query(q),
    byRequestId: (requestId) => reads.byRequestId(requestId),
  };

  return {
    repository,
    close: async () => {
      const w = writer;
      if (w !== undefined) {
        w.ref();
        w.postMessage('close');
        await new Promise<void>((resolve) => w.once('exit', () => resolve()));
      }
      await db.destroy();
    },
  };
}
