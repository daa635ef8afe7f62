// ARNs: acs:<service>:<region>:<account>:<resource>. RAM resources are written with an empty
// region; `*` in that place means the same.

export const arn = {
  accountRoot: (accountId: string): string => `acs:ram::${accountId}:root`,
  ramUser: (accountId: string, userName: string): string => `acs:ram::${accountId}:user/${userName}`,
  ramRole: (accountId: string, roleName: string): string => `acs:ram::${accountId}:role/${roleName}`,
  /** A role session as GetCallerIdentity and policies name it. */
  assumedRole: (accountId: string, roleName: string, session: string): string => `acs:ram::${accountId}:assumed-role/${roleName}/${session}`,
  ramGroup: (accountId: string, groupName: string): string => `acs:ram::${accountId}:group/${groupName}`,
  ramPolicy: (accountId: string, policyName: string): string => `acs:ram::${accountId}:policy/${policyName}`,
  /** Every RAM entity of one kind in an account, e.g. user/* for ListUsers. */
  ramAll: (accountId: string, kind: 'user' | 'group' | 'role' | 'policy'): string => `acs:ram::${accountId}:${kind}/*`,
};

export interface ParsedArn {
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

/** Splits an ARN into its five parts; the resource part may itself contain ':'. */
export function parseArn(text: string): ParsedArn | undefined {
  const parts = text.split(':');
  if (parts.length < 5 || parts[0] !== 'acs') return undefined;
  const [, service = '', region = '', accountId = ''] = parts;
  return { service, region, accountId, resource: parts.slice(4).join(':') };
}
