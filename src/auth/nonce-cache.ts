// Replay protection: a signature nonce may be used once per AccessKey while its request's time
// stamp is acceptable. Since a time stamp is accepted for 15 minutes either side, a nonce is
// remembered until 15 minutes after the later of its time stamp and its arrival.
import { createHash } from 'node:crypto';
import { nonceFingerprint, NonceTable } from './nonce-table.js';
import { MAX_CLOCK_SKEW_MS } from './timestamp.js';

/**
 * Where accepted nonces outlive the process: what an earlier run accepted (digest → expiry), and
 * a way to record each new one. A digest, not the nonce: the log holds nothing a request sent.
 */
export interface NonceLog {
  restored: Map<string, number>;
  record(digest: string, expiresMs: number): Promise<void>;
}

/** A stable digest of (AccessKeyId, nonce): the in-memory fingerprints are seeded per process. */
export function nonceDigest(accessKeyId: string, nonce: string): string {
  return createHash('sha256').update(accessKeyId).update('\n').update(nonce).digest('base64url').slice(0, 22);
}

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
  #nextRestoredSweep = 0;
  static readonly GENERATION_MS = 60_000;

  /** With a log, nonces survive restarts: each is recorded before its request may go on. */
  constructor(private readonly log?: NonceLog) {}

  async claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    this.#sweep(nowMs);
    const fingerprint = nonceFingerprint(accessKeyId, nonce);
    for (const table of this.#generations.values()) if (table.has(fingerprint)) return false;
    const digest = this.log === undefined ? undefined : nonceDigest(accessKeyId, nonce);
    if (digest !== undefined && (this.log?.restored.get(digest) ?? -1) >= nowMs) return false;
    const expiresMs = Math.max(requestMs, nowMs) + MAX_CLOCK_SKEW_MS;
    const generation = Math.ceil(expiresMs / MemoryNonceCache.GENERATION_MS);
    let table = this.#generations.get(generation);
    if (table === undefined) this.#generations.set(generation, (table = new NonceTable()));
    if (!table.add(fingerprint)) return false;
    if (digest !== undefined) await this.log?.record(digest, expiresMs);
    return true;
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
    const restored = this.log?.restored;
    if (restored !== undefined && restored.size > 0 && nowMs >= this.#nextRestoredSweep) {
      this.#nextRestoredSweep = nowMs + MemoryNonceCache.GENERATION_MS;
      for (const [digest, expires] of restored) if (expires < nowMs) restored.delete(digest);
    }
  }
}
