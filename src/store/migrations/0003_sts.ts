import type { Kysely } from 'kysely';

// STS: the keyring that seals SecurityTokens (keys sealed with the master key), and a role's
// "revoke sessions issued before" time. Nothing is stored per token.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('token_keys')
    .addColumn('key_id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('key_sealed', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('ram_roles').addColumn('revoke_sessions_before', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ram_roles').dropColumn('revoke_sessions_before').execute();
  await db.schema.dropTable('token_keys').execute();
}
