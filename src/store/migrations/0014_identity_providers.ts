import type { Kysely } from 'kysely';

// The identity providers an account trusts (IMS): OIDC and SAML, each unique per account by name
// without regard to case (name_key), listed by it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ims_oidc_providers')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('issuer_url', 'text', (c) => c.notNull())
    .addColumn('client_ids', 'text', (c) => c.notNull())
    .addColumn('fingerprints', 'text', (c) => c.notNull())
    .addColumn('issuance_limit_time', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('pinned_jwks', 'text')
    .addPrimaryKeyConstraint('ims_oidc_providers_pk', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('ims_saml_providers')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('encoded_metadata', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ims_saml_providers_pk', ['account_id', 'name_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ims_saml_providers').execute();
  await db.schema.dropTable('ims_oidc_providers').execute();
}
