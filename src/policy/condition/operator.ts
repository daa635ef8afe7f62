// What every condition operator family provides. A family parses the policy's values once, at
// compile time, and then tests a request value against them. Negated operators (StringNotEquals,
// NotIpAddress, ...) hold when no value matches.

export interface OperatorFamily<V, R> {
  /** Parses one value written in a policy; an InvalidValue says why it cannot be used. */
  parsePolicyValue(text: string): V | InvalidValue;
  /** Reads the request's value; undefined when it is not of this family's type. */
  parseRequestValue(text: string): R | undefined;
  matches(request: R, value: V): boolean;
}

/** Texts remembered per parse; past it the memory starts over (it stays small whatever comes). */
const REMEMBERED = 256;

/**
 * Remembers what recent texts parsed to. A request's IP address or time is read by every
 * condition that tests it, often dozens per decision, and the same callers (and seconds) come
 * back request after request, interleaved: parsing each text once is most of those conditions'
 * cost. The parse is a pure function, so the memory changes no answer.
 */
export function recentlyParsed<R>(parse: (text: string) => R | undefined): (text: string) => R | undefined {
  const memory = new Map<string, R | undefined>();
  return (text) => {
    const known = memory.get(text);
    if (known !== undefined || memory.has(text)) return known;
    const parsed = parse(text);
    if (memory.size >= REMEMBERED) memory.clear();
    memory.set(text, parsed);
    return parsed;
  };
}

export class InvalidValue {
  constructor(readonly reason: string) {}
}

export interface OperatorSpec {
  family: OperatorFamily<unknown, unknown>;
  negated: boolean;
}

/** A compiled condition test: the policy's values parsed, ready for request values. */
export type ValueTest = (requestValue: string) => boolean;

export function compileTest(spec: OperatorSpec, policyValues: readonly string[]): ValueTest | InvalidValue {
  const { family, negated } = spec;
  const values: unknown[] = [];
  for (const text of policyValues) {
    const v = family.parsePolicyValue(text);
    if (v instanceof InvalidValue) return v;
    values.push(v);
  }
  return (requestValue: string) => {
    const r = family.parseRequestValue(requestValue);
    // A request value of the wrong type matches none of the policy's values.
    let any = false;
    if (r !== undefined) {
      for (const v of values) {
        if (family.matches(r, v)) {
          any = true;
          break;
        }
      }
    }
    return negated ? !any : any;
  };
}
