import type { Kysely } from 'kysely';
import { bytesType } from './dialect.js';

// Small objects' bytes, kept in the database beside their metadata (see store/tiered-blobs.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oss_inline_blobs')
    .addColumn('blob_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('data', bytesType(db), (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oss_inline_blobs').execute();
}
