// Role trust policies, compiled once per version of the role, for AssumeRole and for checking,
// at every request, that a session's origin is still trusted.
import { compilePolicy, evaluateTrust, parsePolicy, type CompiledPolicy, type ConditionContext, type Decision, type RequestPrincipal } from '../policy/index.js';
import type { RoleRecord } from '../store/index.js';

const MAX_CACHED = 10_000;

export class TrustPolicies {
  readonly #compiled = new Map<string, CompiledPolicy>();

  /** The role's current trust policy's decision. */
  evaluate(role: RoleRecord, principal: RequestPrincipal, context: ConditionContext): Decision {
    return evaluateTrust(this.#compile(role.roleName, role.assumeRolePolicyDocument), principal, context);
  }

  /**
   * Whether a session issued at issuedAt is still admitted: by the current trust policy and by
   * every one replaced since then (each was in force at some time after the session began). The
   * first refusal, if any, decides: once refused, a session stays refused.
   */
  admitsSince(role: RoleRecord, issuedAt: number, principal: RequestPrincipal, context: ConditionContext): Decision {
    for (const replaced of role.trustHistory) {
      if (replaced.replacedAt.getTime() <= issuedAt) continue;
      const decision = evaluateTrust(this.#compile(role.roleName, replaced.document), principal, context);
      if (decision.effect !== 'Allow') return decision;
    }
    return this.evaluate(role, principal, context);
  }

  /**
   * Compiled by what it is compiled from, the document (and the role's name, which decisions
   * quote): never by a time, which two updates in one millisecond share.
   */
  #compile(roleName: string, document: string): CompiledPolicy {
    const key = `${roleName}\n${document}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = compilePolicy(parsePolicy(document, 'trust'), { name: roleName, type: 'Trust' });
      if (this.#compiled.size >= MAX_CACHED) this.#compiled.clear();
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}
