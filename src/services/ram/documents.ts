import { parsePolicy, policyApiError, PolicyGrammarError, type PolicyKind } from '../../policy/index.js';

/** Refuses a policy document the real service would refuse, naming the parameter it came in. */
export function checkDocument(text: string, kind: PolicyKind, parameter: string): void {
  try {
    parsePolicy(text, kind);
  } catch (e) {
    if (e instanceof PolicyGrammarError) throw policyApiError(kind, e, parameter);
    throw e;
  }
}
