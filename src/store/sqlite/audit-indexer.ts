// The audit file's indexer, on a worker thread: copies what the journal (audit-journal.ts) holds
// into audit.db, where events are searched. Each round reads everything past the position it
// last committed, inserts it and moves the position in the same transaction, so a crash at any
// point neither loses an event nor indexes one twice; a round takes the write lock before reading
// the position, so two indexers (a server and a CLI reading the trail) can never overlap.
// Whatever arrives during one round goes in the next (group commit).
// Waking costs the request thread a message, so it wakes the indexer only when it is idle; while
// events keep coming the indexer goes on by itself, a round every GATHER_MS, each one
// committing many events at once (a commit per event cost more than the event itself).
// synchronous=NORMAL: the journal, not this file, is what keeps an event across a crash of
// Rampart; audit.db reaches the disk at its checkpoints.
import BetterSqlite3 from 'better-sqlite3';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { APPENDED, BUSY, IDLE, STATE, decodeLine, journalFileName, journalFiles, readLines } from './audit-journal.js';
import { AUDIT_COLUMNS, toRow } from '../kysely-audit.js';

/** Asks for a round; when `id` is given, the answer comes once a round that began after it ends. */
export interface IndexMessage {
  id?: number;
}

/**
 * How long appends gather before the next round while they keep coming. A round's commit rewrites
 * the index pages it touched, so bigger rounds write less per event: at 5 ms (about one round per
 * 25 events under load) the indexer took ~28 µs of CPU an event, at 100 ms ~20 µs. A search does
 * not wait for the next round: it asks for one at once (caughtUp in audit-file.ts).
 */
const GATHER_MS = 100;

export type IndexAnswer = { id: number; error?: string };


const port = parentPort;
if (port === null) throw new Error('audit-indexer runs as a worker thread');
const { file, journal, shared: sharedBuffer } = workerData as { file: string; journal: string; shared: SharedArrayBuffer };
const shared = new Int32Array(sharedBuffer);

const db = new BetterSqlite3(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
// The event id is unique: an event already there (moved from an older layout) is not an error.
const insert = db.prepare(`insert or ignore into audit_events (${AUDIT_COLUMNS.join(', ')}) values (${AUDIT_COLUMNS.map((c) => `@${c}`).join(', ')})`);
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
      if (r !== undefined) insert.run(toRow(r));
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
let timer: NodeJS.Timeout | undefined;
let immediate: NodeJS.Immediate | undefined;
let closing = false;
/** APPENDED as the last round began. */
let lastSeen = 0;

function schedule(now: boolean): void {
  if (now) {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    immediate ??= setImmediate(round);
  } else if (immediate === undefined) {
    timer ??= setTimeout(round, GATHER_MS);
  }
}

function round(): void {
  timer = immediate = undefined;
  const ids = waiting;
  waiting = [];
  const seen = Atomics.load(shared, APPENDED);
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
    return;
  }
  // Events came since the round before: more are likely, so look again soon without being woken.
  // Only a round that found nothing new lets the indexer sleep; then it looks once more, since an
  // append that saw it busy did not wake it.
  const found = seen !== lastSeen;
  lastSeen = seen;
  if (found) return schedule(false);
  Atomics.store(shared, STATE, IDLE);
  if (Atomics.load(shared, APPENDED) !== seen && Atomics.compareExchange(shared, STATE, IDLE, BUSY) === IDLE) schedule(false);
}

port.on('message', (m: IndexMessage | 'close') => {
  if (m === 'close') closing = true;
  else if (m.id !== undefined) waiting.push(m.id);
  schedule(m === 'close' || m.id !== undefined);
});
