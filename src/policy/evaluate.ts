// The decision. Default deny; an explicit Deny in any applicable policy wins; otherwise allowed
// when an Allow matches. For an STS session the session policy must allow as well: it can only
// narrow the role's rights. Pure: no I/O, no clock (the time is acs:CurrentTime in the context).
import { normalizeAction } from './action.js';
import { describePolicy, type CompiledPolicy, type CompiledStatement, type Decision, type PolicyRef } from './compile.js';
import { conditionsHold, failingCondition, type ConditionContext } from './condition/index.js';
import type { RequestPrincipal } from './principal.js';
import { ignoresCase } from './resource.js';

export interface AccessRequest {
  action: string;
  /** The resource ARN; absent for requests on no resource (a trust policy's AssumeRole). */
  resource?: string;
  /** The caller, for policies that name principals (trust and resource policies). */
  principal?: RequestPrincipal;
  context: ConditionContext;
}

interface Entry {
  seq: number;
  statement: CompiledStatement;
}

/** Statements indexed by the service their actions name, so a request looks at few of them. */
class StatementIndex {
  readonly #byService = new Map<string, Entry[]>();
  readonly #anyService: Entry[] = [];
  readonly size: number;

  constructor(policies: readonly CompiledPolicy[]) {
    let seq = 0;
    for (const policy of policies) {
      for (const statement of policy.statements) {
        const entry = { seq: seq++, statement };
        if (statement.services === undefined) this.#anyService.push(entry);
        else {
          for (const service of statement.services) {
            let list = this.#byService.get(service);
            if (list === undefined) this.#byService.set(service, (list = []));
            list.push(entry);
          }
        }
      }
    }
    this.size = seq;
  }

  /** The first (in policy order) matching Deny and Allow. */
  /** resource: the request's in the form it is compared in; folded: it is a lower-cased RAM name. */
  scan(action: string, service: string, resource: string | undefined, folded: boolean, req: AccessRequest): { deny: Entry | undefined; allow: Entry | undefined } {
    let deny: Entry | undefined;
    let allow: Entry | undefined;
    for (const list of [this.#byService.get(service), this.#anyService]) {
      if (list === undefined) continue;
      for (const entry of list) {
        const s = entry.statement;
        if (s.effect === 'Deny' ? deny !== undefined && deny.seq < entry.seq : allow !== undefined && allow.seq < entry.seq) continue;
        if (!statementApplies(s, action, resource, folded, req)) continue;
        if (s.effect === 'Deny') deny = entry;
        else allow = entry;
      }
    }
    return { deny, allow };
  }

  /**
   * For a request nothing allowed: the first Allow (in policy order) that names its action,
   * resource and principal and was kept from applying only by a condition. Asked only once a
   * request is refused, so allowed requests never pay for it.
   */
  nearMiss(action: string, service: string, resource: string | undefined, folded: boolean, req: AccessRequest): Decision | undefined {
    let best: Entry | undefined;
    for (const list of [this.#byService.get(service), this.#anyService]) {
      if (list === undefined) continue;
      for (const entry of list) {
        const s = entry.statement;
        if (s.effect !== 'Allow' || s.conditions.length === 0 || (best !== undefined && best.seq < entry.seq)) continue;
        if (!statementMatches(s, action, resource, folded, req) || failingCondition(s.conditions, req.context) === undefined) continue;
        best = entry;
      }
    }
    if (best === undefined) return undefined;
    const { statement: s } = best;
    const c = failingCondition(s.conditions, req.context)!;
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
}

function anyMatches(patterns: readonly { test(t: string): boolean }[], text: string): boolean {
  for (const p of patterns) if (p.test(text)) return true;
  return false;
}

/** The statement names the request's action, resource and principal (its conditions aside). */
function statementMatches(s: CompiledStatement, action: string, resource: string | undefined, folded: boolean, req: AccessRequest): boolean {
  if (s.actions !== undefined ? !anyMatches(s.actions, action) : s.notActions !== undefined && anyMatches(s.notActions, action)) return false;
  const patterns = folded ? s.foldedResources : s.resources;
  if (patterns !== undefined && (resource === undefined || !anyMatches(patterns, resource))) return false;
  return s.principal === undefined || (req.principal !== undefined && s.principal.matches(req.principal));
}

function statementApplies(s: CompiledStatement, action: string, resource: string | undefined, folded: boolean, req: AccessRequest): boolean {
  return statementMatches(s, action, resource, folded, req) && conditionsHold(s.conditions, req.context);
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
  readonly #session: StatementIndex | undefined;
  readonly #sessionRef: PolicyRef | undefined;
  readonly #sessionDeny: Decision | undefined;

  constructor(identity: readonly CompiledPolicy[], options: { resource?: readonly CompiledPolicy[]; session?: CompiledPolicy } = {}) {
    this.#main = new StatementIndex([...identity, ...(options.resource ?? [])]);
    if (options.session) {
      this.#session = new StatementIndex([options.session]);
      this.#sessionRef = options.session.ref;
      this.#sessionDeny = sessionDeny(options.session.ref);
    }
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
    const action = normalizeAction(req.action);
    const colon = action.indexOf(':');
    const service = colon < 0 ? action : action.slice(0, colon);
    // RAM names are compared in lower case on both sides (resource.ts).
    const folded = req.resource !== undefined && ignoresCase(req.resource);
    const resource = folded ? req.resource?.toLowerCase() : req.resource;
    const main = this.#main.scan(action, service, resource, folded, req);
    const session = this.#session?.scan(action, service, resource, folded, req);
    if (main.deny) return main.deny.statement.verdict;
    if (session?.deny) return session.deny.statement.verdict;
    if (session !== undefined && session.allow === undefined && this.#sessionDeny) {
      return (explain ? this.#session?.nearMiss(action, service, resource, folded, req) : undefined) ?? this.#sessionDeny;
    }
    if (main.allow) return main.allow.statement.verdict;
    if (this.#main.size === 0) return NO_POLICY;
    return (explain ? this.#main.nearMiss(action, service, resource, folded, req) : undefined) ?? NO_ALLOW;
  }

  get sessionPolicy(): PolicyRef | undefined {
    return this.#sessionRef;
  }
}

/** A role's trust policy decides who may assume it: the caller must be named by an Allow. */
export function evaluateTrust(trust: CompiledPolicy, principal: RequestPrincipal, context: ConditionContext, action = 'sts:AssumeRole'): Decision {
  const decision = new PolicySet([trust]).explain({ action, principal, context });
  if (decision.effect !== 'ImplicitDeny' || decision.condition !== undefined) return decision;
  return { effect: 'ImplicitDeny', policy: trust.ref, reason: `the trust policy of ${trust.ref.name} does not allow this principal to ${action}` };
}
