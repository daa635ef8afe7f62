import { arn } from './arn.js';

// Who is calling, once authentication has proved it. Assumed-role sessions join this union
// with STS.

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
}

export type Principal = AccountPrincipal | RamUserPrincipal;

/** The ARN that names a principal in policies and in GetCallerIdentity. */
export function principalArn(p: Principal): string {
  switch (p.type) {
    case 'Account':
      return arn.accountRoot(p.accountId);
    case 'RAMUser':
      return arn.ramUser(p.accountId, p.userName);
  }
}
