// A statement's Condition block, compiled: every (operator, key) pair must hold (AND); within a
// pair, any one of the values may match (OR).
import type { ConditionBlock } from '../document.js';
import { compileTest, InvalidValue, type ValueTest } from './operator.js';
import { OPERATORS } from './operators.js';

/** Request facts by condition key. Keys are compared without regard to case, so they are stored lower-case. */
export type ConditionContext = ReadonlyMap<string, string>;

export function conditionContext(values: Record<string, string | undefined>): ConditionContext {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out.set(k.toLowerCase(), v);
  return out;
}

export interface CompiledCondition {
  operator: string;
  key: string;
  /** Lower-cased key, as found in the context. */
  lookup: string;
  negated: boolean;
  /** The values as written, for explanations. */
  values: readonly string[];
  test: ValueTest;
}

/** Compiles a block already validated by the parser. */
export function compileConditions(block: ConditionBlock | undefined): CompiledCondition[] {
  const out: CompiledCondition[] = [];
  for (const [operator, keys] of Object.entries(block ?? {})) {
    const spec = OPERATORS.get(operator);
    if (spec === undefined) throw new Error(`unvalidated operator ${operator}`);
    for (const [key, values] of Object.entries(keys)) {
      const test = compileTest(spec, values);
      if (test instanceof InvalidValue) throw new Error(`unvalidated value: ${test.reason}`);
      out.push({ operator, key, lookup: key.toLowerCase(), negated: spec.negated, values: [values].flat().map(String), test });
    }
  }
  return out;
}

/**
 * A key the request does not carry: positive operators fail and negated ones hold, as in AWS
 * (no Alibaba source settles it [U]). So "Deny unless StringEquals" stays safe, and a
 * StringNotEquals guard on an absent key does not block.
 */
export function conditionsHold(conditions: readonly CompiledCondition[], context: ConditionContext): boolean {
  for (const c of conditions) {
    const value = context.get(c.lookup);
    if (value === undefined ? !c.negated : !c.test(value)) return false;
  }
  return true;
}

/** The first condition that does not hold, for explanations. */
export function failingCondition(conditions: readonly CompiledCondition[], context: ConditionContext): CompiledCondition | undefined {
  return conditions.find((c) => {
    const value = context.get(c.lookup);
    return value === undefined ? !c.negated : !c.test(value);
  });
}
