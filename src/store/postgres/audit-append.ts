// Audit events reach PostgreSQL in one statement of fixed text, prepared once per connection: the
// rows travel as one JSON parameter and the server unpacks them (json_to_recordset). Building and
// sending a statement with a dozen parameters per event cost more than the events themselves.
import type pg from 'pg';
import type { AuditEventRow } from '../audit.js';
import { toRow } from '../kysely-audit.js';

const COLUMNS = ['event_id', 'account_id', 'event_time', 'event_name', 'service_name', 'event_rw', 'request_id', 'access_key_id', 'user_name', 'resource_type', 'resource_name', 'event'] as const;

const APPEND = {
  name: 'rampart-audit-append',
  text: `insert into audit_events (${COLUMNS.join(', ')}) select ${COLUMNS.join(', ')} from json_to_recordset($1::json) as r(${COLUMNS.map((c) => `${c} text`).join(', ')})`,
};

export async function appendAuditEvents(pool: pg.Pool, rows: readonly AuditEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query({ ...APPEND, values: [JSON.stringify(rows.map(toRow))] });
}
