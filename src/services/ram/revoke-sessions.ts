// RevokeRoleSessions (Rampart's own action, not the real cloud's): ends every session of a role
// issued before now. Tokens are sealed, not stored, so this is a time on the role that the token
// verifier compares each session's issue time with.
import { arn } from '../../model/index.js';
import { action } from '../action.js';
import { requireRole } from './lookup.js';
import { roleName } from './params.js';
import { ramDate } from './shapes.js';

export const RevokeRoleSessions = action({
  name: 'RevokeRoleSessions',
  permission: 'ram:RevokeRoleSessions',
  rw: 'Write',
  resource: (p, caller) => arn.ramRole(caller.accountId, p.RoleName),
  params: { RoleName: roleName() },
  handle: async (p, { caller, request, services }) => {
    const role = await services.store.transaction(async (tx) => {
      const r = await requireRole(tx, caller.accountId, p.RoleName);
      const next = { ...r, revokeSessionsBefore: request.now };
      await tx.ram.updateRole(next);
      return next;
    });
    return { Role: { RoleName: role.roleName, RoleId: role.roleId, SessionsRevokedBefore: ramDate(request.now) } };
  },
});
