// Attaching policies to users, groups and roles, and listing who holds what.
import { ApiError, arn, type Principal } from '../../model/index.js';
import type { AttachablePolicyType, PrincipalType, Repositories } from '../../store/index.js';
import { action } from '../action.js';
import { RamErrors } from './errors.js';
import { requireGroup, requirePolicy, requireRole, requireUser } from './lookup.js';
import { optional, policyName, policyType, principalName, roleName } from './params.js';
import { string } from '../params.js';
import { ramDate } from './shapes.js';
import type { RamQuotas } from './quotas.js';

interface Holder {
  type: PrincipalType;
  /** The parameter that names it, and how to find it. */
  param: 'UserName' | 'GroupName' | 'RoleName';
  find(repos: Repositories, accountId: string, name: string): Promise<{ id: string }>;
  arn(accountId: string, name: string): string;
}

const HOLDERS: Record<PrincipalType, Holder> = {
  User: {
    type: 'User',
    param: 'UserName',
    find: async (r, a, n) => ({ id: (await requireUser(r, a, n)).userId }),
    arn: arn.ramUser,
  },
  Group: {
    type: 'Group',
    param: 'GroupName',
    find: async (r, a, n) => ({ id: (await requireGroup(r, a, n)).groupId }),
    arn: arn.ramGroup,
  },
  Role: {
    type: 'Role',
    param: 'RoleName',
    find: async (r, a, n) => ({ id: (await requireRole(r, a, n)).roleId }),
    arn: arn.ramRole,
  },
};

const nameParam = (type: PrincipalType) => (type === 'Role' ? roleName() : principalName());

function quotaFor(quotas: RamQuotas, policyType: AttachablePolicyType): number {
  return policyType === 'System' ? quotas.systemPoliciesPerPrincipal : quotas.customPoliciesPerPrincipal;
}

function holderName(p: Record<string, unknown>, holder: Holder): string {
  return String(p[holder.param]);
}

function attachAction(type: PrincipalType) {
  const holder = HOLDERS[type];
  return action({
    name: `AttachPolicyTo${type}`,
    permission: `ram:AttachPolicyTo${type}`,
    rw: 'Write',
    resource: (p: Record<string, unknown>, caller: Principal) => holder.arn(caller.accountId, holderName(p, holder)),
    params: { PolicyType: policyType(), PolicyName: policyName(), [holder.param]: nameParam(type), ResourceGroupId: optional(string()) },
    handle: async (p, { caller, request, services }) => {
      await services.store.transaction(async (tx) => {
        const principal = await holder.find(tx, caller.accountId, holderName(p, holder));
        const policy = await requirePolicy(tx, caller.accountId, p.PolicyType, p.PolicyName);
        const held = await tx.ram.attachmentsOf(caller.accountId, type, principal.id);
        if (held.some((a) => a.policyType === policy.type && a.policyKey === policy.key)) throw RamErrors.alreadyExists(`${type}.Policy`);
        if (held.filter((a) => a.policyType === policy.type).length >= quotaFor(services.quotas, policy.type)) throw RamErrors.limitExceeded(`${type}.Policy`);
        await tx.ram.attach(caller.accountId, { policyType: policy.type, policyKey: policy.key, principalType: type, principalId: principal.id, attachDate: request.now });
      });
      return {};
    },
  });
}

function detachAction(type: PrincipalType) {
  const holder = HOLDERS[type];
  return action({
    name: `DetachPolicyFrom${type}`,
    permission: `ram:DetachPolicyFrom${type}`,
    rw: 'Write',
    resource: (p: Record<string, unknown>, caller: Principal) => holder.arn(caller.accountId, holderName(p, holder)),
    params: { PolicyType: policyType(), PolicyName: policyName(), [holder.param]: nameParam(type), ResourceGroupId: optional(string()) },
    handle: async (p, { caller, services }) => {
      await services.store.transaction(async (tx) => {
        const principal = await holder.find(tx, caller.accountId, holderName(p, holder));
        const policy = await requirePolicy(tx, caller.accountId, p.PolicyType, p.PolicyName);
        const removed = await tx.ram.detach(caller.accountId, { policyType: policy.type, policyKey: policy.key, principalType: type, principalId: principal.id });
        if (!removed) throw RamErrors.notExist(`${type}.Policy`);
      });
      return {};
    },
  });
}

function listForAction(type: PrincipalType) {
  const holder = HOLDERS[type];
  return action({
    name: `ListPoliciesFor${type}`,
    permission: `ram:ListPoliciesFor${type}`,
    rw: 'Read',
    resource: (p: Record<string, unknown>, caller: Principal) => holder.arn(caller.accountId, holderName(p, holder)),
    params: { [holder.param]: nameParam(type) },
    handle: async (p, { caller, services }) => {
      const repos = services.store;
      const principal = await holder.find(repos, caller.accountId, holderName(p, holder));
      const policies = [];
      for (const a of await repos.ram.attachmentsOf(caller.accountId, type, principal.id)) {
        // A policy deleted since it was attached is no longer listed; any other failure is the call's.
        const policy = await requirePolicy(repos, caller.accountId, a.policyType, a.policyKey).catch((e: unknown) => {
          if (e instanceof ApiError && e.code === 'EntityNotExist.Policy') return undefined;
          throw e;
        });
        if (policy === undefined) continue;
        policies.push({ PolicyName: policy.name, PolicyType: policy.type, Description: policy.description, DefaultVersion: policy.defaultVersion, AttachDate: ramDate(a.attachDate) });
      }
      return { Policies: { Policy: policies } };
    },
  });
}

export const AttachPolicyToUser = attachAction('User');
export const AttachPolicyToGroup = attachAction('Group');
export const AttachPolicyToRole = attachAction('Role');
export const DetachPolicyFromUser = detachAction('User');
export const DetachPolicyFromGroup = detachAction('Group');
export const DetachPolicyFromRole = detachAction('Role');
export const ListPoliciesForUser = listForAction('User');
export const ListPoliciesForGroup = listForAction('Group');
export const ListPoliciesForRole = listForAction('Role');

export const ListEntitiesForPolicy = action({
  name: 'ListEntitiesForPolicy',
  permission: 'ram:ListEntitiesForPolicy',
  rw: 'Read',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyType: policyType(), PolicyName: policyName() },
  handle: async (p, { caller, services }) => {
    const repos = services.store;
    const policy = await requirePolicy(repos, caller.accountId, p.PolicyType, p.PolicyName);
    const users = [];
    const groups = [];
    const roles = [];
    for (const a of await repos.ram.attachmentsTo(caller.accountId, policy.type, policy.key)) {
      const AttachDate = ramDate(a.attachDate);
      if (a.principalType === 'User') {
        const u = await repos.ram.getUserById(a.principalId);
        if (u) users.push({ UserId: u.userId, UserName: u.userName, DisplayName: u.displayName, AttachDate });
      } else if (a.principalType === 'Group') {
        const g = await repos.ram.getGroupById(a.principalId);
        if (g) groups.push({ GroupName: g.groupName, Comments: g.comments, AttachDate });
      } else {
        const r = await repos.ram.getRoleById(a.principalId);
        if (r) roles.push({ RoleId: r.roleId, RoleName: r.roleName, Arn: arn.ramRole(r.accountId, r.roleName), Description: r.description, AttachDate });
      }
    }
    return { Users: { User: users }, Groups: { Group: groups }, Roles: { Role: roles } };
  },
});
