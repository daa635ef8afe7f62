import type { Kysely } from 'kysely';

// Virtual MFA devices: the seed sealed with the master key (bound to the device's serial number),
// and the user a device is bound to, at most one device per user and one user per device.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ram_mfa_devices')
    .addColumn('serial_number', 'varchar(256)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('sealed_seed', 'text', (c) => c.notNull())
    .addColumn('user_id', 'varchar(32)', (c) => c.unique())
    .addColumn('activate_date', 'varchar(32)')
    .addColumn('create_date', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ram_mfa_devices_by_account').on('ram_mfa_devices').columns(['account_id', 'serial_number']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ram_mfa_devices').execute();
}
