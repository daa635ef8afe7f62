import type { Kysely } from 'kysely';

// What the nodes of a PostgreSQL store share at request speed when no Redis is given
// (store/postgres/shared-state.ts): signature nonces, as a fingerprint of AccessKeyId and nonce
// (never the nonce itself) until their window has passed, and call-rate token buckets. The
// embedded backend keeps nonces in files of its own and rates in memory, and leaves these empty.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signature_nonces')
    .addColumn('fingerprint', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('expires_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signature_nonces_by_expiry').on('signature_nonces').column('expires_ms').execute();
  await db.schema
    .createTable('rate_buckets')
    .addColumn('bucket', 'varchar(160)', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rate_buckets').execute();
  await db.schema.dropTable('signature_nonces').execute();
}
