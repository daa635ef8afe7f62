// Resource patterns. In an ARN an empty region and `*` name the same thing
// (acs:ram::<uid>:role/x = acs:ram:*:<uid>:role/x), so a pattern's empty region becomes `*`.
//
// Case: ARNs are compared case-sensitively (OSS keys are case-sensitive), except the names of RAM
// users, groups, roles and policies, which the service looks up without regard to case: there is
// one role "Admin", whether a request says admin or ADMIN, and Alibaba's own documents write role
// ARNs in lower case (acs:ram:*:*:role/aliyunecsaccessinghbrrole). Such a resource is compared in
// one canonical form, lower case, on both sides: the request's ARN and every pattern tested
// against it. A decision never depends on the case either side used.
import { compileWildcard, type Wildcard } from './wildcard.js';

export function normalizeArnPattern(pattern: string): string {
  if (!pattern.startsWith('acs:')) return pattern;
  const parts = pattern.split(':');
  if (parts.length >= 5 && parts[2] === '') parts[2] = '*';
  return parts.join(':');
}

const RAM_PREFIX = 'acs:ram:';
/** The kinds whose names ignore case, by their first letter (u, g, r, p). */
const RAM_NAMED_KINDS = new Map([
  [0x75, 'user/'],
  [0x67, 'group/'],
  [0x72, 'role/'],
  [0x70, 'policy/'],
]);

/** Whether text holds word at position at (compared by character codes: startsWith costs more). */
function holdsAt(text: string, word: string, at: number): boolean {
  if (text.length < at + word.length) return false;
  for (let i = 0; i < word.length; i++) if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * Whether the resource names a RAM user, group, role or policy, whose names ignore case:
 * acs:ram:<region>:<account>:<kind>/... Every decision asks, so it is read by hand and cheaply:
 * most resources (OSS, ECS, `*`) are turned away by their fifth character.
 */
export function ignoresCase(resource: string): boolean {
  if (resource.charCodeAt(4) !== 0x72 /* r */ || !holdsAt(resource, RAM_PREFIX, 0)) return false;
  const afterRegion = resource.indexOf(':', RAM_PREFIX.length);
  const afterAccount = afterRegion < 0 ? -1 : resource.indexOf(':', afterRegion + 1);
  if (afterAccount < 0) return false;
  const kind = RAM_NAMED_KINDS.get(resource.charCodeAt(afterAccount + 1));
  return kind !== undefined && holdsAt(resource, kind, afterAccount + 1);
}

/** The form a resource is compared in: RAM names lower-cased, anything else as it is. */
export function canonicalResource(resource: string): string {
  return ignoresCase(resource) ? resource.toLowerCase() : resource;
}

/** A pattern, compiled for exact comparison and for canonical (case-folded) resources. */
export interface ResourcePattern {
  exact: Wildcard;
  folded: Wildcard;
}

export function compileResource(pattern: string): ResourcePattern {
  const normalized = normalizeArnPattern(pattern);
  const exact = compileWildcard(normalized);
  const lower = normalized.toLowerCase();
  return { exact, folded: lower === normalized ? exact : compileWildcard(lower) };
}
