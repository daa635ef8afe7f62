// Account-level RAM actions: GetAccountSummary (counts and quotas) and DecodeDiagnosticMessage
// (the explanation sealed into a denial's EncodedDiagnosticMessage).
import { decodeDiagnostic } from '../../access/index.js';
import { MAX_CUSTOM_POLICY_LENGTH } from '../../policy/index.js';
import { action } from '../action.js';
import { string } from '../params.js';
import { RamErrors } from './errors.js';

export const GetAccountSummary = action({
  name: 'GetAccountSummary',
  permission: 'ram:GetAccountSummary',
  rw: 'Read',
  params: {},
  handle: async (_p, { caller, services }) => {
    const { ram } = services.store;
    const q = services.quotas;
    return {
      SummaryMap: {
        Users: await ram.countUsers(caller.accountId),
        UsersQuota: q.users,
        Groups: await ram.countGroups(caller.accountId),
        GroupsQuota: q.groups,
        Roles: await ram.countRoles(caller.accountId),
        RolesQuota: q.roles,
        Policies: await ram.countPolicies(caller.accountId),
        PoliciesQuota: q.customPolicies,
        PolicySizeQuota: MAX_CUSTOM_POLICY_LENGTH,
        VersionsPerPolicyQuota: q.versionsPerPolicy,
        AccessKeysPerUserQuota: q.accessKeysPerUser,
        GroupsPerUserQuota: q.groupsPerUser,
        AttachedPoliciesPerUserQuota: q.customPoliciesPerPrincipal,
        AttachedPoliciesPerGroupQuota: q.customPoliciesPerPrincipal,
        AttachedPoliciesPerRoleQuota: q.customPoliciesPerPrincipal,
        AttachedSystemPoliciesPerUserQuota: q.systemPoliciesPerPrincipal,
        AttachedSystemPoliciesPerGroupQuota: q.systemPoliciesPerPrincipal,
        AttachedSystemPoliciesPerRoleQuota: q.systemPoliciesPerPrincipal,
        MFADevices: 0,
        MFADevicesInUse: 0,
        VirtualMFADevicesQuota: 0,
      },
    };
  },
});

export const DecodeDiagnosticMessage = action({
  name: 'DecodeDiagnosticMessage',
  permission: 'ram:DecodeDiagnosticMessage',
  rw: 'Read',
  params: { EncodedDiagnosticMessage: string({ min: 1, max: 16384 }) },
  handle: async (p, { caller, services }) => {
    const d = decodeDiagnostic(services.box, p.EncodedDiagnosticMessage);
    // Only the account that was refused may read why.
    if (d === undefined || d.accountId !== caller.accountId) throw RamErrors.diagnostic();
    return {
      DecodedDiagnosticMessage: {
        AuthAction: d.action,
        AuthResource: d.resource,
        AuthPrincipal: { AuthPrincipalType: d.principalType, AuthPrincipalOwnerId: d.accountId, AuthPrincipalDisplayName: d.principalDisplayName },
        NoPermissionPolicyType: d.policyType,
        ExplicitDeny: d.decision === 'ExplicitDeny',
        MatchedPolicies: d.policy
          ? [
              {
                PolicyIdentifier: d.policy.name,
                PolicyType: d.policy.type === 'System' ? 'System' : 'Custom',
                PolicyVersion: d.policy.version ?? '',
                Effect: d.decision === 'ExplicitDeny' ? 'Deny' : 'Allow',
                AttachedEntityType: d.attachedEntityType,
                AttachedScope: 'Account',
              },
            ]
          : [],
        AuthConditions: [],
        // Rampart's own account of the decision: the statement that decided, or "no Allow matched".
        Explanation: d.explanation,
        ...(d.statement !== undefined ? { Statement: d.statement } : {}),
      },
    };
  },
});
