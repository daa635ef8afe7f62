// A resource's own access rules, decided together with the caller's identity policies: an OSS
// bucket's policy and the ACLs of the bucket and its objects. The real service's order (OSS,
// "Authorization process"):
//   1. a session's session policy must allow;
//   2. an explicit Deny in the caller's policies or the bucket policy refuses;
//   3. an Allow in either allows (another account's caller: only the bucket policy can allow);
//   4. otherwise, for an operation on an object, the object's ACL, or if it is 'default' the
//      bucket's, may grant it to anyone;
//   5. otherwise the request is refused.
import { principalArn, type Principal } from '../model/index.js';
import type { ConditionContext, Decision, PolicySet, RequestPrincipal } from '../policy/index.js';

export interface ResourceAccess {
  /** The account that owns the resource. */
  owner: string;
  /**
   * The resource policy. A statement naming "*" without a Condition applies to everyone but the
   * owner (OSS): `owner` is the set without those statements, `others` the whole.
   */
  policy?: { owner: PolicySet; others: PolicySet };
  /** The ACL that grants this permission to anyone, in words ("the bucket ACL public-read"), if one does. */
  publicGrant?(permission: string): Promise<string | undefined>;
}

/** The caller as a resource policy names it. */
export function resourcePrincipal(caller: Principal): RequestPrincipal {
  switch (caller.type) {
    case 'Anonymous':
      return { kind: 'Anonymous' };
    case 'Account':
      return { kind: 'RAM', accountId: caller.accountId, arn: principalArn(caller) };
    case 'RAMUser':
      return { kind: 'RAM', accountId: caller.accountId, arn: principalArn(caller), userId: caller.userId };
    case 'AssumedRoleUser':
      return { kind: 'RAM', accountId: caller.accountId, arn: `acs:ram::${caller.accountId}:role/${caller.roleName}`, session: principalArn(caller) };
  }
}

const NOTHING_ALLOWS: Decision = { effect: 'ImplicitDeny', reason: 'no Allow matched: neither the caller\'s policies, the bucket policy nor an ACL allows this request' };
const FOREIGN: Decision = { effect: 'ImplicitDeny', reason: 'no Allow matched: the resource belongs to another account and its bucket policy does not allow this principal' };

/**
 * Combines what the caller's own policies decide (undefined for an anonymous caller) with the
 * resource's policy and ACLs. Another account's policies never allow here, though their explicit
 * Deny, and a session policy's narrowing, hold everywhere.
 */
export async function decideWithResource(
  access: ResourceAccess,
  caller: Principal,
  identity: Decision | undefined,
  request: { action: string; resource: string; context: ConditionContext },
): Promise<Decision> {
  const own = caller.type !== 'Anonymous' && caller.accountId === access.owner;
  const isOwnerRoot = own && caller.type === 'Account';
  const set = access.policy === undefined ? undefined : isOwnerRoot ? access.policy.owner : access.policy.others;
  const fromPolicy = set?.explain({ action: request.action, resource: request.resource, principal: resourcePrincipal(caller), context: request.context });
  // A session policy is decided first (OSS, "Authorization process"): what it does not allow is refused.
  if (identity?.effect === 'ImplicitDeny' && identity.policy?.type === 'Session') return identity;
  if (identity?.effect === 'ExplicitDeny') return identity;
  if (fromPolicy?.effect === 'ExplicitDeny') return fromPolicy;
  if (own && identity?.effect === 'Allow') return identity;
  if (fromPolicy?.effect === 'Allow') return fromPolicy;
  const acl = await access.publicGrant?.(request.action);
  if (acl !== undefined) return { effect: 'Allow', reason: `allowed by ${acl}` };
  // The most telling refusal: a near miss of the caller's own policies, else of the bucket policy's.
  if (own && identity !== undefined && (identity.condition !== undefined || fromPolicy?.condition === undefined)) return identity;
  if (fromPolicy?.condition !== undefined) return fromPolicy;
  return own || caller.type === 'Anonymous' ? NOTHING_ALLOWS : FOREIGN;
}
