// The RAM policy language: parse and validate, compile, evaluate, explain. Pure: no I/O, no clock.
export { parsePolicy, parsePolicyValue } from './parse.js';
export { serializePolicy, type PolicyDocument, type PolicyStatement, type PolicyKind, type Effect, type ConditionBlock } from './document.js';
export { PolicyGrammarError, policyApiError } from './errors.js';
export { MAX_CUSTOM_POLICY_LENGTH, MAX_SESSION_POLICY_LENGTH, MAX_TRUST_POLICY_LENGTH } from './limits.js';
export { compilePolicy, type CompiledPolicy, type PolicyRef, type PolicyOrigin, type Decision, type DecisionEffect, type FailedCondition } from './compile.js';
export { PolicySet, evaluateTrust, type AccessRequest } from './evaluate.js';
export { conditionContext, type ConditionContext } from './condition/index.js';
export type { RequestPrincipal } from './principal.js';
export { compileWildcard, type Wildcard, type StepCounter } from './wildcard.js';
