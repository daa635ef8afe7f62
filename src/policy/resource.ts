// Resource patterns. ARNs are case-sensitive; in an ARN an empty region and `*` name the same
// thing (acs:ram::<uid>:role/x = acs:ram:*:<uid>:role/x), so a pattern's empty region becomes `*`.
import { compileWildcard, type Wildcard } from './wildcard.js';

export function normalizeArnPattern(pattern: string): string {
  if (!pattern.startsWith('acs:')) return pattern;
  const parts = pattern.split(':');
  if (parts.length >= 5 && parts[2] === '') parts[2] = '*';
  return parts.join(':');
}

export function compileResource(pattern: string): Wildcard {
  return compileWildcard(normalizeArnPattern(pattern));
}
