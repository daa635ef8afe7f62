// A policy that cannot be accepted, with where and why; and how each API reports it.
import { ApiError } from '../model/errors.js';
import type { PolicyKind } from './document.js';

export class PolicyGrammarError extends Error {
  /** JSON path of the offending element, e.g. Statement[1].Condition.StringEquals. */
  readonly path: string;
  /** Index of the offending statement, when there is one. */
  readonly statement: number | undefined;
  readonly reason: string;
  readonly tooLong: boolean;

  constructor(path: string, reason: string, statement?: number, tooLong = false) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'PolicyGrammarError';
    this.path = path;
    this.reason = reason;
    this.statement = statement;
    this.tooLong = tooLong;
  }
}

/**
 * How each API reports a refused document, with the real codes:
 * - STS AssumeRole's session policy: InvalidParameter.PolicyGrammar ("The parameter Policy has not
 *   passed grammar check.") and InvalidParameter.PolicySize.
 * - RAM (CreatePolicy, CreatePolicyVersion, CreateRole, UpdateRole): MalformedPolicyDocument with
 *   the details as its message, and InvalidParameter.<Parameter>.Length for a document too long.
 * The real messages carry no position; ours add the path and reason after the real text.
 */
export function policyApiError(kind: PolicyKind, e: PolicyGrammarError, parameter = 'PolicyDocument'): ApiError {
  if (kind === 'session') {
    return e.tooLong
      ? new ApiError('InvalidParameter.PolicySize', 'The size of Policy must be smaller than 2048 bytes.', 400)
      : new ApiError('InvalidParameter.PolicyGrammar', `The parameter Policy has not passed grammar check. ${e.message}.`, 400);
  }
  if (e.tooLong) {
    return new ApiError(`InvalidParameter.${parameter}.Length`, `The maximum length of the policy document is exceeded: ${e.reason}.`, 400);
  }
  return new ApiError('MalformedPolicyDocument', `The policy document is malformed: ${e.message}.`, 400);
}
