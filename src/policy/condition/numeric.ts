// Numeric operators: decimal numbers, written as JSON numbers or strings.
import { InvalidValue, type OperatorFamily, type OperatorSpec } from './operator.js';

const NUMBER = /^-?\d+(\.\d+)?$/;

function family(compare: (r: number, v: number) => boolean): OperatorFamily<number, number> {
  return {
    parsePolicyValue: (t) => (NUMBER.test(t) ? Number(t) : new InvalidValue(`"${t}" is not a number`)),
    parseRequestValue: (t) => (NUMBER.test(t) ? Number(t) : undefined),
    matches: compare,
  };
}

const equals = family((r, v) => r === v);

export const NUMERIC_OPERATORS: Record<string, OperatorSpec> = {
  NumericEquals: { family: equals, negated: false },
  NumericNotEquals: { family: equals, negated: true },
  NumericLessThan: { family: family((r, v) => r < v), negated: false },
  NumericLessThanEquals: { family: family((r, v) => r <= v), negated: false },
  NumericGreaterThan: { family: family((r, v) => r > v), negated: false },
  NumericGreaterThanEquals: { family: family((r, v) => r >= v), negated: false },
} as Record<string, OperatorSpec>;
