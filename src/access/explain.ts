// A decision in words, for the audit trail and `rampart audit explain`: what was decided, for whom,
// on what, and why (the deciding statement, or the condition that kept one from allowing).
import { principalArn, type Principal } from '../model/index.js';
import type { Decision } from '../policy/index.js';

export function explainDecision(caller: Principal, permission: string, resource: string, decision: Decision): string {
  return `${decision.effect} of ${permission} on ${resource} for ${principalArn(caller)}: ${decision.reason}`;
}
