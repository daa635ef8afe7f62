// Parses and validates a policy document, refusing anything the real service would refuse with
// a precise path and reason. Untrusted text becomes typed data here, once.
import { PRINCIPAL_KINDS, type ConditionBlock, type PolicyDocument, type PolicyKind, type PolicyStatement, type PrincipalKind } from './document.js';
import { OPERATORS, unsupportedOperatorReason } from './condition/operators.js';
import { compileTest, InvalidValue } from './condition/operator.js';
import { PolicyGrammarError } from './errors.js';
import { MAX_LENGTH } from './limits.js';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'Action', 'NotAction', 'Resource', 'Condition']);
const UNSUPPORTED_KEYS: Record<string, string> = {
  NotResource: 'NotResource is not supported',
  NotPrincipal: 'NotPrincipal is not supported',
};

/** service:action with wildcards, or `*` alone. */
const ACTION = /^(\*|[A-Za-z0-9*?-]+:[A-Za-z0-9*?_.-]+)$/;
const CONDITION_KEY = /^[A-Za-z0-9*?_-]+:[A-Za-z0-9_./*?-]+$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

class Parser {
  constructor(readonly kind: PolicyKind) {}

  fail(path: string, reason: string, statement?: number): never {
    throw new PolicyGrammarError(path, reason, statement);
  }

  /** A string, or a non-empty array of strings. */
  strings(value: unknown, path: string, statement: number, check?: (s: string, p: string) => void): string[] {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) this.fail(path, 'must not be an empty list', statement);
    return list.map((item, i) => {
      const p = Array.isArray(value) ? `${path}[${i}]` : path;
      if (typeof item !== 'string') this.fail(p, 'must be a string', statement);
      if (item === '') this.fail(p, 'must not be empty', statement);
      check?.(item, p);
      return item;
    });
  }

  statement(raw: unknown, i: number): PolicyStatement {
    const path = `Statement[${i}]`;
    if (!isObject(raw)) this.fail(path, 'must be an object', i);
    for (const key of Object.keys(raw)) {
      if (UNSUPPORTED_KEYS[key]) this.fail(`${path}.${key}`, UNSUPPORTED_KEYS[key], i);
      if (!STATEMENT_KEYS.has(key)) this.fail(`${path}.${key}`, `unknown element ${key}`, i);
    }
    const out: PolicyStatement = { Effect: this.effect(raw['Effect'], `${path}.Effect`, i) };
    if (raw['Sid'] !== undefined) {
      if (typeof raw['Sid'] !== 'string') this.fail(`${path}.Sid`, 'must be a string', i);
      out.Sid = raw['Sid'];
    }
    const needsPrincipal = this.kind === 'trust' || this.kind === 'resource' || this.kind === 'bucket';
    if (raw['Principal'] !== undefined) {
      if (!needsPrincipal) this.fail(`${path}.Principal`, `a ${this.kind} policy names no Principal`, i);
      out.Principal = this.kind === 'bucket' ? this.bucketPrincipal(raw['Principal'], `${path}.Principal`, i) : this.principal(raw['Principal'], `${path}.Principal`, i);
    } else if (needsPrincipal) {
      this.fail(`${path}.Principal`, 'is required', i);
    }

    const hasAction = raw['Action'] !== undefined;
    const hasNotAction = raw['NotAction'] !== undefined;
    if (hasAction && hasNotAction) this.fail(path, 'has both Action and NotAction', i);
    if (!hasAction && !hasNotAction) this.fail(`${path}.Action`, 'is required', i);
    const checkAction = (a: string, p: string) => {
      if (!ACTION.test(a)) this.fail(p, `"${a}" is not an action (service:Action, or *)`, i);
    };
    if (hasAction) out.Action = this.strings(raw['Action'], `${path}.Action`, i, checkAction);
    else out.NotAction = this.strings(raw['NotAction'], `${path}.NotAction`, i, checkAction);

    if (raw['Resource'] !== undefined) {
      if (this.kind === 'trust') this.fail(`${path}.Resource`, 'a trust policy names no Resource', i);
      out.Resource = this.strings(raw['Resource'], `${path}.Resource`, i, (r, p) => {
        if (r !== '*' && !/^acs:[^:]*:[^:]*:[^:]*:./.test(r)) this.fail(p, `"${r}" is not * or an ARN (acs:service:region:account:resource)`, i);
      });
    } else if (this.kind !== 'trust') {
      this.fail(`${path}.Resource`, 'is required', i);
    }

    if (raw['Condition'] !== undefined) out.Condition = this.condition(raw['Condition'], `${path}.Condition`, i);
    return out;
  }

  effect(value: unknown, path: string, i: number): 'Allow' | 'Deny' {
    if (value === undefined) this.fail(path, 'is required', i);
    if (value !== 'Allow' && value !== 'Deny') this.fail(path, `must be "Allow" or "Deny", not ${JSON.stringify(value)}`, i);
    return value;
  }

  principal(value: unknown, path: string, i: number): Partial<Record<PrincipalKind, string[]>> {
    if (!isObject(value)) this.fail(path, 'must be an object such as {"RAM": ["acs:ram::<account>:root"]}', i);
    const out: Partial<Record<PrincipalKind, string[]>> = {};
    const keys = Object.keys(value);
    if (keys.length === 0) this.fail(path, 'must name at least one principal', i);
    for (const key of keys) {
      if (!(PRINCIPAL_KINDS as readonly string[]).includes(key)) this.fail(`${path}.${key}`, `unknown principal type ${key} (RAM, Service or Federated)`, i);
      out[key as PrincipalKind] = this.strings(value[key], `${path}.${key}`, i);
    }
    return out;
  }

  /**
   * An OSS bucket policy's principals: a list of UIDs (an account's or a RAM user's), ARNs of
   * roles and role sessions, or "*". The empty list means "*", as OSS documents (and warns).
   */
  bucketPrincipal(value: unknown, path: string, i: number): Partial<Record<PrincipalKind, string[]>> {
    if (Array.isArray(value) && value.length === 0) return { Bucket: ['*'] };
    const entries = this.strings(value, path, i, (entry, p) => {
      if (entry !== '*' && !/^\d+$/.test(entry) && !/^(acs:ram|arn:sts):[^:]*:\d+:(role|assumed-role|user)\/./i.test(entry)) {
        this.fail(p, `"${entry}" is not a principal (a UID, a role or assumed-role ARN, or *)`, i);
      }
    });
    return { Bucket: entries };
  }

  condition(value: unknown, path: string, i: number): ConditionBlock {
    if (!isObject(value)) this.fail(path, 'must be an object of operators', i);
    const out: ConditionBlock = {};
    for (const [operator, block] of Object.entries(value)) {
      const p = `${path}.${operator}`;
      const spec = OPERATORS.get(operator);
      if (spec === undefined) this.fail(p, unsupportedOperatorReason(operator), i);
      if (!isObject(block) || Object.keys(block).length === 0) this.fail(p, 'must be an object of condition keys', i);
      const keys: Record<string, string[]> = {};
      for (const [key, raw] of Object.entries(block)) {
        const kp = `${p}.${key}`;
        if (!CONDITION_KEY.test(key)) this.fail(kp, `"${key}" is not a condition key (service:Name)`, i);
        const list = Array.isArray(raw) ? raw : [raw];
        if (list.length === 0) this.fail(kp, 'must not be an empty list', i);
        const values = list.map((v, j) => {
          const vp = Array.isArray(raw) ? `${kp}[${j}]` : kp;
          if (typeof v === 'string') return v;
          if (typeof v === 'number' && Number.isFinite(v)) return String(v);
          if (typeof v === 'boolean') return String(v);
          return this.fail(vp, 'must be a string, number or boolean', i);
        });
        const test = compileTest(spec, values);
        if (test instanceof InvalidValue) this.fail(kp, `${test.reason} (${operator})`, i);
        keys[key] = values;
      }
      out[operator] = keys;
    }
    return out;
  }
}

/** Parses policy text; throws PolicyGrammarError. */
export function parsePolicy(text: string, kind: PolicyKind = 'identity'): PolicyDocument {
  const max = MAX_LENGTH[kind];
  if (text.length > max) throw new PolicyGrammarError('', `${text.length} characters, more than the ${max} allowed`, undefined, true);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PolicyGrammarError('', `not valid JSON (${(e as Error).message})`);
  }
  return parsePolicyValue(raw, kind);
}

/** Validates an already-decoded JSON value. */
export function parsePolicyValue(raw: unknown, kind: PolicyKind = 'identity'): PolicyDocument {
  // Annotated so TypeScript treats fail() (returns never) as ending the branch.
  const parser: Parser = new Parser(kind);
  if (!isObject(raw)) parser.fail('', 'a policy document must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (key !== 'Version' && key !== 'Statement') parser.fail(key, `unknown element ${key}`);
  }
  if (raw['Version'] === undefined) parser.fail('Version', 'is required');
  if (raw['Version'] !== '1') parser.fail('Version', `must be "1", not ${JSON.stringify(raw['Version'])}`);
  const statements = raw['Statement'];
  if (statements === undefined) parser.fail('Statement', 'is required');
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) parser.fail('Statement', 'must hold at least one statement');
  return { Version: '1', Statement: list.map((s, i) => parser.statement(s, i)) };
}
