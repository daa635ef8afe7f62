import { sql, type Kysely, type Selectable } from 'kysely';
import type { EcsRepository, InstanceRecord } from './ecs.js';
import type { Database, EcsInstancesTable } from './schema.js';
import { unique } from './unique.js';

const row = (i: InstanceRecord): EcsInstancesTable => ({
  instance_id: i.instanceId,
  account_id: i.accountId,
  region_id: i.regionId,
  instance_name: i.instanceName,
  host_name: i.hostName,
  instance_type: i.instanceType,
  image_id: i.imageId,
  private_ip: i.privateIp,
  ram_role_name: i.ramRoleName ?? null,
  ram_role_attachment: i.ramRoleAttachment ?? null,
  ram_role_policy: i.ramRolePolicy ?? null,
  http_tokens: i.httpTokens,
  http_endpoint: i.httpEndpoint,
  creation_time: i.creationTime.toISOString(),
});

const record = (r: Selectable<EcsInstancesTable>): InstanceRecord => ({
  instanceId: r.instance_id,
  accountId: r.account_id,
  regionId: r.region_id,
  instanceName: r.instance_name,
  hostName: r.host_name,
  instanceType: r.instance_type,
  imageId: r.image_id,
  privateIp: r.private_ip,
  ramRoleName: r.ram_role_name ?? undefined,
  ramRoleAttachment: r.ram_role_attachment ?? undefined,
  ramRolePolicy: r.ram_role_policy ?? undefined,
  httpTokens: r.http_tokens,
  httpEndpoint: r.http_endpoint,
  creationTime: new Date(r.creation_time),
});

export class KyselyEcsRepository implements EcsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly touch: (accountId: string) => void,
  ) {}

  async create(i: InstanceRecord): Promise<void> {
    await unique(`instance ${i.instanceId} or address ${i.privateIp}`, () => this.db.insertInto('ecs_instances').values(row(i)).execute());
    this.touch(i.accountId);
  }
  async get(instanceId: string): Promise<InstanceRecord | undefined> {
    const r = await this.db.selectFrom('ecs_instances').selectAll().where('instance_id', '=', instanceId).executeTakeFirst();
    return r && record(r);
  }
  async byPrivateIp(ip: string): Promise<InstanceRecord | undefined> {
    const r = await this.db.selectFrom('ecs_instances').selectAll().where('private_ip', '=', ip).executeTakeFirst();
    return r && record(r);
  }
  async list(accountId: string, regionId: string): Promise<InstanceRecord[]> {
    const rows = await this.db.selectFrom('ecs_instances').selectAll().where('account_id', '=', accountId).where('region_id', '=', regionId).orderBy('creation_time').orderBy('instance_id').execute();
    return rows.map(record);
  }
  async withRole(accountId: string, roleName: string): Promise<InstanceRecord[]> {
    const rows = await this.db
      .selectFrom('ecs_instances')
      .selectAll()
      .where('account_id', '=', accountId)
      .where(sql`lower(ram_role_name)`, '=', roleName.toLowerCase())
      .orderBy('instance_id')
      .execute();
    return rows.map(record);
  }
  async update(i: InstanceRecord): Promise<void> {
    const { instance_id, ...fields } = row(i);
    await this.db.updateTable('ecs_instances').set(fields).where('instance_id', '=', instance_id).execute();
    this.touch(i.accountId);
  }
  async delete(instanceId: string): Promise<void> {
    const i = await this.get(instanceId);
    await this.db.deleteFrom('ecs_instances').where('instance_id', '=', instanceId).execute();
    if (i) this.touch(i.accountId);
  }
}
