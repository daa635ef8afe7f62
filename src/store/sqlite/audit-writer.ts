// The audit file's writer, on a worker thread. The embedded store writes synchronously, and an
// audit commit syncs the file to disk; on the request thread every such wait would stall every
// request. Here it stalls nobody, and whatever arrives during one commit goes in the next
// (group commit). Each message is acknowledged once its rows are committed.
// synchronous=NORMAL: a commit is in the operating system's hands before it is acknowledged, so a
// crash of Rampart loses no event, while the disk flush happens at checkpoints rather than on
// every request's path (a power cut can lose the last moments of the trail, not the identity
// data, whose writes wait for the disk; see wal-sync.ts).
import BetterSqlite3 from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditEventRow } from '../audit.js';

export interface AppendMessage {
  id: number;
  rows: AuditEventRow[];
}

export type AppendAnswer = { id: number; error?: string };

const COLUMNS = ['event_id', 'account_id', 'event_time', 'event_name', 'service_name', 'event_rw', 'request_id', 'access_key_id', 'user_name', 'resource_type', 'resource_name', 'event'] as const;

const port = parentPort;
if (port === null) throw new Error('audit-writer runs as a worker thread');

const db = new BetterSqlite3((workerData as { file: string }).file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(`insert into audit_events (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
const values = (r: AuditEventRow) => [r.eventId, r.accountId, r.eventTime, r.eventName, r.serviceName, r.eventRW, r.requestId, r.accessKeyId, r.userName, r.resourceType, r.resourceName, r.event];
const commit = db.transaction((messages: AppendMessage[]) => {
  for (const m of messages) for (const row of m.rows) insert.run(values(row));
});

let queue: AppendMessage[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  try {
    commit(batch);
    for (const m of batch) port!.postMessage({ id: m.id } satisfies AppendAnswer);
  } catch (e) {
    for (const m of batch) port!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies AppendAnswer);
  }
}

port.on('message', (m: AppendMessage | 'close') => {
  if (m === 'close') {
    if (queue.length > 0) flush();
    db.close();
    port.close();
    return;
  }
  queue.push(m);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
