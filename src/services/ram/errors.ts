// RAM's own error codes and messages, from the real service's error catalogue (its typos kept:
// clients and scripts match on these texts).
import { ApiError } from '../../model/index.js';
import type { InvalidKind, InvalidParam } from '../params.js';

/** InvalidParameter.<Field>.<InvalidChars|Length|Format>, as RAM reports a bad value. */
export const ramInvalid: InvalidParam = (name: string, reason: string, kind: InvalidKind) => {
  switch (kind) {
    case 'length':
      return new ApiError(`InvalidParameter.${name}.Length`, `The parameter - "${name}" beyond the length limit.`, 400);
    case 'chars':
      return new ApiError(`InvalidParameter.${name}.InvalidChars`, `The parameter - "${name}" contains invalid chars.`, 400);
    case 'format':
    case 'range':
      // [U] RAM's code for an out-of-range number was not found; Format reads the same to clients.
      return new ApiError(`InvalidParameter.${name}.Format`, `The format of the parameter - "${name}" is incorrect: ${reason}.`, 400);
  }
};

const NOT_EXIST: Record<string, string> = {
  User: 'The user does not exist.',
  'User.AccessKey': 'The user access key does not exist.',
  'User.LoginProfile': 'The user login profile does not exist.',
  'User.Policy': 'The indicate policy of the user does not exist.',
  'User.Group': 'The user has not joined the group.',
  Group: 'The group does not exist.',
  'Group.Policy': 'The indicate policy attached to the group does not exist.',
  Role: 'The role does not exist.',
  'Role.Policy': 'The indicate policy attached to the role does not exist.',
  Policy: 'The policy does not exist.',
  'Policy.Version': 'The policy version does not exist.',
};

const ALREADY_EXISTS: Record<string, string> = {
  User: 'The user does already EXIST.',
  'User.LoginProfile': 'The user login profile does already EXIST.',
  'User.Group': 'The user has already joined the group.',
  'User.Policy': 'The user has already been attached this policy.',
  Group: 'The group does already EXIST.',
  'Group.Policy': 'The group has already been attached this policy.',
  // The real catalogue's text for a policy, as published.
  Policy: 'The group does already EXIST.',
  Role: 'The role does already EXIST.',
  'Role.Policy': 'The role has already been attached this policy.',
};

const DELETE_CONFLICT: Record<string, string> = {
  'User.Group': 'The user CAN NOT be in any group while deleting the user.',
  'User.AccessKey': 'The user CAN NOT has any access key while deleting the user.',
  'User.LoginProfile': 'The user CAN NOT has any login profile while deleting the user.',
  'User.Policy': 'The user CAN NOT has any attached policy while deleting the user.',
  'User.MFADevice': 'The user CAN NOT has any MFA device while deleting the user.',
  'VirtualMFADevice.User': 'The virtual MFA device CAN NOT be bound to a user while deleting it.',
  'Group.User': 'The group CAN NOT has any user member while deleting the group.',
  'Group.Policy': 'The entity CAN NOT has any attached policy while deleting the group.',
  'Policy.User': 'The policy CAN NOT been attached to any user while deleting the policy.',
  'Policy.Group': 'The policy CAN NOT been attached to any group while deleting the policy.',
  'Policy.Role': 'The policy CAN NOT been attached to any role while deleting the policy.',
  'Policy.Version': 'The policy CAN NOT has any version except the default version.',
  'Policy.Version.Default': 'The default policy version CAN NOT been deleted directly.',
  'Role.Policy': 'The role CAN NOT has any attached policy while deleting the role.',
  // [U] not in the real catalogue (see DeleteRole).
  'Role.Instance': 'The role CAN NOT be attached to any ECS instance while deleting the role.',
};

const LIMIT_EXCEEDED: Record<string, string> = {
  User: 'The count of users beyond the current limits.',
  'User.AccessKey': 'The access key count of the user access keys beyond the current limits.',
  'User.Group': 'The count of groups the target user joined beyond the current limits.',
  'User.Policy': 'The policy count of the user attached policies beyond the current limits.',
  Group: 'The count of groups beyond the current limits.',
  'Group.Policy': 'The policy count of the group beyond the current limits.',
  Policy: 'The count of policy beyond the current limits.',
  'Policy.Version': 'The count of policy version beyond the current limits.',
  Role: 'The count of roles beyond the current limits.',
  'Role.Policy': 'The count of policies attached to the role beyond the current limits.',
};


export const RamErrors = {
  notExist: (entity: string) => new ApiError(`EntityNotExist.${entity}`, NOT_EXIST[entity] ?? `The ${entity} does not exist.`, 404),
  alreadyExists: (entity: string) => new ApiError(`EntityAlreadyExists.${entity}`, ALREADY_EXISTS[entity] ?? `The ${entity} does already EXIST.`, 409),
  deleteConflict: (what: string) => new ApiError(`DeleteConflict.${what}`, DELETE_CONFLICT[what] ?? `${what} CAN NOT be deleted.`, 409),
  limitExceeded: (what: string) => new ApiError(`LimitExceeded.${what}`, LIMIT_EXCEEDED[what] ?? `The count of ${what} beyond the current limits.`, 409),
  policyType: () => new ApiError('InvalidParameter.PolicyType', 'The parameter - "PolicyType" is incorrect.', 400),
  passwordTooWeak: (why: string) =>
    new ApiError('InvalidParameter.Password.TooWeak', `The parameter - "Password" is not compliant with the password policy: ${why}.`, 400),
  minimumPasswordLength: () =>
    new ApiError('InvalidParameter.MinimumPasswordLength.Range', 'The parameter - "MinimumPasswordLength" MUST be in the range of 8 and 32.', 400),
  oldPassword: () => new ApiError('InvalidParameter.OldPassword', 'The parameter - "OldPassword" is not the user\'s current password.', 400),
  onlyRamUsers: (action: string) => new ApiError('NoPermission', `${action} is available only to RAM users.`, 403),
  marker: () => new ApiError('InvalidParameter.Marker', 'The parameter - "Marker" is incorrect.', 400),
  diagnostic: () => new ApiError('InvalidParameter.EncodedDiagnosticMessage', 'The parameter - "EncodedDiagnosticMessage" is incorrect.', 400),
};
