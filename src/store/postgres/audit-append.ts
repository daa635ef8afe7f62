// Audit events reach PostgreSQL in one statement of fixed text, prepared once per connection: the
// rows travel as one JSON parameter and the server unpacks them (json_to_recordset). Building and
// sending a statement with a dozen parameters per event cost more than the events themselves.
import type pg from 'pg';
import type { AuditEventRow } from '../audit.js';
import { AUDIT_COLUMNS, toRow } from '../kysely-audit.js';

const APPEND = {
  name: 'rampart-audit-append',
  text: `insert into audit_events (${AUDIT_COLUMNS.join(', ')}) select ${AUDIT_COLUMNS.join(', ')} from json_to_recordset($1::json) as r(${AUDIT_COLUMNS.map((c) => `${c} text`).join(', ')})`,
};

export async function appendAuditEvents(pool: pg.Pool, rows: readonly AuditEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query({ ...APPEND, values: [JSON.stringify(rows.map(toRow))] });
}
