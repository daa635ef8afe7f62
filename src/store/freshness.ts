// Staleness tracking for in-memory caches of store reads. A counter ticks on every change the
// feed announces; a cached entry is stamped with the counter as it was when its read began, and
// stays fresh while neither its account nor "every account" has changed since. A write that
// lands while a read is in flight therefore invalidates what that read returns.
import type { ChangeFeed } from './repositories.js';

export class Freshness {
  #clock = 0;
  #everything = 0;
  readonly #accounts = new Map<string, number>();

  constructor(private readonly feed: ChangeFeed) {
    feed.subscribe((accountId) => {
      this.#clock++;
      if (accountId === undefined) {
        this.#everything = this.#clock;
        // Every account is newer than the per-account marks now; drop them rather than grow.
        this.#accounts.clear();
      } else {
        this.#accounts.set(accountId, this.#clock);
      }
    });
  }

  /** The stamp for a read that starts now (first catching up with other processes' writes). */
  stamp(): number {
    this.feed.catchUp();
    return this.#clock;
  }

  /** Whether something read at `stamp` may still be used (call stamp() first, to catch up). */
  isFresh(accountId: string, stamp: number): boolean {
    return stamp >= this.#everything && stamp >= (this.#accounts.get(accountId) ?? 0);
  }
}

interface Entry<V> {
  stamp: number;
  accountId: string;
  /** The value, settled once: a hit (every signed request makes a few) allocates nothing. */
  answer: Promise<V>;
}

/**
 * Lookups by key whose answers belong to one account, served from memory while fresh. Misses are
 * not remembered (a stream of unknown keys must not grow the cache); past `max` entries the cache
 * starts over.
 */
export class FreshCache<V extends { accountId: string }> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    private readonly freshness: Freshness,
    private readonly max = 100_000,
    /** Told of every lookup: served from memory or not (for metrics). */
    private readonly onLookup?: (hit: boolean) => void,
  ) {}

  get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    let stamp: number;
    try {
      stamp = this.freshness.stamp();
    } catch (e) {
      // Catching up reads the store, which may fail: a failure is the lookup's, as a load's is.
      return Promise.reject(e);
    }
    const hit = this.#entries.get(key);
    const fresh = hit !== undefined && this.freshness.isFresh(hit.accountId, hit.stamp);
    this.onLookup?.(fresh);
    return fresh ? hit.answer : this.#load(key, stamp, load);
  }

  async #load(key: string, stamp: number, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const value = await load();
    if (value === undefined) {
      this.#entries.delete(key);
      return undefined;
    }
    // Shared by every caller from now on: nobody may change it in place.
    Object.freeze(value);
    if (this.#entries.size >= this.max) this.#entries.clear();
    this.#entries.set(key, { stamp, accountId: value.accountId, answer: Promise.resolve(value) });
    return value;
  }
}
