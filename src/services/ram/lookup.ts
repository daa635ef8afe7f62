// Finding a caller's own RAM entities by name, or the real EntityNotExist error.
import type { AttachablePolicyType, GroupRecord, Repositories, RoleRecord, UserRecord } from '../../store/index.js';
import { PolicyCatalog, type CatalogPolicy } from '../../access/index.js';
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

export type ResolvedPolicy = CatalogPolicy;

/** A system policy from the catalog or a custom policy of the account. */
export async function requirePolicy(repos: Repositories, accountId: string, type: AttachablePolicyType, name: string): Promise<CatalogPolicy> {
  const policy = await new PolicyCatalog(repos.ram).find(accountId, type, name);
  if (policy === undefined) throw RamErrors.notExist('Policy');
  return policy;
}
