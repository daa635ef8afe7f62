import { arn } from './arn.js';

// Who is calling, once authentication has proved it. Later products add RAM users and
// assumed-role sessions to this union.

export interface AccountPrincipal {
  type: 'Account';
  accountId: string;
  accessKeyId: string;
}

export type Principal = AccountPrincipal;

/** The ARN that names a principal in policies and in GetCallerIdentity. */
export function principalArn(p: Principal): string {
  switch (p.type) {
    case 'Account':
      return arn.accountRoot(p.accountId);
  }
}
