// The migrations of audit.db, the audit trail's own file, applied in name order. Its events table
// is the one the main file once held (0006_audit), so data directories from before audit.db move
// theirs over unchanged. Never edit a released one: add the next number.
import { Migrator, type Kysely, type Migration } from 'kysely';
import * as events from '../0006_audit.js';
import * as position from './0002_journal_position.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_audit_events': events,
  '0002_journal_position': position,
};

export async function migrateAuditToLatest(db: Kysely<unknown>): Promise<void> {
  const { error } = await new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } }).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}
