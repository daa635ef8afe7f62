// RAM's parameters, with the real limits and the real InvalidParameter.<Field>.<Why> codes.
import { boolean, integer, oneOf, optional, string } from '../params.js';
import { ramInvalid } from './errors.js';
import { RamErrors } from './errors.js';

const invalid = ramInvalid;

/** UserName / GroupName: 1–64 letters, digits, '.', '_', '-' (and '@', which older names use). */
export const principalName = () => string({ min: 1, max: 64, pattern: /^[A-Za-z0-9._@-]+$/, patternText: "letters, digits, '.', '_', '-' and '@'", invalid });
/** RoleName: 1–64 letters, digits, '.', '-' (no underscore). */
export const roleName = () => string({ min: 1, max: 64, pattern: /^[A-Za-z0-9.@-]+$/, patternText: "letters, digits, '.' and '-'", invalid });
/** PolicyName: 1–128 letters, digits and '-'. */
export const policyName = () => string({ min: 1, max: 128, pattern: /^[A-Za-z0-9-]+$/, patternText: "letters, digits and '-'", invalid });
// Free text and contact details may be empty: that is how a caller clears them (Terraform sends
// NewDisplayName="" to remove a display name).
export const displayName = () => string({ min: 0, max: 128, invalid });
export const comments = () => string({ min: 0, max: 128, invalid });
export const description = () => string({ min: 0, max: 1024, invalid });
export const mobilePhone = () => string({ pattern: /^$|^\d{1,4}-\d{4,15}$/, patternKind: 'format', invalid });
export const email = () => string({ max: 128, pattern: /^$|^[^\s@]+@[^\s@]+\.[^\s@]+$/, patternKind: 'format', invalid });
export const versionId = () => string({ pattern: /^v[1-9]\d{0,4}$/, patternKind: 'format', invalid });
export const policyType = () => oneOf(['System', 'Custom'] as const, { invalid: () => RamErrors.policyType() });
export const maxSessionDuration = () => integer({ min: 3600, max: 43200, invalid });
export const flag = () => boolean({ invalid });
export const document = () => string({ min: 1, invalid });
export { optional };
