// Bool: "true" or "false" (JSON booleans are written the same way), case-insensitive.
import { InvalidValue, type OperatorFamily, type OperatorSpec } from './operator.js';

function parse(text: string): boolean | undefined {
  const t = text.toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

const bool: OperatorFamily<boolean, boolean> = {
  parsePolicyValue: (t) => parse(t) ?? new InvalidValue(`"${t}" is not true or false`),
  parseRequestValue: parse,
  matches: (r, v) => r === v,
};

export const BOOL_OPERATORS: Record<string, OperatorSpec> = {
  Bool: { family: bool, negated: false },
} as Record<string, OperatorSpec>;
