// The keys that seal STS tokens. The newest key seals; every key still held can open. Rotation
// adds a key; old ones are dropped only once no token they sealed can still be valid. Keys live in
// the store (sealed with the master key), so `rampart keys rotate` in another process reaches a
// running server: the store's change feed says when keys (or anything, in another process) may
// have changed, and the ring reloads before it next seals; an unknown key id in a token makes it
// reload too.
import { randomBytes } from 'node:crypto';
import type { Store, TokenKeyRecord } from '../store/index.js';

/** The longest a token can live (a role's MaxSessionDuration tops out at 12 hours). */
export const MAX_TOKEN_LIFETIME_MS = 12 * 60 * 60 * 1000;

export class Keyring {
  #keys: TokenKeyRecord[] = [];
  #loadedAt = 0;
  #stale = true;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {
    store.changes.subscribe((accountId) => {
      if (accountId === undefined) this.#stale = true;
    });
  }

  /** Loads the ring, creating the first key on first use. */
  async load(): Promise<void> {
    this.#stale = false;
    let keys = await this.store.tokenKeys.list();
    if (keys.length === 0) {
      await this.store.tokenKeys.add(newKey(this.now()));
      keys = await this.store.tokenKeys.list();
    }
    this.#keys = keys;
    this.#loadedAt = this.now();
  }

  /** The key new tokens are sealed with. */
  async current(): Promise<TokenKeyRecord> {
    this.store.changes.catchUp();
    if (this.#stale || this.#keys.length === 0) await this.load();
    const newest = this.#keys[this.#keys.length - 1];
    if (newest === undefined) throw new Error('the token keyring is empty');
    return newest;
  }

  /** The key with this id, reloading once if it is not known yet. */
  async find(keyId: string): Promise<TokenKeyRecord | undefined> {
    let key = this.#keys.find((k) => k.keyId === keyId);
    if (key === undefined && this.now() - this.#loadedAt > 1000) {
      await this.load();
      key = this.#keys.find((k) => k.keyId === keyId);
    }
    return key;
  }
}

function newKey(nowMs: number): TokenKeyRecord {
  return { keyId: `k${nowMs.toString(36)}${randomBytes(3).toString('hex')}`, key: randomBytes(32), createdAt: new Date(nowMs) };
}

/**
 * Adds a new sealing key and drops keys that can no longer have a valid token: a key stops
 * sealing when the next one is added, so its tokens are dead once the longest lifetime has passed.
 */
export async function rotateKeys(store: Store, nowMs: number): Promise<{ added: string; dropped: string[] }> {
  const key = newKey(nowMs);
  await store.tokenKeys.add(key);
  const keys = await store.tokenKeys.list();
  const dropped: string[] = [];
  for (let i = 0; i < keys.length - 1; i++) {
    const successor = keys[i + 1];
    const k = keys[i];
    if (k && successor && successor.createdAt.getTime() + MAX_TOKEN_LIFETIME_MS < nowMs) {
      await store.tokenKeys.delete(k.keyId);
      dropped.push(k.keyId);
    }
  }
  return { added: key.keyId, dropped };
}
