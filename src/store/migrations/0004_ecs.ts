import type { Kysely } from 'kysely';

// ECS instances, as far as instance roles need them. The metadata service knows an instance by
// its private address, so addresses are unique across accounts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ecs_instances')
    .addColumn('instance_id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.account_id'))
    .addColumn('region_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('instance_name', 'varchar(128)', (c) => c.notNull())
    .addColumn('host_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('instance_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('image_id', 'varchar(128)', (c) => c.notNull())
    .addColumn('private_ip', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('ram_role_name', 'varchar(64)')
    .addColumn('http_tokens', 'varchar(16)', (c) => c.notNull())
    .addColumn('http_endpoint', 'varchar(16)', (c) => c.notNull())
    .addColumn('creation_time', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ecs_instances_by_account').on('ecs_instances').columns(['account_id', 'instance_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ecs_instances').execute();
}
