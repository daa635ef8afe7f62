// The audit_events table as both backends read it, and the one list of its written columns their
// writers (the SQLite indexer, the PostgreSQL appender) insert.
import type { Kysely } from 'kysely';
import type { AuditEventRow, AuditQuery, AuditRepository } from './audit.js';
import type { Database } from './schema.js';

/** The columns an event is written to, in the order writers list them. */
export const AUDIT_COLUMNS = ['event_id', 'account_id', 'event_time', 'event_name', 'service_name', 'event_rw', 'request_id', 'access_key_id', 'user_name', 'resource_type', 'resource_name', 'event'] as const;

export const toRow = (e: AuditEventRow): Record<(typeof AUDIT_COLUMNS)[number], string> => ({
  event_id: e.eventId,
  account_id: e.accountId,
  event_time: e.eventTime,
  event_name: e.eventName,
  service_name: e.serviceName,
  event_rw: e.eventRW,
  request_id: e.requestId,
  access_key_id: e.accessKeyId,
  user_name: e.userName,
  resource_type: e.resourceType,
  resource_name: e.resourceName,
  event: e.event,
});

type Row = ReturnType<typeof toRow> & { seq: number };
const fromRow = (r: Row): AuditEventRow & { seq: number } => ({
  seq: Number(r.seq),
  eventId: r.event_id,
  accountId: r.account_id,
  eventTime: r.event_time,
  eventName: r.event_name,
  serviceName: r.service_name,
  eventRW: r.event_rw,
  requestId: r.request_id,
  accessKeyId: r.access_key_id,
  userName: r.user_name,
  resourceType: r.resource_type,
  resourceName: r.resource_name,
  event: r.event,
});

const EXPIRE_BATCH = 500;

/** Lookups and expiry; each backend appends its own way (a journal, a batched statement). */
export class KyselyAuditReads implements Omit<AuditRepository, 'append'> {
  constructor(private readonly db: Kysely<Database>) {}

  async query(q: AuditQuery): Promise<(AuditEventRow & { seq: number })[]> {
    let s = this.db.selectFrom('audit_events').selectAll().where('event_time', '>=', q.startTime).where('event_time', '<=', q.endTime);
    if (q.accountId !== undefined) s = s.where('account_id', '=', q.accountId);
    for (const f of q.filters) s = s.where(f.column, '=', f.value);
    if (q.cursor !== undefined) s = s.where('seq', q.direction === 'FORWARD' ? '>' : '<', q.cursor);
    const rows = await s.orderBy('seq', q.direction === 'FORWARD' ? 'asc' : 'desc').limit(q.limit).execute();
    return rows.map((r) => fromRow(r as Row));
  }

  async expire(before: string): Promise<number> {
    // Events are appended in time order, so the oldest are those with the lowest seq: delete in
    // batches from there (by the primary key, no scan of the table) until a batch finds a newer one.
    let total = 0;
    for (;;) {
      const oldest = this.db.selectFrom('audit_events').select('seq').orderBy('seq').limit(EXPIRE_BATCH);
      const result = await this.db.deleteFrom('audit_events').where('seq', 'in', oldest).where('event_time', '<', before).executeTakeFirst();
      const n = Number(result.numDeletedRows);
      total += n;
      if (n < EXPIRE_BATCH) return total;
    }
  }

  async byRequestId(requestId: string): Promise<AuditEventRow[]> {
    const rows = await this.db.selectFrom('audit_events').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
    return rows.map((r) => fromRow(r as Row));
  }
}
