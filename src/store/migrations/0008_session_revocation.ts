import type { Kysely } from 'kysely';

// What revocation needs to stay exact. A role keeps the trust policies it replaced, each with the
// time it stopped applying, for as long as a session issued under it could still be alive: a
// session is honoured only if every trust policy in force since its issue admits it, so a trust
// policy that ended a session cannot be undone by changing it back. An instance's role attachment
// gets an id of its own (and the session policy it was attached with): sessions of an earlier
// attachment of the same role end with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ram_roles').addColumn('trust_history', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('ecs_instances').addColumn('ram_role_attachment', 'varchar(32)').execute();
  await db.schema.alterTable('ecs_instances').addColumn('ram_role_policy', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ecs_instances').dropColumn('ram_role_policy').execute();
  await db.schema.alterTable('ecs_instances').dropColumn('ram_role_attachment').execute();
  await db.schema.alterTable('ram_roles').dropColumn('trust_history').execute();
}
