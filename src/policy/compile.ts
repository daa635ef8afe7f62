// A parsed document compiled once into matchers, so evaluation does no parsing and little
// allocation. Each compiled statement carries its ready-made verdicts for explanations.
import { compileAction } from './action.js';
import { compileConditions, type CompiledCondition } from './condition/index.js';
import type { Effect, PolicyDocument, PolicyStatement } from './document.js';
import { compilePrincipal, type PrincipalMatcher } from './principal.js';
import { compileResource } from './resource.js';
import type { Wildcard } from './wildcard.js';

/** Where a policy in a decision came from: attached (System, Custom), or given with the request or resource. */
export type PolicyOrigin = 'System' | 'Custom' | 'Session' | 'Trust' | 'Resource';

/** Names the policy a decision came from. */
export interface PolicyRef {
  name: string;
  type: PolicyOrigin;
  version?: string;
}

export type DecisionEffect = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface Decision {
  effect: DecisionEffect;
  /**
   * The deciding policy and statement. For an implicit deny, the statement that would have
   * allowed the request but for a condition (with that condition), when there is one.
   */
  policy?: PolicyRef;
  statement?: number;
  sid?: string;
  /** The condition that kept that statement from allowing, and what the request carried. */
  condition?: FailedCondition;
  reason: string;
}

export interface FailedCondition {
  operator: string;
  key: string;
  values: readonly string[];
  /** The request's value for the key; absent when the request carries none. */
  actual?: string;
}

export interface CompiledStatement {
  index: number;
  sid: string | undefined;
  effect: Effect;
  actions: readonly Wildcard[] | undefined;
  notActions: readonly Wildcard[] | undefined;
  /** undefined: the statement names no Resource (trust policies) and applies to any. */
  resources: readonly Wildcard[] | undefined;
  /** The same patterns lower-cased, for resources compared in canonical form (RAM names). */
  foldedResources: readonly Wildcard[] | undefined;
  principal: PrincipalMatcher | undefined;
  conditions: readonly CompiledCondition[];
  /** The decision this statement makes when it matches. */
  verdict: Decision;
}

export interface CompiledPolicy {
  ref: PolicyRef;
  statements: readonly CompiledStatement[];
}

export function describePolicy(ref: PolicyRef): string {
  return `${ref.type} policy ${ref.name}${ref.version ? ` (${ref.version})` : ''}`;
}

function compileStatement(s: PolicyStatement, index: number, ref: PolicyRef): CompiledStatement {
  const verdict: Decision = {
    effect: s.Effect === 'Allow' ? 'Allow' : 'ExplicitDeny',
    policy: ref,
    statement: index,
    ...(s.Sid !== undefined ? { sid: s.Sid } : {}),
    reason: `${s.Effect === 'Allow' ? 'allowed' : 'explicitly denied'} by statement ${index}${s.Sid ? ` (${s.Sid})` : ''} of ${describePolicy(ref)}`,
  };
  return {
    index,
    sid: s.Sid,
    effect: s.Effect,
    actions: s.Action?.map(compileAction),
    notActions: s.NotAction?.map(compileAction),
    ...compileResources(s.Resource),
    principal: s.Principal ? compilePrincipal(s.Principal) : undefined,
    conditions: compileConditions(s.Condition),
    verdict,
  };
}

function compileResources(patterns: readonly string[] | undefined): Pick<CompiledStatement, 'resources' | 'foldedResources'> {
  const compiled = patterns?.map(compileResource);
  return { resources: compiled?.map((p) => p.exact), foldedResources: compiled?.map((p) => p.folded) };
}

export function compilePolicy(doc: PolicyDocument, ref: PolicyRef): CompiledPolicy {
  return { ref, statements: doc.Statement.map((s, i) => compileStatement(s, i, ref)) };
}
