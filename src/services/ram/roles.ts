// RAM roles: CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles. A role's trust policy is
// validated by the policy engine as a trust policy.
import { arn } from '../../model/index.js';
import type { RoleRecord } from '../../store/index.js';
import { MAX_TOKEN_LIFETIME_MS } from '../../tokens/index.js';
import { action } from '../action.js';
import { RamErrors } from './errors.js';
import { newRoleId } from './ids.js';
import { requireRole } from './lookup.js';
import { decodeMarker, pageOf, pagingParams } from './paging.js';
import { description, document, maxSessionDuration, optional, roleName } from './params.js';
import { roleShape } from './shapes.js';
import { checkDocument } from './documents.js';

/** Past this many replaced trust policies, sessions older than the oldest kept one are all ended. */
const MAX_TRUST_HISTORY = 32;

/**
 * The role with a new trust policy. The old one is kept (with the time it stopped applying) while
 * a session issued under it could still be alive: a session is honoured only if every trust policy
 * since its issue admits it, so changing the policy back cannot revive what the change ended.
 */
export function withTrustPolicy(role: RoleRecord, document: string, now: Date): RoleRecord {
  if (document === role.assumeRolePolicyDocument) return { ...role, updateDate: now };
  const alive = now.getTime() - MAX_TOKEN_LIFETIME_MS;
  const history = [...role.trustHistory, { document: role.assumeRolePolicyDocument, replacedAt: now }].filter((h) => h.replacedAt.getTime() > alive);
  let revokeSessionsBefore = role.revokeSessionsBefore;
  while (history.length > MAX_TRUST_HISTORY) {
    // Forgetting a replaced policy means ending every session it would still have to admit.
    const dropped = history.shift();
    if (dropped && (revokeSessionsBefore === undefined || dropped.replacedAt > revokeSessionsBefore)) revokeSessionsBefore = dropped.replacedAt;
  }
  return { ...role, assumeRolePolicyDocument: document, trustHistory: history, updateDate: now, ...(revokeSessionsBefore ? { revokeSessionsBefore } : {}) };
}

export const CreateRole = action({
  name: 'CreateRole',
  refused: ['Tag'],
  permission: 'ram:CreateRole',
  rw: 'Write',
  resource: (p, caller) => arn.ramRole(caller.accountId, p.RoleName),
  params: {
    RoleName: roleName(),
    AssumeRolePolicyDocument: document(),
    Description: optional(description()),
    MaxSessionDuration: optional(maxSessionDuration(), 3600),
  },
  handle: async (p, { caller, request, services }) => {
    checkDocument(p.AssumeRolePolicyDocument, 'trust', 'AssumeRolePolicyDocument');
    const role = {
      roleId: newRoleId(),
      accountId: caller.accountId,
      roleName: p.RoleName,
      description: p.Description ?? '',
      assumeRolePolicyDocument: p.AssumeRolePolicyDocument,
      maxSessionDuration: p.MaxSessionDuration,
      createDate: request.now,
      updateDate: request.now,
      trustHistory: [],
    };
    await services.store.transaction(async (tx) => {
      if ((await tx.ram.getRole(caller.accountId, p.RoleName)) !== undefined) throw RamErrors.alreadyExists('Role');
      if ((await tx.ram.countRoles(caller.accountId)) >= services.quotas.roles) throw RamErrors.limitExceeded('Role');
      await tx.ram.createRole(role);
    });
    return { Role: roleShape(role, { updateDate: false }) };
  },
});

export const GetRole = action({
  name: 'GetRole',
  permission: 'ram:GetRole',
  rw: 'Read',
  resource: (p, caller) => arn.ramRole(caller.accountId, p.RoleName),
  params: { RoleName: roleName() },
  handle: async (p, { caller, services }) => ({ Role: roleShape(await requireRole(services.store, caller.accountId, p.RoleName)) }),
});

export const UpdateRole = action({
  name: 'UpdateRole',
  permission: 'ram:UpdateRole',
  rw: 'Write',
  resource: (p, caller) => arn.ramRole(caller.accountId, p.RoleName),
  params: {
    RoleName: roleName(),
    NewAssumeRolePolicyDocument: optional(document()),
    NewDescription: optional(description()),
    NewMaxSessionDuration: optional(maxSessionDuration()),
  },
  handle: async (p, { caller, request, services }) => {
    if (p.NewAssumeRolePolicyDocument !== undefined) checkDocument(p.NewAssumeRolePolicyDocument, 'trust', 'NewAssumeRolePolicyDocument');
    const updated = await services.store.transaction(async (tx) => {
      const role = await requireRole(tx, caller.accountId, p.RoleName);
      const next = {
        ...(p.NewAssumeRolePolicyDocument === undefined ? role : withTrustPolicy(role, p.NewAssumeRolePolicyDocument, request.now)),
        description: p.NewDescription ?? role.description,
        maxSessionDuration: p.NewMaxSessionDuration ?? role.maxSessionDuration,
        updateDate: request.now,
      };
      await tx.ram.updateRole(next);
      return next;
    });
    return { Role: roleShape(updated) };
  },
});

export const DeleteRole = action({
  name: 'DeleteRole',
  permission: 'ram:DeleteRole',
  rw: 'Write',
  resource: (p, caller) => arn.ramRole(caller.accountId, p.RoleName),
  params: { RoleName: roleName() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const role = await requireRole(tx, caller.accountId, p.RoleName);
      if ((await tx.ram.attachmentsOf(caller.accountId, 'Role', role.roleId)).length > 0) throw RamErrors.deleteConflict('Role.Policy');
      // [U] RAM documents no conflict for a role an instance holds; deleting it would leave the
      // instance naming a role that a re-created namesake could fill, so it is refused.
      if ((await tx.ecs.withRole(caller.accountId, role.roleName)).length > 0) throw RamErrors.deleteConflict('Role.Instance');
      await tx.ram.deleteRole(role.roleId);
    });
    return {};
  },
});

export const ListRoles = action({
  name: 'ListRoles',
  refused: ['Tag'],
  permission: 'ram:ListRoles',
  rw: 'Read',
  resource: (_p, caller) => arn.ramAll(caller.accountId, 'role'),
  params: pagingParams(),
  handle: async (p, { caller, services }) => {
    const fetched = await services.store.ram.listRoles(caller.accountId, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
    const { items, ...page } = pageOf(fetched, p.MaxItems, (r) => r.roleName.toLowerCase());
    return { Roles: { Role: items.map((r) => roleShape(r, { document: false })) }, ...page };
  },
});
