// The authorization step: may this caller perform this RAM action on this resource? The account
// root may do anything within its own account; a RAM user what its own and its groups' policies
// allow. Nobody acts on another account's resources here (cross-account access goes through
// roles). A refusal carries the real AccessDeniedDetail and a sealed explanation.
import { parseArn, principalArn, type Principal } from '../model/index.js';
import type { ConditionContext, Decision } from '../policy/index.js';
import type { SecretBox } from '../secrets/index.js';
import { encodeDiagnostic } from './diagnostic.js';
import type { PolicySets } from './policy-sets.js';
import { decideWithResource, type ResourceAccess } from './resource-access.js';

export interface AuthorizationRequest {
  caller: Principal;
  permission: string;
  resource: string;
  context: ConditionContext;
  /**
   * The resource may belong to another account (sts:AssumeRole on a partner's role: the caller's
   * own policies must allow it, and the role's trust policy decides the rest).
   */
  foreignResource?: boolean;
  /** The resource's own rules (a bucket policy, ACLs), decided with the caller's policies. */
  resourceAccess?: ResourceAccess;
}

const CROSS_ACCOUNT: Decision = { effect: 'ImplicitDeny', reason: 'no Allow matched: the resource belongs to another account' };
const ROOT: Decision = { effect: 'Allow', reason: 'the account root may act on its own account' };
const ANONYMOUS: Decision = { effect: 'ImplicitDeny', reason: 'no Allow matched: the request is not signed, and only a bucket ACL or bucket policy can allow an anonymous request' };

export class Authorizer {
  constructor(
    private readonly policySets: PolicySets,
    private readonly box: SecretBox,
  ) {}

  async decide(req: AuthorizationRequest): Promise<Decision> {
    if (req.resourceAccess !== undefined) {
      const identity = req.caller.type === 'Anonymous' ? undefined : await this.#identity(req);
      return decideWithResource(req.resourceAccess, req.caller, identity, { action: req.permission, resource: req.resource, context: req.context });
    }
    if (req.caller.type === 'Anonymous') return ANONYMOUS;
    const owner = req.resource === '*' ? req.caller.accountId : parseArn(req.resource)?.accountId;
    if (owner !== req.caller.accountId && owner !== '*' && !req.foreignResource) return CROSS_ACCOUNT;
    return this.#identity(req);
  }

  /** What the caller's own policies (a user's and its groups', a role's and its session's) decide. */
  async #identity(req: AuthorizationRequest): Promise<Decision> {
    switch (req.caller.type) {
      case 'Anonymous':
        return ANONYMOUS;
      case 'Account':
        return ROOT;
      case 'RAMUser': {
        const set = await this.policySets.forUser(req.caller.accountId, req.caller.userId);
        return set.explain({ action: req.permission, resource: req.resource, context: req.context });
      }
      case 'AssumedRoleUser': {
        const set = await this.policySets.forSession(req.caller.accountId, req.caller.roleId, req.caller.sessionPolicy);
        return set.explain({ action: req.permission, resource: req.resource, context: req.context });
      }
    }
  }

  /**
   * The real AccessDeniedDetail of a refusal; its EncodedDiagnosticMessage is the decision sealed,
   * a rendering of it for RAM's DecodeDiagnosticMessage (the audit trail keeps the decision itself).
   */
  denialDetail(req: AuthorizationRequest, decision: Decision): Record<string, string> {
    const { caller } = req;
    const effect = decision.effect === 'ExplicitDeny' ? 'ExplicitDeny' : 'ImplicitDeny';
    const principalType = caller.type === 'RAMUser' ? 'SubUser' : caller.type;
    const principalDisplayName =
      caller.type === 'RAMUser' ? caller.userName : caller.type === 'AssumedRoleUser' ? `${caller.roleName}:${caller.sessionName}` : caller.accountId;
    const policyType = decision.policy?.type === 'Session' ? 'SessionPolicy' : decision.policy?.type === 'Resource' ? 'BucketPolicy' : 'AccountLevelIdentityBasedPolicy';
    return {
      AuthAction: req.permission,
      AuthPrincipalType: principalType,
      AuthPrincipalOwnerId: caller.accountId,
      AuthPrincipalDisplayName: principalDisplayName,
      NoPermissionType: effect,
      PolicyType: policyType,
      EncodedDiagnosticMessage: encodeDiagnostic(this.box, {
        accountId: caller.accountId,
        principal: principalArn(caller),
        principalType,
        principalDisplayName,
        policyType,
        ...(decision.policy && caller.type !== 'Account' ? { attachedEntityType: caller.type === 'RAMUser' ? 'RamUser' : 'RamRole' } : {}),
        action: req.permission,
        resource: req.resource,
        decision: effect,
        ...(decision.policy ? { policy: decision.policy } : {}),
        ...(decision.statement !== undefined ? { statement: decision.statement } : {}),
        explanation: decision.reason,
      }),
    };
  }
}
