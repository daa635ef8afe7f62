// Finding a caller's own RAM entities by name, or the real EntityNotExist error.
import type { GroupRecord, Repositories, RoleRecord, UserRecord } from '../../store/index.js';
import { systemPolicy, SYSTEM_POLICY_DATE } from '../../access/index.js';
import { RamErrors } from './errors.js';

export async function requireUser(repos: Repositories, accountId: string, userName: string): Promise<UserRecord> {
  const user = await repos.ram.getUser(accountId, userName);
  if (user === undefined) throw RamErrors.notExist('User');
  return user;
}

export async function requireGroup(repos: Repositories, accountId: string, groupName: string): Promise<GroupRecord> {
  const group = await repos.ram.getGroup(accountId, groupName);
  if (group === undefined) throw RamErrors.notExist('Group');
  return group;
}

export async function requireRole(repos: Repositories, accountId: string, roleName: string): Promise<RoleRecord> {
  const role = await repos.ram.getRole(accountId, roleName);
  if (role === undefined) throw RamErrors.notExist('Role');
  return role;
}

export interface ResolvedPolicy {
  type: 'System' | 'Custom';
  /** The policy's own spelling of its name. */
  name: string;
  /** Lower-cased name, as attachments refer to it. */
  key: string;
  description: string;
  defaultVersion: string;
  createDate: Date;
  updateDate: Date;
}

/** A system policy from the catalog or a custom policy of the account. */
export async function requirePolicy(repos: Repositories, accountId: string, type: 'System' | 'Custom', name: string): Promise<ResolvedPolicy> {
  if (type === 'System') {
    const sys = systemPolicy(name);
    if (sys === undefined) throw RamErrors.notExist('Policy');
    return { type, name: sys.name, key: sys.name.toLowerCase(), description: sys.description, defaultVersion: 'v1', createDate: SYSTEM_POLICY_DATE, updateDate: SYSTEM_POLICY_DATE };
  }
  const p = await repos.ram.getPolicy(accountId, name);
  if (p === undefined) throw RamErrors.notExist('Policy');
  return { type, name: p.policyName, key: p.policyName.toLowerCase(), description: p.description, defaultVersion: p.defaultVersion, createDate: p.createDate, updateDate: p.updateDate };
}
