// RAM (2015-05-01): users, AccessKeys, login profiles, groups, roles, policies with versions and
// attachments, account summary, and denial decoding.
import { product } from '../action.js';
import { CreateAccessKey, DeleteAccessKey, ListAccessKeys, UpdateAccessKey } from './access-keys.js';
import { DecodeDiagnosticMessage, GetAccountSummary } from './account.js';
import { ClearAccountAlias, GetAccountAlias, SetAccountAlias } from './account-alias.js';
import {
  AttachPolicyToGroup,
  AttachPolicyToRole,
  AttachPolicyToUser,
  DetachPolicyFromGroup,
  DetachPolicyFromRole,
  DetachPolicyFromUser,
  ListEntitiesForPolicy,
  ListPoliciesForGroup,
  ListPoliciesForRole,
  ListPoliciesForUser,
} from './attachments.js';
import { AddUserToGroup, CreateGroup, DeleteGroup, GetGroup, ListGroups, ListGroupsForUser, ListUsersForGroup, RemoveUserFromGroup, UpdateGroup } from './groups.js';
import { ChangePassword, CreateLoginProfile, DeleteLoginProfile, GetLoginProfile, GetPasswordPolicy, SetPasswordPolicy, UpdateLoginProfile } from './login-profiles.js';
import {
  CreatePolicy,
  CreatePolicyVersion,
  DeletePolicy,
  DeletePolicyVersion,
  GetPolicy,
  GetPolicyVersion,
  ListPolicies,
  ListPolicyVersions,
  SetDefaultPolicyVersion,
} from './policies.js';
import { CreateRole, DeleteRole, GetRole, ListRoles, UpdateRole } from './roles.js';
import { RevokeRoleSessions } from './revoke-sessions.js';
import { BindMFADevice, CreateVirtualMFADevice, DeleteVirtualMFADevice, GetUserMFAInfo, ListVirtualMFADevices, UnbindMFADevice } from './mfa.js';
import { CreateUser, DeleteUser, GetUser, ListUsers, UpdateUser } from './users.js';

export const Ram = product({
  code: 'Ram',
  endpointPrefix: 'ram',
  version: '2015-05-01',
  actions: [
    CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers,
    CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListAccessKeys,
    CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, ChangePassword, GetPasswordPolicy, SetPasswordPolicy,
    CreateVirtualMFADevice, BindMFADevice, UnbindMFADevice, GetUserMFAInfo, ListVirtualMFADevices, DeleteVirtualMFADevice,
    CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup,
    CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles, RevokeRoleSessions,
    CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, SetDefaultPolicyVersion, DeletePolicyVersion,
    AttachPolicyToUser, AttachPolicyToGroup, AttachPolicyToRole, DetachPolicyFromUser, DetachPolicyFromGroup, DetachPolicyFromRole,
    ListPoliciesForUser, ListPoliciesForGroup, ListPoliciesForRole, ListEntitiesForPolicy,
    GetAccountSummary, DecodeDiagnosticMessage, SetAccountAlias, GetAccountAlias, ClearAccountAlias,
  ],
});
