// The audit trail in a SQLite file of its own (audit.db beside rampart.db). Events are the only
// thing most requests write; kept apart, their commits neither wait for nor hold the lock the
// identity data needs, and they do not look like another process's writes to the caches that
// watch rampart.db. An append goes to the journal (audit-journal.ts) on the calling thread and is
// then indexed into audit.db by a worker thread; reads run here, once the indexer has caught up
// with everything journaled before them.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { APPENDED, BUSY, IDLE, JOURNAL_DIR, JournalAppender, STATE, journalFiles } from './audit-journal.js';
import type { AuditEventRow, AuditRepository } from '../audit.js';
import { KyselyAuditReads } from '../kysely-audit.js';
import { migrateAuditToLatest } from '../migrations/audit/index.js';
import { TurnBatch } from '../turn-batch.js';
import type { Database } from '../schema.js';
import type { IndexAnswer, IndexMessage } from './audit-indexer.js';

export const AUDIT_FILE = 'audit.db';

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
  const journalDir = join(dataDir, JOURNAL_DIR);
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateAuditToLatest(db as unknown as Kysely<unknown>);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  moveLegacyEvents(main, path);

  const reads = new KyselyAuditReads(db);
  // Opened on the first append, so read-only users (the CLI's audit commands) never write it.
  let journal: JournalAppender | undefined;
  // Started when there is something to index, so an idle reader never starts it.
  let indexer: Worker | undefined;
  const shared = new Int32Array(new SharedArrayBuffer(8));
  let nextId = 0;
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    indexer = undefined;
    // A stopped indexer has no round to come: the next append must start and wake a new one.
    Atomics.store(shared, STATE, IDLE);
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./audit-indexer.js', import.meta.url), { workerData: { file: path, journal: journalDir, shared: shared.buffer } });
    w.on('message', (a: IndexAnswer) => {
      const p = pending.get(a.id);
      pending.delete(a.id);
      if (a.error === undefined) p?.resolve();
      else p?.reject(new Error(`audit indexing failed: ${a.error}`));
      // An idle indexer must not keep the process alive (the journal keeps the events); one that
      // a reader is waiting for must.
      if (pending.size === 0) w.unref();
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', () => failAll(new Error('the audit indexer stopped')));
    w.unref();
    return w;
  };
  const post = (m: IndexMessage | 'close') => (indexer ??= start()).postMessage(m);
  /** Resolves once everything journaled before the call, by any process, is searchable. */
  const caughtUp = (): Promise<void> => {
    if (journal === undefined && journalFiles(journalDir).length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ id });
      indexer!.ref();
    });
  };

  // The events of every request handled in one turn of the event loop go to the journal in one
  // write; each append resolves once its rows are in the operating system's hands.
  const turn = new TurnBatch<AuditEventRow>((rows) => {
    (journal ??= new JournalAppender(journalDir)).append(rows);
    Atomics.add(shared, APPENDED, 1);
    if (Atomics.compareExchange(shared, STATE, IDLE, BUSY) === IDLE) post({});
  });

  const repository: AuditRepository = {
    append: (rows: AuditEventRow[]) => turn.add(rows),
    query: async (q) => {
      await caughtUp();
      return reads.query(q);
    },
    byRequestId: async (requestId) => {
      await caughtUp();
      return reads.byRequestId(requestId);
    },
    expire: (before) => reads.expire(before),
  };

  return {
    repository,
    close: async () => {
      // What this turn recorded is written before the journal closes.
      await turn.flush();
      journal?.close();
      journal = undefined;
      const w = indexer;
      if (w !== undefined) {
        // The indexer's last round takes in whatever the journal still holds.
        w.ref();
        w.postMessage('close');
        await new Promise<void>((resolve) => w.once('exit', () => resolve()));
      }
      await db.destroy();
    },
  };
}
