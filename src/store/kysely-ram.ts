// The RAM repository over the typed query layer (Kysely), written once for any SQL dialect. Every write
// reports the account it touched, so caches of compiled policies can be invalidated.
import type { Kysely, Selectable } from 'kysely';
import type {
  AttachmentRecord,
  GroupRecord,
  ListPage,
  LoginProfileRecord,
  MfaDeviceRecord,
  PolicyRecord,
  PolicyVersionRecord,
  RamRepository,
  RoleRecord,
  UserRecord,
} from './ram.js';
import { unique } from './unique.js';
import type { Database, RamGroupsTable, RamMfaDevicesTable, RamPoliciesTable, RamRolesTable, RamUsersTable } from './schema.js';

const iso = (d: Date) => d.toISOString();
const key = (name: string) => name.toLowerCase();

const userRow = (u: UserRecord): RamUsersTable => ({
  user_id: u.userId,
  account_id: u.accountId,
  user_name: u.userName,
  name_key: key(u.userName),
  display_name: u.displayName,
  mobile_phone: u.mobilePhone,
  email: u.email,
  comments: u.comments,
  create_date: iso(u.createDate),
  update_date: iso(u.updateDate),
});
const user = (r: Selectable<RamUsersTable>): UserRecord => ({
  userId: r.user_id,
  accountId: r.account_id,
  userName: r.user_name,
  displayName: r.display_name,
  mobilePhone: r.mobile_phone,
  email: r.email,
  comments: r.comments,
  createDate: new Date(r.create_date),
  updateDate: new Date(r.update_date),
});
const groupRow = (g: GroupRecord): RamGroupsTable => ({
  group_id: g.groupId,
  account_id: g.accountId,
  group_name: g.groupName,
  name_key: key(g.groupName),
  comments: g.comments,
  create_date: iso(g.createDate),
  update_date: iso(g.updateDate),
});
const group = (r: Selectable<RamGroupsTable>): GroupRecord => ({
  groupId: r.group_id,
  accountId: r.account_id,
  groupName: r.group_name,
  comments: r.comments,
  createDate: new Date(r.create_date),
  updateDate: new Date(r.update_date),
});
const roleRow = (r: RoleRecord): RamRolesTable => ({
  role_id: r.roleId,
  account_id: r.accountId,
  role_name: r.roleName,
  name_key: key(r.roleName),
  description: r.description,
  assume_role_policy_document: r.assumeRolePolicyDocument,
  max_session_duration: r.maxSessionDuration,
  create_date: iso(r.createDate),
  update_date: iso(r.updateDate),
  revoke_sessions_before: r.revokeSessionsBefore ? iso(r.revokeSessionsBefore) : null,
  trust_history: JSON.stringify(r.trustHistory.map((h) => ({ document: h.document, replacedAt: iso(h.replacedAt) }))),
});
const role = (r: Selectable<RamRolesTable>): RoleRecord => ({
  roleId: r.role_id,
  accountId: r.account_id,
  roleName: r.role_name,
  description: r.description,
  assumeRolePolicyDocument: r.assume_role_policy_document,
  maxSessionDuration: Number(r.max_session_duration),
  createDate: new Date(r.create_date),
  updateDate: new Date(r.update_date),
  ...(r.revoke_sessions_before ? { revokeSessionsBefore: new Date(r.revoke_sessions_before) } : {}),
  trustHistory: (JSON.parse(r.trust_history) as { document: string; replacedAt: string }[]).map((h) => ({ document: h.document, replacedAt: new Date(h.replacedAt) })),
});
const policyRow = (p: PolicyRecord): RamPoliciesTable => ({
  account_id: p.accountId,
  policy_name: p.policyName,
  name_key: key(p.policyName),
  description: p.description,
  default_version: p.defaultVersion,
  next_version: p.nextVersion,
  create_date: iso(p.createDate),
  update_date: iso(p.updateDate),
});
const policy = (r: Selectable<RamPoliciesTable>): PolicyRecord => ({
  accountId: r.account_id,
  policyName: r.policy_name,
  description: r.description,
  defaultVersion: r.default_version,
  nextVersion: Number(r.next_version),
  createDate: new Date(r.create_date),
  updateDate: new Date(r.update_date),
});

function mfaDevice(r: Selectable<RamMfaDevicesTable>): MfaDeviceRecord {
  return {
    serialNumber: r.serial_number,
    accountId: r.account_id,
    sealedSeed: r.sealed_seed,
    userId: r.user_id ?? undefined,
    activateDate: r.activate_date === null ? undefined : new Date(r.activate_date),
    createDate: new Date(r.create_date),
  };
}

export class KyselyRamRepository implements RamRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly touch: (accountId: string) => void,
  ) {}

  // --- users
  async createUser(u: UserRecord): Promise<void> {
    await unique(`user ${u.userName}`, () => this.db.insertInto('ram_users').values(userRow(u)).execute());
    this.touch(u.accountId);
  }
  async getUser(accountId: string, userName: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('ram_users').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(userName)).executeTakeFirst();
    return r && user(r);
  }
  async getUserById(userId: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('ram_users').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return r && user(r);
  }
  async updateUser(u: UserRecord): Promise<void> {
    const { user_id, ...fields } = userRow(u);
    await unique(`user ${u.userName}`, () => this.db.updateTable('ram_users').set(fields).where('user_id', '=', user_id).execute());
    this.touch(u.accountId);
  }
  async deleteUser(userId: string): Promise<void> {
    const u = await this.getUserById(userId);
    await this.db.deleteFrom('ram_users').where('user_id', '=', userId).execute();
    if (u) this.touch(u.accountId);
  }
  async listUsers(accountId: string, page: ListPage): Promise<UserRecord[]> {
    let q = this.db.selectFrom('ram_users').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', page.after);
    return (await q.orderBy('name_key').limit(page.limit).execute()).map(user);
  }
  async countUsers(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('ram_users').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // --- login profiles
  async getLoginProfile(userId: string): Promise<LoginProfileRecord | undefined> {
    const r = await this.db.selectFrom('ram_login_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return (
      r && {
        userId: r.user_id,
        passwordHash: r.password_hash,
        passwordResetRequired: r.password_reset_required === 1,
        mfaBindRequired: r.mfa_bind_required === 1,
        createDate: new Date(r.create_date),
        updateDate: new Date(r.update_date),
      }
    );
  }
  async putLoginProfile(p: LoginProfileRecord): Promise<void> {
    const row = {
      user_id: p.userId,
      password_hash: p.passwordHash,
      password_reset_required: p.passwordResetRequired ? 1 : 0,
      mfa_bind_required: p.mfaBindRequired ? 1 : 0,
      create_date: iso(p.createDate),
      update_date: iso(p.updateDate),
    };
    const { user_id, ...rest } = row;
    await this.db.insertInto('ram_login_profiles').values(row).onConflict((oc) => oc.column('user_id').doUpdateSet(rest)).execute();
    void user_id;
  }
  async deleteLoginProfile(userId: string): Promise<void> {
    await this.db.deleteFrom('ram_login_profiles').where('user_id', '=', userId).execute();
  }

  // --- virtual MFA devices
  async createMfaDevice(d: MfaDeviceRecord): Promise<void> {
    const row = { serial_number: d.serialNumber, account_id: d.accountId, sealed_seed: d.sealedSeed, user_id: d.userId ?? null, activate_date: d.activateDate ? iso(d.activateDate) : null, create_date: iso(d.createDate) };
    await unique(`MFA device ${d.serialNumber}`, () => this.db.insertInto('ram_mfa_devices').values(row).execute());
    this.touch(d.accountId);
  }
  async getMfaDevice(serialNumber: string): Promise<MfaDeviceRecord | undefined> {
    const r = await this.db.selectFrom('ram_mfa_devices').selectAll().where('serial_number', '=', serialNumber).executeTakeFirst();
    return r && mfaDevice(r);
  }
  async mfaDeviceOfUser(userId: string): Promise<MfaDeviceRecord | undefined> {
    const r = await this.db.selectFrom('ram_mfa_devices').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return r && mfaDevice(r);
  }
  async listMfaDevices(accountId: string): Promise<MfaDeviceRecord[]> {
    const rows = await this.db.selectFrom('ram_mfa_devices').selectAll().where('account_id', '=', accountId).orderBy('serial_number').execute();
    return rows.map(mfaDevice);
  }
  async bindMfaDevice(serialNumber: string, userId: string, at: Date): Promise<boolean> {
    const taken = await this.db.selectFrom('ram_mfa_devices').select('serial_number').where('user_id', '=', userId).executeTakeFirst();
    if (taken !== undefined) return false;
    const r = await this.db.updateTable('ram_mfa_devices').set({ user_id: userId, activate_date: iso(at) }).where('serial_number', '=', serialNumber).where('user_id', 'is', null).executeTakeFirst();
    const bound = Number(r.numUpdatedRows) === 1;
    if (bound) await this.touchDevice(serialNumber);
    return bound;
  }
  async unbindMfaDevice(serialNumber: string): Promise<void> {
    await this.db.updateTable('ram_mfa_devices').set({ user_id: null, activate_date: null }).where('serial_number', '=', serialNumber).execute();
    await this.touchDevice(serialNumber);
  }
  async deleteMfaDevice(serialNumber: string): Promise<void> {
    await this.touchDevice(serialNumber);
    await this.db.deleteFrom('ram_mfa_devices').where('serial_number', '=', serialNumber).execute();
  }
  // Not a #private method: the read cache wraps the repository with Object.create.
  private async touchDevice(serialNumber: string): Promise<void> {
    const r = await this.db.selectFrom('ram_mfa_devices').select('account_id').where('serial_number', '=', serialNumber).executeTakeFirst();
    if (r) this.touch(r.account_id);
  }

  // --- groups
  async createGroup(g: GroupRecord): Promise<void> {
    await unique(`group ${g.groupName}`, () => this.db.insertInto('ram_groups').values(groupRow(g)).execute());
    this.touch(g.accountId);
  }
  async getGroup(accountId: string, groupName: string): Promise<GroupRecord | undefined> {
    const r = await this.db.selectFrom('ram_groups').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(groupName)).executeTakeFirst();
    return r && group(r);
  }
  async getGroupById(groupId: string): Promise<GroupRecord | undefined> {
    const r = await this.db.selectFrom('ram_groups').selectAll().where('group_id', '=', groupId).executeTakeFirst();
    return r && group(r);
  }
  async updateGroup(g: GroupRecord): Promise<void> {
    const { group_id, ...fields } = groupRow(g);
    await unique(`group ${g.groupName}`, () => this.db.updateTable('ram_groups').set(fields).where('group_id', '=', group_id).execute());
    this.touch(g.accountId);
  }
  async deleteGroup(groupId: string): Promise<void> {
    const r = await this.db.selectFrom('ram_groups').select('account_id').where('group_id', '=', groupId).executeTakeFirst();
    await this.db.deleteFrom('ram_groups').where('group_id', '=', groupId).execute();
    if (r) this.touch(r.account_id);
  }
  async listGroups(accountId: string, page: ListPage): Promise<GroupRecord[]> {
    let q = this.db.selectFrom('ram_groups').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', page.after);
    return (await q.orderBy('name_key').limit(page.limit).execute()).map(group);
  }
  async countGroups(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('ram_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async addMember(groupId: string, userId: string, joinDate: Date): Promise<void> {
    await unique('membership', () => this.db.insertInto('ram_group_members').values({ group_id: groupId, user_id: userId, join_date: iso(joinDate) }).execute());
    await this.touchOwnerOfUser(userId);
  }
  async removeMember(groupId: string, userId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('ram_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
    await this.touchOwnerOfUser(userId);
    return Number(r.numDeletedRows) > 0;
  }
  async groupsForUser(userId: string): Promise<(GroupRecord & { joinDate: Date })[]> {
    const rows = await this.db
      .selectFrom('ram_group_members as m')
      .innerJoin('ram_groups as g', 'g.group_id', 'm.group_id')
      .selectAll('g')
      .select('m.join_date')
      .where('m.user_id', '=', userId)
      .orderBy('g.name_key')
      .execute();
    return rows.map((r) => ({ ...group(r), joinDate: new Date(r.join_date) }));
  }
  async usersForGroup(groupId: string, page: ListPage): Promise<(UserRecord & { joinDate: Date })[]> {
    let q = this.db.selectFrom('ram_group_members as m').innerJoin('ram_users as u', 'u.user_id', 'm.user_id').selectAll('u').select('m.join_date').where('m.group_id', '=', groupId);
    if (page.after !== undefined) q = q.where('u.name_key', '>', page.after);
    const rows = await q.orderBy('u.name_key').limit(page.limit).execute();
    return rows.map((r) => ({ ...user(r), joinDate: new Date(r.join_date) }));
  }
  async countMembers(groupId: string): Promise<number> {
    const r = await this.db.selectFrom('ram_group_members').select((eb) => eb.fn.countAll<number>().as('n')).where('group_id', '=', groupId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  private async touchOwnerOfUser(userId: string): Promise<void> {
    const u = await this.getUserById(userId);
    if (u) this.touch(u.accountId);
  }

  // --- roles
  async createRole(r: RoleRecord): Promise<void> {
    await unique(`role ${r.roleName}`, () => this.db.insertInto('ram_roles').values(roleRow(r)).execute());
    this.touch(r.accountId);
  }
  async getRole(accountId: string, roleName: string): Promise<RoleRecord | undefined> {
    const r = await this.db.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(roleName)).executeTakeFirst();
    return r && role(r);
  }
  async getRoleById(roleId: string): Promise<RoleRecord | undefined> {
    const r = await this.db.selectFrom('ram_roles').selectAll().where('role_id', '=', roleId).executeTakeFirst();
    return r && role(r);
  }
  async updateRole(r: RoleRecord): Promise<void> {
    const { role_id, ...fields } = roleRow(r);
    await this.db.updateTable('ram_roles').set(fields).where('role_id', '=', role_id).execute();
    this.touch(r.accountId);
  }
  async deleteRole(roleId: string): Promise<void> {
    const r = await this.getRoleById(roleId);
    await this.db.deleteFrom('ram_roles').where('role_id', '=', roleId).execute();
    if (r) this.touch(r.accountId);
  }
  async listRoles(accountId: string, page: ListPage): Promise<RoleRecord[]> {
    let q = this.db.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', page.after);
    return (await q.orderBy('name_key').limit(page.limit).execute()).map(role);
  }
  async countRoles(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('ram_roles').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  // --- custom policies
  async createPolicy(p: PolicyRecord, first: PolicyVersionRecord): Promise<void> {
    await unique(`policy ${p.policyName}`, () => this.db.insertInto('ram_policies').values(policyRow(p)).execute());
    await this.addVersion(p.accountId, p.policyName, first);
  }
  async getPolicy(accountId: string, policyName: string): Promise<PolicyRecord | undefined> {
    const r = await this.db.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(policyName)).executeTakeFirst();
    return r && policy(r);
  }
  async updatePolicy(p: PolicyRecord): Promise<void> {
    const { account_id, name_key, ...fields } = policyRow(p);
    await this.db.updateTable('ram_policies').set(fields).where('account_id', '=', account_id).where('name_key', '=', name_key).execute();
    this.touch(p.accountId);
  }
  async deletePolicy(accountId: string, policyName: string): Promise<void> {
    await this.db.deleteFrom('ram_policy_versions').where('account_id', '=', accountId).where('name_key', '=', key(policyName)).execute();
    await this.db.deleteFrom('ram_policies').where('account_id', '=', accountId).where('name_key', '=', key(policyName)).execute();
    this.touch(accountId);
  }
  async listPolicies(accountId: string, page: ListPage): Promise<PolicyRecord[]> {
    let q = this.db.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId);
    if (page.after !== undefined) q = q.where('name_key', '>', page.after);
    return (await q.orderBy('name_key').limit(page.limit).execute()).map(policy);
  }
  async countPolicies(accountId: string): Promise<number> {
    const r = await this.db.selectFrom('ram_policies').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
  async addVersion(accountId: string, policyName: string, v: PolicyVersionRecord): Promise<void> {
    await this.db
      .insertInto('ram_policy_versions')
      .values({ account_id: accountId, name_key: key(policyName), version_id: v.versionId, document: v.document, create_date: iso(v.createDate) })
      .execute();
    this.touch(accountId);
  }
  async getVersion(accountId: string, policyName: string, versionId: string): Promise<PolicyVersionRecord | undefined> {
    const r = await this.db
      .selectFrom('ram_policy_versions')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('name_key', '=', key(policyName))
      .where('version_id', '=', versionId)
      .executeTakeFirst();
    return r && { versionId: r.version_id, document: r.document, createDate: new Date(r.create_date) };
  }
  async listVersions(accountId: string, policyName: string): Promise<PolicyVersionRecord[]> {
    const rows = await this.db.selectFrom('ram_policy_versions').selectAll().where('account_id', '=', accountId).where('name_key', '=', key(policyName)).execute();
    return rows
      .map((r) => ({ versionId: r.version_id, document: r.document, createDate: new Date(r.create_date) }))
      .sort((a, b) => Number(a.versionId.slice(1)) - Number(b.versionId.slice(1)));
  }
  async deleteVersion(accountId: string, policyName: string, versionId: string): Promise<void> {
    await this.db.deleteFrom('ram_policy_versions').where('account_id', '=', accountId).where('name_key', '=', key(policyName)).where('version_id', '=', versionId).execute();
    this.touch(accountId);
  }

  // --- attachments
  async attach(accountId: string, a: AttachmentRecord): Promise<void> {
    await unique('attachment', () =>
      this.db
        .insertInto('ram_attachments')
        .values({
          account_id: accountId,
          policy_type: a.policyType,
          policy_key: a.policyKey,
          principal_type: a.principalType,
          principal_id: a.principalId,
          attach_date: iso(a.attachDate),
        })
        .execute(),
    );
    this.touch(accountId);
  }
  async detach(accountId: string, a: Omit<AttachmentRecord, 'attachDate'>): Promise<boolean> {
    const r = await this.db
      .deleteFrom('ram_attachments')
      .where('account_id', '=', accountId)
      .where('policy_type', '=', a.policyType)
      .where('policy_key', '=', a.policyKey)
      .where('principal_type', '=', a.principalType)
      .where('principal_id', '=', a.principalId)
      .executeTakeFirst();
    this.touch(accountId);
    return Number(r.numDeletedRows) > 0;
  }
  async attachmentsOf(accountId: string, principalType: AttachmentRecord['principalType'], principalId: string): Promise<AttachmentRecord[]> {
    const rows = await this.db
      .selectFrom('ram_attachments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('principal_type', '=', principalType)
      .where('principal_id', '=', principalId)
      .orderBy('attach_date')
      .orderBy('policy_key')
      .execute();
    return rows.map(attachment);
  }
  async attachmentsTo(accountId: string, policyType: AttachmentRecord['policyType'], policyKey: string): Promise<AttachmentRecord[]> {
    const rows = await this.db
      .selectFrom('ram_attachments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('policy_type', '=', policyType)
      .where('policy_key', '=', policyKey)
      .orderBy('attach_date')
      .execute();
    return rows.map(attachment);
  }
  async attachmentCounts(accountId: string, policyType: AttachmentRecord['policyType']): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('ram_attachments')
      .select(['policy_key', (eb) => eb.fn.countAll<number>().as('n')])
      .where('account_id', '=', accountId)
      .where('policy_type', '=', policyType)
      .groupBy('policy_key')
      .execute();
    return new Map(rows.map((r) => [r.policy_key, Number(r.n)]));
  }
}

function attachment(r: { policy_type: 'System' | 'Custom'; policy_key: string; principal_type: 'User' | 'Group' | 'Role'; principal_id: string; attach_date: string }): AttachmentRecord {
  return { policyType: r.policy_type, policyKey: r.policy_key, principalType: r.principal_type, principalId: r.principal_id, attachDate: new Date(r.attach_date) };
}
