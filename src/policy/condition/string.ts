// String operators. StringEquals is literal; only StringLike/StringNotLike read `*` and `?`.
import { compileWildcard, type Wildcard } from '../wildcard.js';
import type { OperatorFamily, OperatorSpec } from './operator.js';

const exact: OperatorFamily<string, string> = {
  parsePolicyValue: (t) => t,
  parseRequestValue: (t) => t,
  matches: (r, v) => r === v,
};

const ignoreCase: OperatorFamily<string, string> = {
  parsePolicyValue: (t) => t.toLowerCase(),
  parseRequestValue: (t) => t.toLowerCase(),
  matches: (r, v) => r === v,
};

const like: OperatorFamily<Wildcard, string> = {
  parsePolicyValue: (t) => compileWildcard(t),
  parseRequestValue: (t) => t,
  matches: (r, v) => v.test(r),
};

export const STRING_OPERATORS: Record<string, OperatorSpec> = {
  StringEquals: { family: exact, negated: false },
  StringNotEquals: { family: exact, negated: true },
  StringEqualsIgnoreCase: { family: ignoreCase, negated: false },
  StringNotEqualsIgnoreCase: { family: ignoreCase, negated: true },
  StringLike: { family: like, negated: false },
  StringNotLike: { family: like, negated: true },
} as Record<string, OperatorSpec>;
