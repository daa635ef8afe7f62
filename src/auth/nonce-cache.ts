// Replay protection: a signature nonce may be used once per AccessKey while its request's time
// stamp is acceptable. Since a time stamp is accepted for 15 minutes either side, a nonce is
// remembered until 15 minutes after the later of its time stamp and its arrival.
import { nonceFingerprint, NonceTable } from './nonce-table.js';
import { MAX_CLOCK_SKEW_MS } from './timestamp.js';

export interface NonceCache {
  /** Records the nonce; false if it was already recorded and has not expired. */
  claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean>;
}

/**
 * In-process nonce memory, swept in one-minute generations so expiry costs nothing per request;
 * each generation a NonceTable of fingerprints.
 * Several API nodes share a Redis-backed cache instead.
 */
export class MemoryNonceCache implements NonceCache {
  readonly #generations = new Map<number, NonceTable>();
  static readonly GENERATION_MS = 60_000;

  async claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    this.#sweep(nowMs);
    const fingerprint = nonceFingerprint(accessKeyId, nonce);
    for (const table of this.#generations.values()) if (table.has(fingerprint)) return false;
    const expiresMs = Math.max(requestMs, nowMs) + MAX_CLOCK_SKEW_MS;
    const generation = Math.ceil(expiresMs / MemoryNonceCache.GENERATION_MS);
    let table = this.#generations.get(generation);
    if (table === undefined) this.#generations.set(generation, (table = new NonceTable()));
    return table.add(fingerprint);
  }

  /** How many nonces are remembered (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const table of this.#generations.values()) n += table.size;
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
