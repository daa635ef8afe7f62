import type { Kysely } from 'kysely';

// Signature nonces shared by every node of a PostgreSQL store (store/postgres/nonces.ts): a
// fingerprint of AccessKeyId and nonce, never the nonce itself, until its window has passed.
// The embedded backend keeps its nonces in files of its own and leaves this table empty.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('signature_nonces')
    .addColumn('fingerprint', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('expires_ms', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signature_nonces_by_expiry').on('signature_nonces').column('expires_ms').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('signature_nonces').execute();
}
