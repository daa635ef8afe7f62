// Typed request parameters. Each action declares its parameters once; the lifecycle turns the raw
// strings into typed values (or the product's own error) before anything else sees them.
import { ApiError, CommonErrors } from '../model/index.js';

/** What is wrong with a value; RAM names it in the code (InvalidParameter.UserName.Length). */
export type InvalidKind = 'length' | 'chars' | 'format' | 'range';

/** How a product reports a bad value: RAM says InvalidParameter.<Field>.<Why>, STS InvalidParameter.<Field>. */
export type InvalidParam = (name: string, reason: string, kind: InvalidKind) => ApiError;

export const invalidParameter: InvalidParam = (name, reason) =>
  new ApiError('InvalidParameter', `The specified parameter "${name}" is not valid: ${reason}.`, 400);

/** Current gateways answer Missing<Param>, e.g. MissingRoleArn "RoleArn is mandatory for this action." */
const missingParameter = CommonErrors.missing;

export interface ParamSpec<T> {
  /** Whether an absent parameter is acceptable (then the value is `fallback`). */
  readonly required: boolean;
  readonly fallback: T;
  /**
   * Whether an empty value means the parameter is absent. Not by default: an empty value is a
   * value (NewDisplayName="" clears the name, as Terraform sends it), and one the parameter does
   * not accept is refused like any other bad value, never taken for absence.
   */
  readonly emptyIsAbsent?: boolean;
  parse(raw: string, name: string): T;
  missing(name: string): ApiError;
}

export type ParamSpecs = Record<string, ParamSpec<unknown>>;
export type ParamValues<P extends ParamSpecs> = { [K in keyof P]: P[K] extends ParamSpec<infer T> ? T : never };

interface Common {
  invalid?: InvalidParam;
  missing?: (name: string) => ApiError;
}

function required<T>(parse: (raw: string, name: string) => T, opts: Common): ParamSpec<T> {
  return {
    required: true,
    fallback: undefined as T,
    parse,
    missing: opts.missing ?? missingParameter,
  };
}

export interface StringOptions extends Common {
  min?: number;
  max?: number;
  pattern?: RegExp;
  /** Words for the pattern in error messages, e.g. "letters, digits, '.', '-'". */
  patternText?: string;
  /** Whether a pattern mismatch is about characters (default) or the value's format. */
  patternKind?: InvalidKind;
}

export function string(opts: StringOptions = {}): ParamSpec<string> {
  const invalid = opts.invalid ?? invalidParameter;
  return required((raw, name) => {
    // Lengths count characters (code points), as the real service's limits do.
    const length = [...raw].length;
    if (opts.min !== undefined && length < opts.min) throw invalid(name, `the length must be at least ${opts.min}`, 'length');
    if (opts.max !== undefined && length > opts.max) throw invalid(name, `the length must be at most ${opts.max}`, 'length');
    if (opts.pattern && !opts.pattern.test(raw)) {
      throw invalid(name, opts.patternText ? `it may contain only ${opts.patternText}` : 'it is not in the expected format', opts.patternKind ?? 'chars');
    }
    return raw;
  }, opts);
}

export interface IntegerOptions extends Common {
  min?: number;
  max?: number;
}

export function integer(opts: IntegerOptions = {}): ParamSpec<number> {
  const invalid = opts.invalid ?? invalidParameter;
  return required((raw, name) => {
    if (!/^-?\d{1,15}$/.test(raw)) throw invalid(name, 'it must be an integer', 'format');
    const n = Number(raw);
    if (opts.min !== undefined && n < opts.min) throw invalid(name, `the minimum is ${opts.min}`, 'range');
    if (opts.max !== undefined && n > opts.max) throw invalid(name, `the maximum is ${opts.max}`, 'range');
    return n;
  }, opts);
}

export function boolean(opts: Common = {}): ParamSpec<boolean> {
  const invalid = opts.invalid ?? invalidParameter;
  return required((raw, name) => {
    const v = raw.toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw invalid(name, 'it must be true or false', 'format');
  }, opts);
}

export function oneOf<const T extends string>(values: readonly T[], opts: Common = {}): ParamSpec<T> {
  const invalid = opts.invalid ?? invalidParameter;
  return required((raw, name) => {
    const hit = values.find((v) => v === raw);
    if (hit === undefined) throw invalid(name, `it must be one of ${values.join(', ')}`, 'format');
    return hit;
  }, opts);
}

/** A parameter read by a function of the action's own (e.g. an ARN into its parts). */
export function custom<T>(parse: (raw: string, name: string) => T, opts: Common = {}): ParamSpec<T> {
  return required(parse, opts);
}

/** An optional parameter; absent means `fallback`. */
export function optional<T>(spec: ParamSpec<T>): ParamSpec<T | undefined>;
export function optional<T>(spec: ParamSpec<T>, fallback: T): ParamSpec<T>;
export function optional<T>(spec: ParamSpec<T>, fallback?: T): ParamSpec<T | undefined> {
  return { ...spec, required: false, fallback };
}

/** A parameter for which an empty value means no value (a paging Marker on the first page). */
export function emptyIsAbsent<T>(spec: ParamSpec<T>): ParamSpec<T> {
  return { ...spec, emptyIsAbsent: true };
}

/** Reads every declared parameter from the merged request parameters. */
export function parseParams<P extends ParamSpecs>(specs: P, raw: ReadonlyMap<string, string>): ParamValues<P> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = raw.get(name);
    if (value === undefined || (value === '' && spec.emptyIsAbsent === true)) {
      if (spec.required) throw spec.missing(name);
      out[name] = spec.fallback;
    } else {
      out[name] = spec.parse(value, name);
    }
  }
  return out as ParamValues<P>;
}
