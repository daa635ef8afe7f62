import type { Kysely } from 'kysely';
import { onPostgres } from './dialect.js';

// The audit trail: one row per ActionTrail event, with the columns LookupEvents filters on.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_events')
    // A sequence of its own on PostgreSQL; SQLite's integer primary key is one already.
    .$call((t) => (onPostgres(db) ? t.addColumn('seq', 'bigserial', (c) => c.primaryKey()) : t.addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())))
    .addColumn('event_id', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('event_time', 'varchar(32)', (c) => c.notNull())
    .addColumn('event_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('service_name', 'varchar(32)', (c) => c.notNull())
    .addColumn('event_rw', 'varchar(8)', (c) => c.notNull())
    .addColumn('request_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('access_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_name', 'varchar(256)', (c) => c.notNull())
    .addColumn('resource_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('resource_name', 'varchar(1024)', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_by_time').on('audit_events').columns(['account_id', 'event_time', 'seq']).execute();
  await db.schema.createIndex('audit_events_by_request').on('audit_events').column('request_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_events').execute();
}
