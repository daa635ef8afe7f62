import type { Principal } from '../../model/index.js';
import { CommonErrors, principalArn } from '../../model/index.js';
import { action } from '../action.js';

/** The real response's fields for each kind of caller; UserId of an account is its account id. */
export function callerIdentity(caller: Principal) {
  switch (caller.type) {
    case 'Account':
      return {
        IdentityType: 'Account',
        AccountId: caller.accountId,
        PrincipalId: caller.accountId,
        UserId: caller.accountId,
        Arn: principalArn(caller),
      };
    case 'RAMUser':
      return {
        IdentityType: 'RAMUser',
        AccountId: caller.accountId,
        PrincipalId: caller.userId,
        UserId: caller.userId,
        Arn: principalArn(caller),
      };
    case 'AssumedRoleUser':
      return {
        IdentityType: 'AssumedRoleUser',
        AccountId: caller.accountId,
        PrincipalId: `${caller.roleId}:${caller.sessionName}`,
        RoleId: caller.roleId,
        Arn: principalArn(caller),
      };
    case 'Anonymous':
      // Only the OSS front door makes anonymous callers; an API call always has a signer.
      throw CommonErrors.internal();
  }
}

// Any authenticated caller may ask who it is: the real STS checks no permission for this call.
export const GetCallerIdentity = action({
  name: 'GetCallerIdentity',
  rw: 'Read',
  params: {},
  handle: async (_params, ctx) => callerIdentity(ctx.caller),
});
