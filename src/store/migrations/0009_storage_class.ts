import type { Kysely } from 'kysely';

// What an object was written with besides its bytes and user metadata: its storage class, the
// standard headers it is served with (Cache-Control, Content-Disposition, Content-Encoding,
// Content-Language, Expires), and for an archived object the restored copy's window. An upload
// keeps the class and headers for the object it will make.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of ['oss_objects', 'oss_uploads']) {
    await db.schema.alterTable(table).addColumn('storage_class', 'varchar(32)', (c) => c.notNull().defaultTo('Standard')).execute();
    await db.schema.alterTable(table).addColumn('http_headers', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  }
  await db.schema.alterTable('oss_objects').addColumn('restore_ready', 'varchar(32)').execute();
  await db.schema.alterTable('oss_objects').addColumn('restore_expiry', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oss_objects').dropColumn('restore_expiry').execute();
  await db.schema.alterTable('oss_objects').dropColumn('restore_ready').execute();
  for (const table of ['oss_uploads', 'oss_objects']) {
    await db.schema.alterTable(table).dropColumn('http_headers').execute();
    await db.schema.alterTable(table).dropColumn('storage_class').execute();
  }
}
