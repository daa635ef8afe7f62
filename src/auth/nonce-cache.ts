// Replay protection: a signature nonce may be used once per AccessKey while its request's time
// stamp is acceptable. Since a time stamp is accepted for 15 minutes either side, a nonce is
// remembered until 15 minutes after the later of its time stamp and its arrival.
import { MAX_CLOCK_SKEW_MS } from './timestamp.js';

export interface NonceCache {
  /** Records the nonce; false if it was already recorded and has not expired. */
  claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean>;
}

/**
 * In-process nonce memory, swept in one-minute generations so expiry costs nothing per request.
 * Several API nodes share a Redis-backed cache instead.
 */
export class MemoryNonceCache implements NonceCache {
  readonly #generations = new Map<number, Set<string>>();
  static readonly GENERATION_MS = 60_000;

  async claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    this.#sweep(nowMs);
    const key = `${accessKeyId}\n${nonce}`;
    for (const set of this.#generations.values()) if (set.has(key)) return false;
    const expiresMs = Math.max(requestMs, nowMs) + MAX_CLOCK_SKEW_MS;
    const generation = Math.ceil(expiresMs / MemoryNonceCache.GENERATION_MS);
    let set = this.#generations.get(generation);
    if (set === undefined) this.#generations.set(generation, (set = new Set()));
    set.add(key);
    return true;
  }

  /** How many nonces are remembered (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const set of this.#generations.values()) n += set.size;
    return n;
  }

  #sweep(nowMs: number): void {
    // Generation g holds nonces whose memory ends at or before g * GENERATION_MS; a time stamp
    // exactly at the edge of the window is still accepted, so only strictly older ones go.
    for (const generation of this.#generations.keys()) {
      if (generation * MemoryNonceCache.GENERATION_MS < nowMs) this.#generations.delete(generation);
    }
  }
}
