// Role trust policies, compiled once per version of the role, for AssumeRole and for checking,
// at every request, that a session's origin is still trusted.
import { compilePolicy, evaluateTrust, parsePolicy, type CompiledPolicy, type ConditionContext, type Decision, type RequestPrincipal } from '../policy/index.js';
import type { RoleRecord } from '../store/index.js';

const MAX_CACHED = 10_000;

export class TrustPolicies {
  readonly #compiled = new Map<string, CompiledPolicy>();

  evaluate(role: RoleRecord, principal: RequestPrincipal, context: ConditionContext): Decision {
    // A role's update time changes with its trust policy, so it identifies the version.
    const key = `${role.roleId}:${role.updateDate.getTime()}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = compilePolicy(parsePolicy(role.assumeRolePolicyDocument, 'trust'), { name: role.roleName, type: 'Trust' });
      if (this.#compiled.size >= MAX_CACHED) this.#compiled.clear();
      this.#compiled.set(key, compiled);
    }
    return evaluateTrust(compiled, principal, context);
  }
}
