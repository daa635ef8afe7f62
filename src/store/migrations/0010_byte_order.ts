import { sql, type Kysely } from 'kysely';
import { onPostgres } from './dialect.js';

// Text compares and sorts byte by byte, as OSS lists keys and as SQLite does: a PostgreSQL
// database's own collation (en_US.UTF-8, say) would sort "a_b" before "aB" and differ between
// servers. Every text column of ours gets the "C" collation; SQLite has nothing to change.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!onPostgres(db)) return;
  const columns = await sql<{ table_name: string; column_name: string; data_type: string; length: number | null }>`
    select table_name, column_name, data_type, character_maximum_length as length
    from information_schema.columns
    where table_schema = current_schema() and data_type in ('character varying', 'text') and table_name not like 'kysely%'`.execute(db);
  for (const c of columns.rows) {
    const type = c.data_type === 'text' ? sql`text` : sql`varchar(${sql.lit(c.length ?? 255)})`;
    await sql`alter table ${sql.id(c.table_name)} alter column ${sql.id(c.column_name)} type ${type} collate "C"`.execute(db);
  }
}

export async function down(): Promise<void> {}
