// Compiled policies per principal, kept exact by the store's change feed: a cached set read
// before the last write to its account (or before another process wrote) is rebuilt on its next
// use. Compiled documents are cached by their text, so they survive unrelated changes.
import { createHash } from 'node:crypto';
import { compilePolicy, parsePolicy, PolicySet, type CompiledPolicy } from '../policy/index.js';
import { Freshness, type AttachmentRecord, type Store } from '../store/index.js';
import { PolicyCatalog } from './policy-catalog.js';

interface CachedSet {
  /** When the set was read (Freshness stamp). */
  stamp: number;
  compiled: CompiledPolicy[];
  set: PolicySet;
}

/** Session sets kept at most; a session policy is rarely unique per request, but may be. */
const MAX_SESSION_SETS = 10_000;
/** Compiled documents kept at most (a big directory has 100k policies). */
const MAX_COMPILED = 200_000;

export class PolicySets {
  readonly #freshness: Freshness;
  readonly #sets = new Map<string, CachedSet>();
  readonly #compiled = new Map<string, CompiledPolicy>();
  readonly #sessions = new Map<string, CachedSet>();
  readonly #catalog: PolicyCatalog;

  constructor(private readonly store: Store) {
    this.#catalog = new PolicyCatalog(store.ram);
    this.#freshness = new Freshness(store.changes);
  }

  /** The policy set of a RAM user: its own attachments and its groups'. */
  async forUser(accountId: string, userId: string): Promise<PolicySet> {
    return this.#cached(accountId, `user:${userId}`, async () => {
      const attachments = await this.store.ram.attachmentsOf(accountId, 'User', userId);
      for (const g of await this.store.ram.groupsForUser(userId)) attachments.push(...(await this.store.ram.attachmentsOf(accountId, 'Group', g.groupId)));
      return attachments;
    });
  }

  /** The policy set of a role session: the role's current policies, narrowed by the session policy. */
  async forSession(accountId: string, roleId: string, sessionPolicy: string | undefined): Promise<PolicySet> {
    const role = await this.#entry(accountId, `role:${roleId}`, () => this.store.ram.attachmentsOf(accountId, 'Role', roleId));
    if (sessionPolicy === undefined) return role.set;
    const key = `${roleId}\n${sessionPolicy}`;
    const hit = this.#sessions.get(key);
    if (hit !== undefined && hit.stamp === role.stamp) return hit.set;
    const session = compilePolicy(parsePolicy(sessionPolicy, 'session'), { name: 'SessionPolicy', type: 'Session' });
    const set = new PolicySet(role.compiled, { session });
    if (this.#sessions.size >= MAX_SESSION_SETS) this.#sessions.clear();
    this.#sessions.set(key, { stamp: role.stamp, compiled: role.compiled, set });
    return set;
  }

  async #cached(accountId: string, key: string, attachments: () => Promise<AttachmentRecord[]>): Promise<PolicySet> {
    return (await this.#entry(accountId, key, attachments)).set;
  }

  async #entry(accountId: string, key: string, attachments: () => Promise<AttachmentRecord[]>): Promise<CachedSet> {
    const stamp = this.#freshness.stamp();
    const hit = this.#sets.get(key);
    if (hit !== undefined && this.#freshness.isFresh(accountId, hit.stamp)) return hit;
    const compiled: CompiledPolicy[] = [];
    const seen = new Set<string>();
    for (const a of await attachments()) {
      const id = `${a.policyType}:${a.policyKey}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const policy = await this.#compile(accountId, a);
      if (policy) compiled.push(policy);
    }
    const entry = { stamp, compiled, set: new PolicySet(compiled) };
    this.#sets.set(key, entry);
    return entry;
  }

  async #compile(accountId: string, a: AttachmentRecord): Promise<CompiledPolicy | undefined> {
    // System policies never change: compiled once, found by name without a lookup.
    const systemKey = a.policyType === 'System' ? `system:${a.policyKey}` : undefined;
    const known = systemKey !== undefined ? this.#compiled.get(systemKey) : undefined;
    if (known !== undefined) return known;
    const found = await this.#catalog.defaultVersion(accountId, a.policyType, a.policyKey);
    if (found === undefined) return undefined;
    const { policy, version } = found;
    // A custom policy is cached by what it is compiled from, never by a time (a policy deleted
    // and created again in one millisecond would share it): the document, and the name and
    // version decisions quote.
    const key = systemKey ?? `custom\n${policy.name}\n${policy.defaultVersion}\n${createHash('sha256').update(version.document).digest('base64url')}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      compiled = compilePolicy(parsePolicy(version.document), { name: policy.name, type: policy.type, version: policy.defaultVersion });
      if (this.#compiled.size >= MAX_COMPILED) this.#compiled.clear();
      this.#compiled.set(key, compiled);
    }
    return compiled;
  }
}
