import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

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
  // Instances that already hold a role get an attachment of their own (their earlier sessions,
  // which name none, end; the metadata service hands out new ones).
  const held = await sql<{ instance_id: string }>`select instance_id from ecs_instances where ram_role_name is not null`.execute(db);
  for (const { instance_id } of held.rows) {
    await sql`update ecs_instances set ram_role_attachment = ${randomBytes(12).toString('base64url')} where instance_id = ${instance_id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ecs_instances').dropColumn('ram_role_policy').execute();
  await db.schema.alterTable('ecs_instances').dropColumn('ram_role_attachment').execute();
  await db.schema.alterTable('ram_roles').dropColumn('trust_history').execute();
}
