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

const RAM_NAMED = /^acs:ram:[^:]*:[^:]*:(?:user|group|role|policy)\//i;

/** Whether the resource names a RAM user, group, role or policy, whose names ignore case. */
export function ignoresCase(resource: string): boolean {
  return RAM_NAMED.test(resource);
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
