// A set of (AccessKeyId, nonce) pairs kept as 63-bit fingerprints in one typed array: about 16
// bytes a nonce instead of a string and a hash-set entry (hundreds of bytes, and work for the
// garbage collector for as long as the nonce is remembered). A server taking 3,000 signed
// requests a second remembers some three million nonces at any time.
//
// Two fingerprints can only be equal by chance (about one in 2^63 for a given pair), and then a
// fresh nonce would be refused as a replay: an error the caller retries, never a replay let
// through. The seeds are random (per process, or per data directory when the nonces are kept
// across restarts, where they are as secret as the rest of it), so nobody can aim at a collision.
import { randomInt } from 'node:crypto';

const EMPTY = 0;
const INITIAL_SLOTS = 1024;

export class NonceTable {
  /** Two 32-bit words a slot; a slot whose first word is EMPTY is free (fingerprints never are). */
  #slots = new Uint32Array(INITIAL_SLOTS * 2);
  #count = 0;

  get size(): number {
    return this.#count;
  }

  has(f: NonceFingerprint): boolean {
    return this.#find(this.#slots, f.high, f.low) < 0;
  }

  /** Adds the fingerprint; false if it was already there. */
  add(f: NonceFingerprint): boolean {
    const at = this.#find(this.#slots, f.high, f.low);
    if (at < 0) return false;
    this.#slots[at] = f.high;
    this.#slots[at + 1] = f.low;
    // At most half full, so probes stay short.
    if (++this.#count * 2 > this.#slots.length / 2) this.#grow();
    return true;
  }

  /** The slot holding the fingerprint (as -1) or the free slot where it belongs. */
  #find(slots: Uint32Array, high: number, low: number): number {
    const mask = slots.length / 2 - 1;
    for (let slot = low & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 2;
      const h = slots[at]!;
      if (h === EMPTY) return at;
      if (h === high && slots[at + 1] === low) return -1;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const slots = new Uint32Array(old.length * 2);
    for (let at = 0; at < old.length; at += 2) {
      const h = old[at]!;
      if (h === EMPTY) continue;
      const to = this.#find(slots, h, old[at + 1]!);
      slots[to] = h;
      slots[to + 1] = old[at + 1]!;
    }
    this.#slots = slots;
  }
}

export interface NonceFingerprint {
  /** Never EMPTY: its lowest bit is always set. */
  high: number;
  low: number;
}

export type NonceSeeds = readonly [number, number];

export const newNonceSeeds = (): NonceSeeds => [randomInt(2 ** 32 - 1), randomInt(2 ** 32 - 1)];

const SEEDS = newNonceSeeds();

/** Two independent 32-bit hashes (murmur3-style mixing) of the key id, a separator and the nonce. */
export function nonceFingerprint(accessKeyId: string, nonce: string, seeds: NonceSeeds = SEEDS): NonceFingerprint {
  let a = seeds[0];
  let b = seeds[1];
  const text = `${accessKeyId}\n${nonce}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul((b ^ c) + 0x7f4a7c15, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return { high: (finalize(a ^ text.length) | 1) >>> 0, low: finalize(b ^ text.length) >>> 0 };
}

/** murmur3's finalizer: every input bit affects every output bit. */
function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
