// PostObject: a browser or mobile form upload, authorized by a policy the AppServer signed. The
// policy's expiration and conditions are checked before a byte of the file is stored.
import { OssErrors } from './errors.js';
import { checkObjectKey, userMetadata } from './names.js';

type Condition = Record<string, unknown> | unknown[];

export interface PostPolicyCheck {
  bucket: string;
  key: string;
  now: Date;
}

/** Returns the content-length-range bounds; throws AccessDenied for a policy the form breaks. */
export function checkPostPolicy(policyB64: string, fields: ReadonlyMap<string, string>, check: PostPolicyCheck): { min: number; max: number } {
  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8')) as typeof policy;
  } catch {
    throw OssErrors.invalidArgument('The policy is not valid base64 JSON.', 'policy');
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN;
  if (Number.isNaN(expiration)) throw OssErrors.invalidArgument('The policy has no valid expiration.', 'policy');
  if (expiration < check.now.getTime()) throw OssErrors.accessDenied('Invalid according to Policy: Policy expired.');
  const value = (name: string): string | undefined => {
    const n = name.replace(/^\$/, '').toLowerCase();
    if (n === 'bucket') return check.bucket;
    if (n === 'key') return check.key;
    return fields.get(n);
  };
  let bounds = { min: 0, max: Number.MAX_SAFE_INTEGER };
  const conditions = Array.isArray(policy.conditions) ? (policy.conditions as Condition[]) : [];
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as [unknown, unknown, unknown];
      if (op === 'content-length-range') {
        bounds = { min: Number(a), max: Number(b) };
      } else if (op === 'eq' || op === 'starts-with') {
        const actual = value(String(a)) ?? '';
        const ok = op === 'eq' ? actual === String(b) : actual.startsWith(String(b));
        if (!ok) throw OssErrors.accessDenied(`Invalid according to Policy: Policy Condition failed: ["${op}", "${String(a)}", "${String(b)}"]`);
      } else if (op === 'in') {
        if (!Array.isArray(b) || !b.map(String).includes(value(String(a)) ?? '')) throw OssErrors.accessDenied('Invalid according to Policy: Policy Condition failed.');
      }
    } else if (c && typeof c === 'object') {
      for (const [k, v] of Object.entries(c)) {
        if (value(k) !== String(v)) throw OssErrors.accessDenied(`Invalid according to Policy: Policy Condition failed: ["eq", "$${k}", "${String(v)}"]`);
      }
    }
  }
  return bounds;
}

/** The object key of a form: its key field, with ${filename} replaced by the file's name. */
export function formKey(fields: ReadonlyMap<string, string>, filename: string | undefined): string {
  const key = (fields.get('key') ?? '').replace('${filename}', filename ?? '');
  return checkObjectKey(key);
}

export function formMetadata(fields: ReadonlyMap<string, string>): Record<string, string> {
  return userMetadata(fields);
}
