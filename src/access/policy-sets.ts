// Compiled policies per principal, kept exact by the store's change feed: every write to an
// account bumps that account's generation, and a cached set from an older generation is rebuilt
// on its next use. Versions of custom policies never change once written, so compiled documents
// are cached by (account, name, version) and survive unrelated changes.
import { compilePolicy, parsePolicy, PolicySet, type CompiledPolicy } from '../policy/index.js';
import type { AttachmentRecord, Store } from '../store/index.js';
import { systemPolicy } from './system-policies.js';

interface CachedSet {
  generation: number;
  set: PolicySet;
}

export class PolicySets {
  readonly #generations = new Map<string, number>();
  readonly #sets = new Map<string, CachedSet>();
  readonly #compiled = new Map<string, CompiledPolicy>();

  constructor(private readonly store: Store) {
    store.changes.subscribe((accountId) => this.#generations.set(accountId, (this.#generations.get(accountId) ?? 0) + 1));
  }

  /** The policy set of a RAM user: its own attachments and its groups'. */
  async forUser(accountId: string, userId: string): Promise<PolicySet> {
    return this.#cached(accountId, `user:${userId}`, async () => {
      const attachments = await this.store.ram.attachmentsOf(accountId, 'User', userId);
      for (const g of await this.store.ram.groupsForUser(userId)) attachments.push(...(await this.store.ram.attachmentsOf(accountId, 'Group', g.groupId)));
      return attachments;
    });
  }

  /** The policy set of a role (for its sessions). */
  async forRole(accountId: string, roleId: string): Promise<PolicySet> {
    return this.#cached(accountId, `role:${roleId}`, () => this.store.ram.attachmentsOf(accountId, 'Role', roleId));
  }

  async #cached(accountId: string, key: string, attachments: () => Promise<AttachmentRecord[]>): Promise<PolicySet> {
    const generation = this.#generations.get(accountId) ?? 0;
    const hit = this.#sets.get(key);
    if (hit !== undefined && hit.generation === generation) return hit.set;
    const compiled: CompiledPolicy[] = [];
    const seen = new Set<string>();
    for (const a of await attachments()) {
      const id = `${a.policyType}:${a.policyKey}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const policy = await this.#compile(accountId, a);
      if (policy) compiled.push(policy);
    }
    const set = new PolicySet(compiled);
    this.#sets.set(key, { generation, set });
    return set;
  }

  async #compile(accountId: string, a: AttachmentRecord): Promise<CompiledPolicy | undefined> {
    if (a.policyType === 'System') {
      const key = `system:${a.policyKey}`;
      let compiled = this.#compiled.get(key);
      if (compiled === undefined) {
        const sys = systemPolicy(a.policyKey);
        if (sys === undefined) return undefined;
        compiled = compilePolicy(parsePolicy(sys.document), { name: sys.name, type: 'System', version: 'v1' });
        this.#compiled.set(key, compiled);
      }
      return compiled;
    }
    const policy = await this.store.ram.getPolicy(accountId, a.policyKey);
    if (policy === undefined) return undefined;
    // The creation time tells a policy from an earlier one of the same name that was deleted.
    const key = `${accountId}:${a.policyKey}:${policy.createDate.getTime()}:${policy.defaultVersion}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      const version = await this.store.ram.getVersion(accountId, a.policyKey, policy.defaultVersion);
      if (version === undefined) return undefined;
      compiled = compilePolicy(parsePolicy(version.document), { name: policy.policyName, type: 'Custom', version: policy.defaultVersion });
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}
