// The lifecycle's authorization step: every permission an operation needs is decided, in order,
// and each decision is kept as data for the audit event. The first refused one ends the request
// with its own refusal (ECS's InvalidUser.PassRoleForbidden) or the product's.
import { requestContext, type AuthorizationRequest, type Authorizer } from '../access/index.js';
import type { ApiError, Principal } from '../model/index.js';
import type { Decision } from '../policy/index.js';
import type { Check, RequestFacts } from '../services/index.js';

export interface Decided {
  check: Check;
  decision: Decision;
}

export type Refuse = (caller: Principal, check: Check, decision: Decision, detail: () => Record<string, string>) => ApiError;

export async function authorize(authorizer: Authorizer, caller: Principal, facts: RequestFacts, checks: readonly Check[], decided: Decided[], refuse: Refuse): Promise<void> {
  // One context serves every check that adds no keys of its own.
  const shared = requestContext(caller, facts);
  for (const check of checks) {
    const request: AuthorizationRequest = {
      caller,
      permission: check.permission,
      resource: check.resource,
      context: check.context ? requestContext(caller, facts, check.context) : shared,
      ...(check.foreignResource ? { foreignResource: true } : {}),
      ...(check.resourceAccess ? { resourceAccess: check.resourceAccess } : {}),
    };
    const decision = await authorizer.decide(request);
    decided.push({ check, decision });
    if (decision.effect === 'Allow') continue;
    const detail = () => authorizer.denialDetail(request, decision);
    throw check.refusal ? check.refusal(detail()) : refuse(caller, check, decision, detail);
  }
}
