// The audit file's indexer, on a worker thread: copies what the journal (audit-journal.ts) holds
// into audit.db, where events are searched. Each round reads everything past the position it
// last committed, inserts it and moves the position in the same transaction, so a crash at any
// point neither loses an event nor indexes one twice; a round takes the write lock before reading
// the position, so two indexers (a server and a CLI reading the trail) can never overlap.
// Whatever arrives during one round goes in the next (group commit).
// synchronous=NORMAL: the journal, not this file, is what keeps an event across a crash of
// Rampart; audit.db reaches the disk at its checkpoints.
import BetterSqlite3 from 'better-sqlite3';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { decodeLine, journalFileName, journalFiles, readLines } from './audit-journal.js';

/** Asks for a round; when `id` is given, the answer comes once a round that began after it ends. */
export interface IndexMessage {
  id?: number;
}

export type IndexAnswer = { id: number; error?: string };

const COLUMNS = ['event_id', 'account_id', 'event_time', 'event_name', 'service_name', 'event_rw', 'request_id', 'access_key_id', 'user_name', 'resource_type', 'resource_name', 'event'] as const;

const port = parentPort;
if (port === null) throw new Error('audit-indexer runs as a worker thread');
const { file, journal } = workerData as { file: string; journal: string };

const db = new BetterSqlite3(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
// The event id is unique: an event already there (moved from an older layout) is not an error.
const insert = db.prepare(`insert or ignore into audit_events (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
const readPosition = db.prepare('select file, offset from audit_journal_position where id = 1');
const writePosition = db.prepare('insert into audit_journal_position (id, file, offset) values (1, ?, ?) on conflict (id) do update set file = excluded.file, offset = excluded.offset');

/** Indexes everything the journal holds; returns the files it finished with. */
const index = db.transaction((): number[] => {
  const at = (readPosition.get() as { file: number; offset: number } | undefined) ?? { file: 0, offset: 0 };
  const seqs = journalFiles(journal);
  const finished = seqs.filter((s) => s < at.file);
  let { file: current, offset } = at;
  for (const [i, seq] of seqs.entries()) {
    if (seq < current) continue;
    if (seq > current) [current, offset] = [seq, 0];
    const { lines, end } = readLines(join(journal, journalFileName(seq)), offset);
    for (const line of lines) {
      const r = decodeLine(line);
      // A line that is no event (a torn write, left before a newer file began) holds nothing to keep.
      if (r !== undefined) insert.run(r.eventId, r.accountId, r.eventTime, r.eventName, r.serviceName, r.eventRW, r.requestId, r.accessKeyId, r.userName, r.resourceType, r.resourceName, r.event);
    }
    offset = end;
    // A newer file exists, so nothing more is written to this one.
    if (i < seqs.length - 1) finished.push(seq);
  }
  if (current !== at.file || offset !== at.offset) writePosition.run(current, offset);
  return finished;
});

function removeFinished(seq: number): void {
  try {
    unlinkSync(join(journal, journalFileName(seq)));
  } catch (e) {
    // Another indexer (the CLI's, say) finished with it first.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

let waiting: number[] = [];
let scheduled = false;
let closing = false;

function round(): void {
  scheduled = false;
  const ids = waiting;
  waiting = [];
  let error: string | undefined;
  try {
    for (const seq of index.immediate()) removeFinished(seq);
  } catch (e) {
    // The events stay in the journal; the next round tries again.
    error = e instanceof Error ? e.message : String(e);
  }
  for (const id of ids) port!.postMessage((error === undefined ? { id } : { id, error }) satisfies IndexAnswer);
  if (closing) {
    db.close();
    port!.close();
  }
}

port.on('message', (m: IndexMessage | 'close') => {
  if (m === 'close') closing = true;
  else if (m.id !== undefined) waiting.push(m.id);
  if (!scheduled) {
    scheduled = true;
    setImmediate(round);
  }
});
