// The authorization step of the pipeline. Until RAM policies land, only an account's root may
// act, and only on its own account's resources; everyone else is implicitly denied.
import { CommonErrors, parseArn, principalArn, type Principal } from '../model/index.js';

export interface AuthorizationRequest {
  caller: Principal;
  /** The RAM action, e.g. ram:CreateUser. */
  permission: string;
  /** The resource ARN, or `*`. */
  resource: string;
}

export function authorize(req: AuthorizationRequest): void {
  const owner = req.resource === '*' ? req.caller.accountId : parseArn(req.resource)?.accountId;
  if (req.caller.type === 'Account' && owner === req.caller.accountId) return;
  throw CommonErrors.noPermission({
    AccessDeniedDetail: {
      AuthAction: req.permission,
      AuthPrincipalType: req.caller.type,
      AuthPrincipalOwnerId: req.caller.accountId,
      AuthPrincipalDisplayName: principalArn(req.caller),
      NoPermissionType: 'ImplicitDeny',
      PolicyType: 'AccountLevelIdentityBasedPolicy',
    },
  });
}
