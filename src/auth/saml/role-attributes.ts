// Alibaba Cloud's role-based SSO attributes ("SAML response for role-based SSO", RAM user guide):
// Role (required; each value "<role ARN>,<SAML provider ARN>"), RoleSessionName (required, one
// value, 2–64 of letters, digits and - _ . @ =) and SessionDuration (optional, one value, seconds,
// at least 900 and at most the role's maximum).
import { ApiError } from '../../model/index.js';
import { SamlErrors } from './errors.js';

export const ATTRIBUTE = {
  role: 'https://www.aliyun.com/SAML-Role/Attributes/Role',
  roleSessionName: 'https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName',
  sessionDuration: 'https://www.aliyun.com/SAML-Role/Attributes/SessionDuration',
} as const;

export interface RoleEntitlement {
  roleArn: string;
  providerArn: string;
}

export interface RoleAttributes {
  roles: RoleEntitlement[];
  roleSessionName: string;
  sessionDuration?: number;
}

const ROLE = /^acs:ram:[^:]*:[^:]+:role\//;
const PROVIDER = /^acs:ram:[^:]*:[^:]+:saml-provider\//;

/**
 * One value of the Role attribute. The documented order is role, then provider; either order is
 * read, and spaces around the comma are ignored [U] (each ARN says what it is). A value that is
 * no such pair entitles to nothing.
 */
function entitlement(value: string): RoleEntitlement | undefined {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length !== 2) return undefined;
  const [a = '', b = ''] = parts;
  if (ROLE.test(a) && PROVIDER.test(b)) return { roleArn: a, providerArn: b };
  if (PROVIDER.test(a) && ROLE.test(b)) return { roleArn: b, providerArn: a };
  return undefined;
}

const SESSION_NAME = /^[A-Za-z0-9_.@=-]{2,64}$/;

export function readRoleAttributes(attributes: ReadonlyMap<string, readonly string[]>): RoleAttributes {
  const roles = (attributes.get(ATTRIBUTE.role) ?? []).flatMap((v) => entitlement(v) ?? []);
  if (roles.length === 0) throw SamlErrors.invalid(`the assertion has no ${ATTRIBUTE.role} attribute naming a role and a SAML provider`);

  const names = attributes.get(ATTRIBUTE.roleSessionName) ?? [];
  const name = names[0];
  if (names.length !== 1 || name === undefined) throw SamlErrors.invalid(`the assertion must have one ${ATTRIBUTE.roleSessionName} value`);
  // The documented code and text for a bad session name (AssumeRoleWithSAML error codes).
  if (!SESSION_NAME.test(name)) throw new ApiError('InvalidParameter.RoleSessionName', 'The RoleSessionName is invalid.', 400);

  const durations = attributes.get(ATTRIBUTE.sessionDuration) ?? [];
  if (durations.length === 0) return { roles, roleSessionName: name };
  const duration = durations[0] ?? '';
  // [U] the code: a SessionDuration the IdP got wrong is a fault of the assertion.
  if (durations.length !== 1 || !/^\d{1,6}$/.test(duration) || Number(duration) < 900) {
    throw SamlErrors.invalid(`${ATTRIBUTE.sessionDuration} must be one whole number of seconds, at least 900`);
  }
  return { roles, roleSessionName: name, sessionDuration: Number(duration) };
}
