// Policies and their versions. System policies come from the catalog; custom ones belong to an
// account and keep up to five versions, one of them the default.
import { PolicyCatalog, systemPolicy, type CatalogPolicy } from '../../access/index.js';
import { arn } from '../../model/index.js';
import type { AttachablePolicyType, PolicyRecord, PolicyVersionRecord, Repositories } from '../../store/index.js';
import { action } from '../action.js';
import { oneOf } from '../params.js';
import { RamErrors } from './errors.js';
import { decodeMarker, encodeMarker, pagingParams } from './paging.js';
import { description, document, flag, optional, policyName, policyType, versionId } from './params.js';
import { checkDocument } from './documents.js';
import { customPolicyShape, ramDate, versionShape, type PolicySummary } from './shapes.js';

async function requireCustom(repos: Repositories, accountId: string, name: string): Promise<PolicyRecord> {
  const p = await repos.ram.getPolicy(accountId, name);
  if (p === undefined) throw RamErrors.notExist('Policy');
  return p;
}

async function versionsOf(repos: Repositories, accountId: string, type: AttachablePolicyType, name: string): Promise<{ defaultVersion: string; versions: PolicyVersionRecord[] }> {
  const found = await new PolicyCatalog(repos.ram).versions(accountId, type, name);
  if (found === undefined) throw RamErrors.notExist('Policy');
  return { defaultVersion: found.policy.defaultVersion, versions: found.versions };
}

const catalogSummary = (p: CatalogPolicy): PolicySummary => ({
  PolicyName: p.name,
  PolicyType: p.type,
  Description: p.description,
  DefaultVersion: p.defaultVersion,
  CreateDate: ramDate(p.createDate),
  UpdateDate: ramDate(p.updateDate),
});

export const CreatePolicy = action({
  name: 'CreatePolicy',
  refused: ['Tag'],
  permission: 'ram:CreatePolicy',
  rw: 'Write',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), PolicyDocument: document(), Description: optional(description()) },
  handle: async (p, { caller, request, services }) => {
    checkDocument(p.PolicyDocument, 'identity', 'PolicyDocument');
    const policy: PolicyRecord = {
      accountId: caller.accountId,
      policyName: p.PolicyName,
      description: p.Description ?? '',
      defaultVersion: 'v1',
      nextVersion: 2,
      createDate: request.now,
      updateDate: request.now,
    };
    await services.store.transaction(async (tx) => {
      if (systemPolicy(p.PolicyName) !== undefined || (await tx.ram.getPolicy(caller.accountId, p.PolicyName)) !== undefined) throw RamErrors.alreadyExists('Policy');
      if ((await tx.ram.countPolicies(caller.accountId)) >= services.quotas.customPolicies) throw RamErrors.limitExceeded('Policy');
      await tx.ram.createPolicy(policy, { versionId: 'v1', document: p.PolicyDocument, createDate: request.now });
    });
    const { UpdateDate: _u, ...created } = customPolicyShape(policy);
    return { Policy: created };
  },
});

export const GetPolicy = action({
  name: 'GetPolicy',
  permission: 'ram:GetPolicy',
  rw: 'Read',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), PolicyType: policyType() },
  handle: async (p, { caller, services }) => {
    // One lookup of the policy, then only its default version.
    const found = await new PolicyCatalog(services.store.ram).defaultVersion(caller.accountId, p.PolicyType, p.PolicyName);
    if (found === undefined) throw RamErrors.notExist('Policy');
    const { policy, version: current } = found;
    const attached = await services.store.ram.attachmentsTo(caller.accountId, policy.type, policy.key);
    const summary: PolicySummary = {
      PolicyName: policy.name,
      PolicyType: policy.type,
      Description: policy.description,
      DefaultVersion: policy.defaultVersion,
      CreateDate: ramDate(policy.createDate),
      UpdateDate: ramDate(policy.updateDate),
    };
    return {
      Policy: { ...summary, AttachmentCount: attached.length, PolicyDocument: current?.document ?? '' },
      DefaultPolicyVersion: current ? versionShape(current, policy.defaultVersion) : {},
    };
  },
});

export const DeletePolicy = action({
  name: 'DeletePolicy',
  permission: 'ram:DeletePolicy',
  rw: 'Write',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), CascadingDelete: optional(flag(), false) },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const policy = await requireCustom(tx, caller.accountId, p.PolicyName);
      const attached = await tx.ram.attachmentsTo(caller.accountId, 'Custom', policy.policyName.toLowerCase());
      for (const type of ['User', 'Group', 'Role'] as const) {
        if (attached.some((a) => a.principalType === type)) throw RamErrors.deleteConflict(`Policy.${type}`);
      }
      const versions = await tx.ram.listVersions(caller.accountId, p.PolicyName);
      if (!p.CascadingDelete && versions.some((v) => v.versionId !== policy.defaultVersion)) throw RamErrors.deleteConflict('Policy.Version');
      await tx.ram.deletePolicy(caller.accountId, p.PolicyName);
    });
    return {};
  },
});

const listOrder = (type: AttachablePolicyType, key: string) => `${type === 'System' ? '0' : '1'}:${key}`;

export const ListPolicies = action({
  name: 'ListPolicies',
  refused: ['Tag'],
  permission: 'ram:ListPolicies',
  rw: 'Read',
  resource: (_p, caller) => arn.ramAll(caller.accountId, 'policy'),
  params: { PolicyType: optional(policyType()), ...pagingParams() },
  handle: async (p, { caller, services }) => {
    // System policies first, then the account's own, each by name; the marker holds the position.
    const after = decodeMarker(p.Marker);
    const items: (PolicySummary & { order: string })[] = [];
    if (p.PolicyType !== 'Custom') {
      for (const sys of PolicyCatalog.systemPolicies()) items.push({ ...catalogSummary(sys), order: listOrder('System', sys.key) });
    }
    if (p.PolicyType !== 'System') {
      const customAfter = after !== undefined && after.startsWith('1:') ? after.slice(2) : undefined;
      const custom = await services.store.ram.listPolicies(caller.accountId, { ...(customAfter !== undefined ? { after: customAfter } : {}), limit: p.MaxItems + 1 });
      for (const c of custom) items.push({ ...customPolicyShape(c), order: listOrder('Custom', c.policyName.toLowerCase()) });
    }
    const remaining = items.filter((i) => after === undefined || i.order > after).sort((a, b) => (a.order < b.order ? -1 : 1));
    const page = remaining.slice(0, p.MaxItems);
    const counts = new Map([...(await services.store.ram.attachmentCounts(caller.accountId, 'System'))].map(([k, n]) => [`0:${k}`, n]));
    for (const [k, n] of await services.store.ram.attachmentCounts(caller.accountId, 'Custom')) counts.set(`1:${k}`, n);
    const last = page[page.length - 1];
    const truncated = remaining.length > p.MaxItems;
    return {
      Policies: { Policy: page.map(({ order, ...summary }) => ({ ...summary, AttachmentCount: counts.get(order) ?? 0 })) },
      IsTruncated: truncated,
      ...(truncated && last ? { Marker: encodeMarker(last.order) } : {}),
    };
  },
});

export const CreatePolicyVersion = action({
  name: 'CreatePolicyVersion',
  permission: 'ram:CreatePolicyVersion',
  rw: 'Write',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: {
    PolicyName: policyName(),
    PolicyDocument: document(),
    SetAsDefault: optional(flag(), false),
    RotateStrategy: optional(oneOf(['None', 'DeleteOldestNonDefaultVersionWhenLimitExceeded'] as const), 'None'),
  },
  handle: async (p, { caller, request, services }) => {
    checkDocument(p.PolicyDocument, 'identity', 'PolicyDocument');
    return services.store.transaction(async (tx) => {
      const policy = await requireCustom(tx, caller.accountId, p.PolicyName);
      const versions = await tx.ram.listVersions(caller.accountId, p.PolicyName);
      if (versions.length >= services.quotas.versionsPerPolicy) {
        const oldest = versions.find((v) => v.versionId !== policy.defaultVersion);
        if (p.RotateStrategy === 'None' || oldest === undefined) throw RamErrors.limitExceeded('Policy.Version');
        await tx.ram.deleteVersion(caller.accountId, p.PolicyName, oldest.versionId);
      }
      const version: PolicyVersionRecord = { versionId: `v${policy.nextVersion}`, document: p.PolicyDocument, createDate: request.now };
      await tx.ram.addVersion(caller.accountId, p.PolicyName, version);
      const next = { ...policy, nextVersion: policy.nextVersion + 1, updateDate: request.now, defaultVersion: p.SetAsDefault ? version.versionId : policy.defaultVersion };
      await tx.ram.updatePolicy(next);
      return { PolicyVersion: versionShape(version, next.defaultVersion) };
    });
  },
});

export const GetPolicyVersion = action({
  name: 'GetPolicyVersion',
  permission: 'ram:GetPolicyVersion',
  rw: 'Read',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), PolicyType: policyType(), VersionId: versionId() },
  handle: async (p, { caller, services }) => {
    const { defaultVersion, versions } = await versionsOf(services.store, caller.accountId, p.PolicyType, p.PolicyName);
    const version = versions.find((v) => v.versionId === p.VersionId);
    if (version === undefined) throw RamErrors.notExist('Policy.Version');
    return { PolicyVersion: versionShape(version, defaultVersion) };
  },
});

export const ListPolicyVersions = action({
  name: 'ListPolicyVersions',
  permission: 'ram:ListPolicyVersions',
  rw: 'Read',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), PolicyType: policyType() },
  handle: async (p, { caller, services }) => {
    const { defaultVersion, versions } = await versionsOf(services.store, caller.accountId, p.PolicyType, p.PolicyName);
    return { PolicyVersions: { PolicyVersion: versions.map((v) => versionShape(v, defaultVersion)) } };
  },
});

export const SetDefaultPolicyVersion = action({
  name: 'SetDefaultPolicyVersion',
  permission: 'ram:SetDefaultPolicyVersion',
  rw: 'Write',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), VersionId: versionId() },
  handle: async (p, { caller, request, services }) => {
    await services.store.transaction(async (tx) => {
      const policy = await requireCustom(tx, caller.accountId, p.PolicyName);
      if ((await tx.ram.getVersion(caller.accountId, p.PolicyName, p.VersionId)) === undefined) throw RamErrors.notExist('Policy.Version');
      await tx.ram.updatePolicy({ ...policy, defaultVersion: p.VersionId, updateDate: request.now });
    });
    return {};
  },
});

export const DeletePolicyVersion = action({
  name: 'DeletePolicyVersion',
  permission: 'ram:DeletePolicyVersion',
  rw: 'Write',
  resource: (p, caller) => arn.ramPolicy(caller.accountId, p.PolicyName),
  params: { PolicyName: policyName(), VersionId: versionId() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const policy = await requireCustom(tx, caller.accountId, p.PolicyName);
      if ((await tx.ram.getVersion(caller.accountId, p.PolicyName, p.VersionId)) === undefined) throw RamErrors.notExist('Policy.Version');
      if (policy.defaultVersion === p.VersionId) throw RamErrors.deleteConflict('Policy.Version.Default');
      await tx.ram.deleteVersion(caller.accountId, p.PolicyName, p.VersionId);
    });
    return {};
  },
});
