import type { Kysely } from 'kysely';

// Object storage: buckets, object metadata (the bytes live in the blob store), multipart uploads
// and their parts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('oss_buckets')
    .addColumn('bucket', 'varchar(63)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('region', 'varchar(64)', (c) => c.notNull())
    .addColumn('storage_class', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oss_objects')
    .addColumn('bucket', 'varchar(63)', (c) => c.notNull().references('oss_buckets.bucket'))
    .addColumn('object_key', 'varchar(1024)', (c) => c.notNull())
    .addColumn('blob_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'varchar(64)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(256)', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('object_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('last_modified', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('oss_objects_pk', ['bucket', 'object_key'])
    .execute();
  await db.schema
    .createTable('oss_uploads')
    .addColumn('upload_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('bucket', 'varchar(63)', (c) => c.notNull().references('oss_buckets.bucket'))
    .addColumn('object_key', 'varchar(1024)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(256)', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('initiated', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('oss_parts')
    .addColumn('upload_id', 'varchar(64)', (c) => c.notNull().references('oss_uploads.upload_id'))
    .addColumn('part_number', 'integer', (c) => c.notNull())
    .addColumn('blob_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('etag', 'varchar(64)', (c) => c.notNull())
    .addColumn('last_modified', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('oss_parts_pk', ['upload_id', 'part_number'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['oss_parts', 'oss_uploads', 'oss_objects', 'oss_buckets']) await db.schema.dropTable(t).execute();
}
