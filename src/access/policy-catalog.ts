// The policies an account can attach: the system policies Rampart ships and the account's own
// custom policies, found one way whatever their kind. Every place that once branched on
// System/Custom (lookups, versions, the documents decisions are compiled from) asks here.
import type { AttachablePolicyType, PolicyVersionRecord, RamRepository } from '../store/index.js';
import { SYSTEM_POLICIES, SYSTEM_POLICY_DATE, systemPolicy } from './system-policies.js';

export interface CatalogPolicy {
  type: AttachablePolicyType;
  /** The policy's own spelling of its name. */
  name: string;
  /** Lower-cased name, as attachments refer to it. */
  key: string;
  description: string;
  defaultVersion: string;
  createDate: Date;
  updateDate: Date;
}

type RamReads = Pick<RamRepository, 'getPolicy' | 'getVersion' | 'listVersions'>;

function system(name: string): { policy: CatalogPolicy; document: string } | undefined {
  const sys = systemPolicy(name);
  if (sys === undefined) return undefined;
  const policy = { type: 'System', name: sys.name, key: sys.name.toLowerCase(), description: sys.description, defaultVersion: 'v1', createDate: SYSTEM_POLICY_DATE, updateDate: SYSTEM_POLICY_DATE } as const;
  return { policy, document: sys.document };
}

export class PolicyCatalog {
  constructor(private readonly ram: RamReads) {}

  /** Every system policy, in the catalog's order. */
  static systemPolicies(): CatalogPolicy[] {
    return [...SYSTEM_POLICIES.values()].flatMap((s) => system(s.name)?.policy ?? []);
  }

  async find(accountId: string, type: AttachablePolicyType, name: string): Promise<CatalogPolicy | undefined> {
    if (type === 'System') return system(name)?.policy;
    const p = await this.ram.getPolicy(accountId, name);
    if (p === undefined) return undefined;
    return { type, name: p.policyName, key: p.policyName.toLowerCase(), description: p.description, defaultVersion: p.defaultVersion, createDate: p.createDate, updateDate: p.updateDate };
  }

  async versions(accountId: string, type: AttachablePolicyType, name: string): Promise<{ policy: CatalogPolicy; versions: PolicyVersionRecord[] } | undefined> {
    if (type === 'System') {
      const sys = system(name);
      return sys && { policy: sys.policy, versions: [{ versionId: 'v1', document: sys.document, createDate: SYSTEM_POLICY_DATE }] };
    }
    const policy = await this.find(accountId, type, name);
    return policy && { policy, versions: await this.ram.listVersions(accountId, policy.name) };
  }

  /** The policy's default version, the one decisions are made by. */
  async defaultVersion(accountId: string, type: AttachablePolicyType, name: string): Promise<{ policy: CatalogPolicy; version: PolicyVersionRecord } | undefined> {
    if (type === 'System') {
      const sys = system(name);
      return sys && { policy: sys.policy, version: { versionId: 'v1', document: sys.document, createDate: SYSTEM_POLICY_DATE } };
    }
    const policy = await this.find(accountId, type, name);
    if (policy === undefined) return undefined;
    const version = await this.ram.getVersion(accountId, policy.name, policy.defaultVersion);
    return version && { policy, version };
  }
}
