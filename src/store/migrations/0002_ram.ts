import type { Kysely } from 'kysely';

// RAM entities. Names are unique per account without regard to case (name_key holds the
// lower-cased name); everything else refers to principals by id, so a rename keeps memberships
// and attachments.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ram_users')
    .addColumn('user_id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('user_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('mobile_phone', 'varchar(64)', (c) => c.notNull())
    .addColumn('email', 'varchar(256)', (c) => c.notNull())
    .addColumn('comments', 'varchar(256)', (c) => c.notNull())
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .addColumn('update_date', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('ram_users_name', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('ram_login_profiles')
    .addColumn('user_id', 'varchar(32)', (c) => c.primaryKey().references('ram_users.user_id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_reset_required', 'integer', (c) => c.notNull())
    .addColumn('mfa_bind_required', 'integer', (c) => c.notNull())
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .addColumn('update_date', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('ram_groups')
    .addColumn('group_id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('group_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('comments', 'varchar(256)', (c) => c.notNull())
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .addColumn('update_date', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('ram_groups_name', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('ram_group_members')
    .addColumn('group_id', 'varchar(32)', (c) => c.notNull().references('ram_groups.group_id'))
    .addColumn('user_id', 'varchar(32)', (c) => c.notNull().references('ram_users.user_id'))
    .addColumn('join_date', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('ram_group_members_by_user').on('ram_group_members').column('user_id').execute();
  await db.schema
    .createTable('ram_roles')
    .addColumn('role_id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('role_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'varchar(1024)', (c) => c.notNull())
    .addColumn('assume_role_policy_document', 'text', (c) => c.notNull())
    .addColumn('max_session_duration', 'integer', (c) => c.notNull())
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .addColumn('update_date', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('ram_roles_name', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('ram_policies')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(1024)', (c) => c.notNull())
    .addColumn('default_version', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull())
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .addColumn('update_date', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policies_pk', ['account_id', 'name_key'])
    .execute();
  await db.schema
    .createTable('ram_policy_versions')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('version_id', 'varchar(16)', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policy_versions_pk', ['account_id', 'name_key', 'version_id'])
    .execute();
  await db.schema
    .createTable('ram_attachments')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('policy_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('policy_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('principal_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('principal_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('attach_date', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_attachments_pk', ['account_id', 'policy_type', 'policy_key', 'principal_type', 'principal_id'])
    .execute();
  await db.schema.createIndex('ram_attachments_by_principal').on('ram_attachments').columns(['principal_type', 'principal_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['ram_attachments', 'ram_policy_versions', 'ram_policies', 'ram_roles', 'ram_group_members', 'ram_groups', 'ram_login_profiles', 'ram_users']) {
    await db.schema.dropTable(t).execute();
  }
}
