import { arn } from './arn.js';

// Who is calling, once authentication has proved it: an account root, a RAM user, or a session
// of a role (temporary credentials from STS).

export interface AccountPrincipal {
  type: 'Account';
  accountId: string;
  accessKeyId: string;
}

export interface RamUserPrincipal {
  type: 'RAMUser';
  accountId: string;
  userId: string;
  userName: string;
  accessKeyId: string;
  /** A console session that passed its user's MFA device (acs:MFAPresent); never an AccessKey. */
  mfaPresent?: boolean;
}

/** Who assumed a role, as its trust policy saw them. */
export type SessionSource =
  /**
   * A RAM identity. accessKeyId and userId: the long-term AccessKey that asked and its user, when
   * one did (not a role session, whose own link ends it): the session ends with either of them.
   */
  | { kind: 'RAM'; accountId: string; arn: string; accessKeyId?: string; userId?: string }
  | { kind: 'Service'; name: string }
  /**
   * An identity provider's user (AssumeRoleWithOIDC / AssumeRoleWithSAML): the provider's ARN, and
   * the condition keys the trust policy admitted the session on (oidc:iss, oidc:aud, oidc:sub;
   * saml:recipient …), to admit it again at every request. Claims only: never the token itself.
   */
  | { kind: 'Federated'; arn: string; claims: Readonly<Record<string, string>> };

/**
 * What it takes to tell whether one role session has been ended: whose session it is, when it
 * began, and the facts its role's trust policy admitted it on. A session that was assumed with
 * another session's credentials (role chaining) carries that session's link too, and ends with it.
 */
export interface SessionLink {
  accountId: string;
  roleId: string;
  issuedAt: number;
  source: SessionSource;
  /** The request facts the trust policy was evaluated with, to evaluate it again per request. */
  assumedFrom: { sourceIp: string; secureTransport: boolean };
  externalId?: string;
  /** Set for an instance's role session: it ends when the instance loses that attachment of the role. */
  instanceId?: string;
  attachment?: string;
}

export interface AssumedRolePrincipal {
  type: 'AssumedRoleUser';
  /** The role's account: a session acts in the account that owns the role. */
  accountId: string;
  roleId: string;
  roleName: string;
  sessionName: string;
  accessKeyId: string;
  /** The session policy given at AssumeRole, which narrows the role's rights. */
  sessionPolicy?: string;
  issuedAt: number;
  expiresAt: number;
  source: SessionSource;
  /** This session's link followed by those of the sessions it was assumed through, nearest first. */
  chain: readonly SessionLink[];
}

/**
 * An OSS request nobody signed. It belongs to no account and holds no key: only a bucket's ACL or
 * bucket policy can let it do anything. Only the OSS front door makes one.
 */
export interface AnonymousPrincipal {
  type: 'Anonymous';
  accountId: '';
  accessKeyId: '';
}

export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ type: 'Anonymous', accountId: '', accessKeyId: '' });

export type Principal = AccountPrincipal | RamUserPrincipal | AssumedRolePrincipal | AnonymousPrincipal;

/** The ARN that names a principal in policies and in GetCallerIdentity. */
export function principalArn(p: Principal): string {
  switch (p.type) {
    case 'Account':
      return arn.accountRoot(p.accountId);
    case 'RAMUser':
      return arn.ramUser(p.accountId, p.userName);
    case 'AssumedRoleUser':
      return arn.assumedRole(p.accountId, p.roleName, p.sessionName);
    case 'Anonymous':
      return '*';
  }
}
