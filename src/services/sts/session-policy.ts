// Session policies (AssumeRole's Policy, AttachInstanceRamRole's Policy): validated once per text.
import { policyApiError, PolicyGrammarError, parsePolicy } from '../../policy/index.js';

/** Session policies already found valid: devices send the same few templates over and over. */
const validSessionPolicies = new Set<string>();
const MAX_REMEMBERED_POLICIES = 10_000;

/** Refuses a session policy the real STS would refuse (InvalidParameter.PolicyGrammar / PolicySize). */
export function checkSessionPolicy(text: string): void {
  if (validSessionPolicies.has(text)) return;
  try {
    parsePolicy(text, 'session');
  } catch (e) {
    if (e instanceof PolicyGrammarError) throw policyApiError('session', e);
    throw e;
  }
  if (validSessionPolicies.size >= MAX_REMEMBERED_POLICIES) validSessionPolicies.clear();
  validSessionPolicies.add(text);
}
