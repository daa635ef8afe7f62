import type { Kysely } from 'kysely';

// What OSS lets a bucket's owner say about access and upkeep: the bucket's ACL and an object's
// (default: the bucket's), an object's tags, and the bucket's documents (bucket policy, CORS rules,
// lifecycle rules), each kept as the owner wrote it. An upload keeps the ACL and tags its object
// will have.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('oss_buckets').addColumn('acl', 'varchar(32)', (c) => c.notNull().defaultTo('private')).execute();
  for (const table of ['oss_objects', 'oss_uploads']) {
    await db.schema.alterTable(table).addColumn('acl', 'varchar(32)', (c) => c.notNull().defaultTo('default')).execute();
    await db.schema.alterTable(table).addColumn('tags', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  }
  await db.schema
    .createTable('oss_bucket_configs')
    .addColumn('bucket', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('oss_bucket_configs_pk', ['bucket', 'kind'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oss_bucket_configs').execute();
  for (const table of ['oss_uploads', 'oss_objects']) {
    await db.schema.alterTable(table).dropColumn('tags').execute();
    await db.schema.alterTable(table).dropColumn('acl').execute();
  }
  await db.schema.alterTable('oss_buckets').dropColumn('acl').execute();
}
