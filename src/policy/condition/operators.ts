// Every condition operator the real service has, by its exact name. There is no ForAnyValue /
// ForAllValues, no Null and no IfExists in the RAM policy language.
import { BOOL_OPERATORS } from './bool.js';
import { DATE_OPERATORS } from './date.js';
import { IP_OPERATORS } from './ip.js';
import { NUMERIC_OPERATORS } from './numeric.js';
import type { OperatorSpec } from './operator.js';
import { STRING_OPERATORS } from './string.js';

export const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map(
  Object.entries({ ...STRING_OPERATORS, ...NUMERIC_OPERATORS, ...DATE_OPERATORS, ...BOOL_OPERATORS, ...IP_OPERATORS }),
);

/** Why an operator name is refused, for the ones people bring from other clouds. */
export function unsupportedOperatorReason(name: string): string {
  if (/^(ForAnyValue|ForAllValues):/.test(name)) return `set operators such as ${name.split(':')[0]} are not supported`;
  if (name === 'Null') return 'the Null operator is not supported';
  if (name.endsWith('IfExists')) return 'IfExists operators are not supported';
  if (/^Arn(Equals|NotEquals|Like|NotLike)$/.test(name)) return `${name} is not supported; use StringLike on the ARN`;
  if (/^Binary/.test(name)) return `${name} is not supported`;
  const hint = [...OPERATORS.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  return hint ? `unknown operator ${name} (operator names are case-sensitive: ${hint})` : `unknown operator ${name}`;
}
