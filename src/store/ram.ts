// The RAM part of the storage contract: users, groups, roles, custom policies with versions,
// attachments and login profiles, all scoped by account. Names are looked up without regard to
// case; lists are ordered by name and paged after a name.

export interface UserRecord {
  userId: string;
  accountId: string;
  userName: string;
  displayName: string;
  mobilePhone: string;
  email: string;
  comments: string;
  createDate: Date;
  updateDate: Date;
}

export interface GroupRecord {
  groupId: string;
  accountId: string;
  groupName: string;
  comments: string;
  createDate: Date;
  updateDate: Date;
}

export interface RoleRecord {
  roleId: string;
  accountId: string;
  roleName: string;
  description: string;
  assumeRolePolicyDocument: string;
  maxSessionDuration: number;
  createDate: Date;
  updateDate: Date;
  /** Sessions issued before this time are refused. */
  revokeSessionsBefore?: Date;
  /**
   * The trust policies this role had before its current one, oldest first, each with the time it
   * was replaced; kept while a session issued under it could still be alive.
   */
  trustHistory: readonly ReplacedTrustPolicy[];
}

export interface ReplacedTrustPolicy {
  document: string;
  replacedAt: Date;
}

export interface PolicyRecord {
  accountId: string;
  policyName: string;
  description: string;
  defaultVersion: string;
  /** The number the next version will get (v1, v2, ...); never reused. */
  nextVersion: number;
  createDate: Date;
  updateDate: Date;
}

export interface PolicyVersionRecord {
  versionId: string;
  document: string;
  createDate: Date;
}

/** The kinds of policy RAM attaches to users, groups and roles. */
export type AttachablePolicyType = 'System' | 'Custom';
export type PrincipalType = 'User' | 'Group' | 'Role';

export interface AttachmentRecord {
  policyType: AttachablePolicyType;
  /** Lower-cased policy name. */
  policyKey: string;
  principalType: PrincipalType;
  principalId: string;
  attachDate: Date;
}

export interface LoginProfileRecord {
  userId: string;
  passwordHash: string;
  passwordResetRequired: boolean;
  mfaBindRequired: boolean;
  createDate: Date;
  updateDate: Date;
}

export interface MfaDeviceRecord {
  /** acs:ram::<account>:mfa/<name>: the device's name in the API. */
  serialNumber: string;
  accountId: string;
  /** The TOTP seed, sealed with the master key for this serial number. */
  sealedSeed: string;
  userId: string | undefined;
  activateDate: Date | undefined;
  createDate: Date;
}

export interface ListPage {
  /** Return items whose name sorts after this lower-cased name. */
  after?: string;
  limit: number;
}

export interface RamRepository {
  createUser(user: UserRecord): Promise<void>;
  getUser(accountId: string, userName: string): Promise<UserRecord | undefined>;
  getUserById(userId: string): Promise<UserRecord | undefined>;
  /** Rewrites the user's fields (a rename included); StoreConflictError if the new name is taken. */
  updateUser(user: UserRecord): Promise<void>;
  deleteUser(userId: string): Promise<void>;
  listUsers(accountId: string, page: ListPage): Promise<UserRecord[]>;
  countUsers(accountId: string): Promise<number>;

  getLoginProfile(userId: string): Promise<LoginProfileRecord | undefined>;
  putLoginProfile(profile: LoginProfileRecord): Promise<void>;
  deleteLoginProfile(userId: string): Promise<void>;

  /** StoreConflictError when the serial number is taken. */
  createMfaDevice(device: MfaDeviceRecord): Promise<void>;
  getMfaDevice(serialNumber: string): Promise<MfaDeviceRecord | undefined>;
  mfaDeviceOfUser(userId: string): Promise<MfaDeviceRecord | undefined>;
  listMfaDevices(accountId: string): Promise<MfaDeviceRecord[]>;
  /** Binds an unbound device to a user without one; false when either is taken meanwhile. */
  bindMfaDevice(serialNumber: string, userId: string, at: Date): Promise<boolean>;
  unbindMfaDevice(serialNumber: string): Promise<void>;
  deleteMfaDevice(serialNumber: string): Promise<void>;

  createGroup(group: GroupRecord): Promise<void>;
  getGroup(accountId: string, groupName: string): Promise<GroupRecord | undefined>;
  getGroupById(groupId: string): Promise<GroupRecord | undefined>;
  updateGroup(group: GroupRecord): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  listGroups(accountId: string, page: ListPage): Promise<GroupRecord[]>;
  countGroups(accountId: string): Promise<number>;
  addMember(groupId: string, userId: string, joinDate: Date): Promise<void>;
  removeMember(groupId: string, userId: string): Promise<boolean>;
  groupsForUser(userId: string): Promise<(GroupRecord & { joinDate: Date })[]>;
  usersForGroup(groupId: string, page: ListPage): Promise<(UserRecord & { joinDate: Date })[]>;
  countMembers(groupId: string): Promise<number>;

  createRole(role: RoleRecord): Promise<void>;
  getRole(accountId: string, roleName: string): Promise<RoleRecord | undefined>;
  getRoleById(roleId: string): Promise<RoleRecord | undefined>;
  updateRole(role: RoleRecord): Promise<void>;
  deleteRole(roleId: string): Promise<void>;
  listRoles(accountId: string, page: ListPage): Promise<RoleRecord[]>;
  countRoles(accountId: string): Promise<number>;

  createPolicy(policy: PolicyRecord, first: PolicyVersionRecord): Promise<void>;
  getPolicy(accountId: string, policyName: string): Promise<PolicyRecord | undefined>;
  updatePolicy(policy: PolicyRecord): Promise<void>;
  deletePolicy(accountId: string, policyName: string): Promise<void>;
  listPolicies(accountId: string, page: ListPage): Promise<PolicyRecord[]>;
  countPolicies(accountId: string): Promise<number>;
  addVersion(accountId: string, policyName: string, version: PolicyVersionRecord): Promise<void>;
  getVersion(accountId: string, policyName: string, versionId: string): Promise<PolicyVersionRecord | undefined>;
  listVersions(accountId: string, policyName: string): Promise<PolicyVersionRecord[]>;
  deleteVersion(accountId: string, policyName: string, versionId: string): Promise<void>;

  attach(accountId: string, attachment: AttachmentRecord): Promise<void>;
  detach(accountId: string, attachment: Omit<AttachmentRecord, 'attachDate'>): Promise<boolean>;
  attachmentsOf(accountId: string, principalType: PrincipalType, principalId: string): Promise<AttachmentRecord[]>;
  attachmentsTo(accountId: string, policyType: AttachablePolicyType, policyKey: string): Promise<AttachmentRecord[]>;
  attachmentCounts(accountId: string, policyType: AttachablePolicyType): Promise<Map<string, number>>;
}
