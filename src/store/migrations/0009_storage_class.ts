import type { Kysely } from 'kysely';

// The storage class an object (or an upload, for the object it will make) was written with.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oss_objects').addColumn('storage_class', 'varchar(32)', (c) => c.notNull().defaultTo('Standard')).execute();
  await db.schema.alterTable('oss_uploads').addColumn('storage_class', 'varchar(32)', (c) => c.notNull().defaultTo('Standard')).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oss_uploads').dropColumn('storage_class').execute();
  await db.schema.alterTable('oss_objects').dropColumn('storage_class').execute();
}
