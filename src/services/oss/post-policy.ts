// A PostObject form's policy, the one its AppServer signed: its expiration and conditions are
// checked before a byte of the file is stored.
import { ApiError, parseIsoTime } from '../../model/index.js';
import { OssErrors } from './errors.js';

export interface PostPolicyCheck {
  bucket: string;
  key: string;
  now: Date;
}

/** The real service's answer to a policy it cannot read. */
const invalidPolicy = (why: string) => new ApiError('InvalidPolicyDocument', `Invalid Policy: ${why}`, 400);
const failed = (condition: unknown) => OssErrors.accessDenied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);

/** A form field named by a condition: "$key", "$x-oss-meta-a" (the $ is required). */
function fieldName(value: unknown, condition: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('$') || value.length < 2) throw invalidPolicy(`Invalid Condition: ${JSON.stringify(condition)}: the field must be a string such as "$key".`);
  return value.slice(1).toLowerCase();
}

function text(value: unknown, condition: unknown): string {
  if (typeof value !== 'string') throw invalidPolicy(`Invalid Condition: ${JSON.stringify(condition)}: the value must be a string.`);
  return value;
}

/** A content-length-range bound: a whole number of bytes, written as a JSON number or in digits. */
function bound(value: unknown, condition: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalidPolicy(`Invalid content-length-range: ${JSON.stringify(condition)}: the bounds must be whole numbers of bytes.`);
  return n;
}

/**
 * Checks a form against the policy its AppServer signed and returns the size bounds. Every part of
 * the policy must be understood: a condition that cannot be read (a misspelt operator, a bound
 * that is no number) refuses the upload rather than being skipped, since skipping it would lift
 * the limit it was written to impose. Operators: eq, starts-with, in, not-in, content-length-range,
 * and the one-property object form of eq.
 */
export function checkPostPolicy(policyB64: string, fields: ReadonlyMap<string, string>, check: PostPolicyCheck): { min: number; max: number } {
  let policy: unknown;
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw invalidPolicy('The policy must be a JSON object.');
  const { expiration: expirationText, conditions } = policy as Record<string, unknown>;
  const expiration = typeof expirationText === 'string' ? parseIsoTime(expirationText, { offsets: true }) : undefined;
  if (expiration === undefined) throw invalidPolicy('Invalid expiration: it must be an ISO 8601 time.');
  if (!Array.isArray(conditions)) throw invalidPolicy('Invalid conditions: they must be a list.');
  if (expiration < check.now.getTime()) throw OssErrors.accessDenied('Invalid according to Policy: Policy expired.');
  const value = (name: string): string => {
    if (name === 'bucket') return check.bucket;
    if (name === 'key') return check.key;
    return fields.get(name) ?? '';
  };
  let bounds = { min: 0, max: Number.MAX_SAFE_INTEGER };
  for (const c of conditions as unknown[]) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as unknown[];
      if (c.length !== 3) throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}: a condition has an operator and two operands.`);
      switch (op) {
        case 'content-length-range': {
          const min = bound(a, c);
          const max = bound(b, c);
          if (min > max) throw invalidPolicy(`Invalid content-length-range: ${JSON.stringify(c)}: the minimum is larger than the maximum.`);
          bounds = { min: Math.max(bounds.min, min), max: Math.min(bounds.max, max) };
          break;
        }
        case 'eq':
        case 'starts-with': {
          const actual = value(fieldName(a, c));
          const expected = text(b, c);
          if (op === 'eq' ? actual !== expected : !actual.startsWith(expected)) throw failed(c);
          break;
        }
        case 'in':
        case 'not-in': {
          const actual = value(fieldName(a, c));
          if (!Array.isArray(b) || !b.every((v) => typeof v === 'string')) throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}: ${op} takes a list of strings.`);
          if ((b as string[]).includes(actual) !== (op === 'in')) throw failed(c);
          break;
        }
        default:
          throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}: unknown operator ${JSON.stringify(op)}.`);
      }
    } else if (c !== null && typeof c === 'object') {
      const entries = Object.entries(c);
      if (entries.length !== 1) throw invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
      const [name, expected] = entries[0] as [string, unknown];
      if (value(name.replace(/^\$/, '').toLowerCase()) !== text(expected, c)) throw failed(['eq', `$${name}`, expected]);
    } else {
      throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}: a condition is a list or an object.`);
    }
  }
  return bounds;
}
