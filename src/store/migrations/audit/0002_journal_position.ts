import { sql, type Kysely } from 'kysely';

// How far the indexer has read the audit journal: one row, moved in the transaction that indexes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_journal_position')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('file', 'integer', (c) => c.notNull())
    .addColumn('offset', 'integer', (c) => c.notNull())
    .execute();
}
