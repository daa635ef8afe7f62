// The decision. Default deny; an explicit Deny in any applicable policy wins; otherwise allowed
// when an Allow matches. For an STS session the session policy must allow as well: it can only
// narrow the role's rights. Pure: no I/O, no clock (the time is acs:CurrentTime in the context).
import { describePolicy, type CompiledPolicy, type CompiledStatement, type Decision, type PolicyRef } from './compile.js';
import { conditionsHold, failingCondition, type ConditionContext } from './condition/index.js';
import type { RequestPrincipal } from './principal.js';
import { ignoresCase } from './resource.js';
import { StatementIndex } from './statement-index.js';
import { anyMatches } from './wildcard.js';

export interface AccessRequest {
  action: string;
  /** The resource ARN; absent for requests on no resource (a trust policy's AssumeRole). */
  resource?: string;
  /** The caller, for policies that name principals (trust and resource policies). */
  principal?: RequestPrincipal;
  context: ConditionContext;
}

/**
 * The statement names the request's resource and principal (its action was matched by the
 * index, its conditions aside). resource: the request's in the form it is compared in; folded:
 * it is a lower-cased RAM name.
 */
function statementMatches(s: CompiledStatement, resource: string | undefined, folded: boolean, req: AccessRequest): boolean {
  const patterns = folded ? s.foldedResources : s.resources;
  if (patterns !== undefined && (resource === undefined || !anyMatches(patterns, resource))) return false;
  return s.principal === undefined || (req.principal !== undefined && s.principal.matches(req.principal));
}

/** The first statement (in policy order) that applies to the request. */
function firstApplying(statements: readonly CompiledStatement[], resource: string | undefined, folded: boolean, req: AccessRequest): CompiledStatement | undefined {
  for (const s of statements) if (statementMatches(s, resource, folded, req) && conditionsHold(s.conditions, req.context)) return s;
  return undefined;
}

/**
 * For a request nothing allowed: the first Allow (in policy order) that names its action,
 * resource and principal and was kept from applying only by a condition. Asked only once a
 * request is refused, so allowed requests never pay for it.
 */
function nearMiss(allows: readonly CompiledStatement[], resource: string | undefined, folded: boolean, req: AccessRequest): Decision | undefined {
  for (const s of allows) {
    if (s.conditions.length === 0 || !statementMatches(s, resource, folded, req)) continue;
    const c = failingCondition(s.conditions, req.context);
    if (c === undefined) continue;
    const actual = req.context.get(c.lookup);
    const ref = s.verdict.policy!;
    return {
      effect: 'ImplicitDeny',
      policy: ref,
      statement: s.index,
      ...(s.sid !== undefined ? { sid: s.sid } : {}),
      condition: { operator: c.operator, key: c.key, values: c.values, ...(actual !== undefined ? { actual } : {}) },
      reason:
        `no Allow matched: statement ${s.index}${s.sid ? ` (${s.sid})` : ''} of ${describePolicy(ref)} allows it only when ` +
        `${c.operator} ${c.key} ${JSON.stringify(c.values)}, and the request has ${actual === undefined ? `no ${c.key}` : `${c.key} = ${JSON.stringify(actual)}`}`,
    };
  }
  return undefined;
}

const NO_ALLOW: Decision = { effect: 'ImplicitDeny', reason: 'no Allow matched: no statement of the applicable policies allows this request' };
const NO_POLICY: Decision = { effect: 'ImplicitDeny', reason: 'no Allow matched: no policy applies to this principal' };

function sessionDeny(ref: PolicyRef): Decision {
  return { effect: 'ImplicitDeny', policy: ref, reason: `no Allow matched in ${ref.type} policy ${ref.name}: a session policy can only narrow the role's rights` };
}

/**
 * The policies that apply to one principal, indexed once and evaluated many times.
 * - identity: the principal's own policies (a user's and its groups', or a role's);
 * - resource: policies attached to the resource (e.g. a bucket policy), which may allow alone;
 * - session: an STS session policy, which must allow as well.
 */
export class PolicySet {
  readonly #main: StatementIndex;
  /** The session policy's statements, and the refusal when none of them allows. */
  readonly #session: { index: StatementIndex; ref: PolicyRef; refusal: Decision } | undefined;

  constructor(identity: readonly CompiledPolicy[], options: { resource?: readonly CompiledPolicy[]; session?: CompiledPolicy } = {}) {
    this.#main = new StatementIndex([...identity, ...(options.resource ?? [])]);
    const session = options.session;
    if (session) this.#session = { index: new StatementIndex([session]), ref: session.ref, refusal: sessionDeny(session.ref) };
  }

  /** The decision: Allow, or the deciding Deny, or an implicit deny. */
  evaluate(req: AccessRequest): Decision {
    return this.#decide(req, false);
  }

  /**
   * The decision, and for an implicit deny the Allow statement a condition kept from applying
   * (with that condition and the request's value), when there is one: what a refusal tells the
   * audit trail. Costs a second look at the statements, so only refusals pay for it.
   */
  explain(req: AccessRequest): Decision {
    return this.#decide(req, true);
  }

  #decide(req: AccessRequest, explain: boolean): Decision {
    // RAM names are compared in lower case on both sides (resource.ts).
    const folded = req.resource !== undefined && ignoresCase(req.resource);
    const resource = folded ? req.resource?.toLowerCase() : req.resource;
    // An explicit Deny anywhere wins, so the Denies are asked first; the rest only if none applies.
    const main = this.#main.forAction(req.action);
    const mainDeny = firstApplying(main.denies, resource, folded, req);
    if (mainDeny) return mainDeny.verdict;
    if (this.#session !== undefined) {
      const session = this.#session.index.forAction(req.action);
      const sessionDeny = firstApplying(session.denies, resource, folded, req);
      if (sessionDeny) return sessionDeny.verdict;
      if (firstApplying(session.allows, resource, folded, req) === undefined) {
        return (explain ? nearMiss(session.allows, resource, folded, req) : undefined) ?? this.#session.refusal;
      }
    }
    const allow = firstApplying(main.allows, resource, folded, req);
    if (allow) return allow.verdict;
    if (this.#main.size === 0) return NO_POLICY;
    return (explain ? nearMiss(main.allows, resource, folded, req) : undefined) ?? NO_ALLOW;
  }

  get sessionPolicy(): PolicyRef | undefined {
    return this.#session?.ref;
  }
}

/**
 * Each compiled trust policy's set, made once: trust is asked at every request a session makes,
 * and a set built per call would pick out its statements for the action (statement-index.ts)
 * only to throw them away.
 */
const trustSets = new WeakMap<CompiledPolicy, PolicySet>();

/** A role's trust policy decides who may assume it: the caller must be named by an Allow. */
export function evaluateTrust(trust: CompiledPolicy, principal: RequestPrincipal, context: ConditionContext, action = 'sts:AssumeRole'): Decision {
  let set = trustSets.get(trust);
  if (set === undefined) trustSets.set(trust, (set = new PolicySet([trust])));
  const decision = set.explain({ action, principal, context });
  if (decision.effect !== 'ImplicitDeny' || decision.condition !== undefined) return decision;
  return { effect: 'ImplicitDeny', policy: trust.ref, reason: `the trust policy of ${trust.ref.name} does not allow this principal to ${action}` };
}
