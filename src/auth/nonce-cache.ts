// Replay protection: a signature nonce may be used once per AccessKey while its request's time
// stamp is acceptable. Since a time stamp is accepted for 15 minutes either side, a nonce is
// remembered until 15 minutes after the later of its time stamp and its arrival.
import { nonceFingerprint, NonceTable, newNonceSeeds, type NonceFingerprint, type NonceSeeds } from './nonce-table.js';
import type { SharedState } from '../store/index.js';
import { MAX_CLOCK_SKEW_MS } from './timestamp.js';

/**
 * Where accepted nonces outlive the process. It keeps fingerprints (never a nonce a request sent)
 * under seeds of its own, so that what an earlier run recorded still matches what a request
 * sends now; the cache reads those back at start and records each new one.
 */
export interface NonceLog {
  readonly seeds: NonceSeeds;
  /** Hands over every recorded fingerprint still alive at nowMs. */
  restore(nowMs: number, add: (f: NonceFingerprint, expiresMs: number) => void): void;
  /** Resolves once the fingerprint is safe from a crash of the process. */
  record(f: NonceFingerprint, expiresMs: number): Promise<void>;
}

export interface NonceCache {
  /** Records the nonce; false if it was already recorded and has not expired. */
  claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean>;
}

/**
 * In-process nonce memory, swept in one-minute generations so expiry costs nothing per request;
 * each generation a NonceTable of fingerprints. With a log, what an earlier run accepted is
 * remembered too, and each nonce is on record before its request may go on. One process's memory:
 * nodes that share a credential must share a cache too (NonceCache is the seam for that).
 */
export class MemoryNonceCache implements NonceCache {
  readonly #generations = new Map<number, NonceTable>();
  readonly #seeds: NonceSeeds;
  static readonly GENERATION_MS = 60_000;

  constructor(
    private readonly log?: NonceLog,
    nowMs = Date.now(),
  ) {
    this.#seeds = log?.seeds ?? newNonceSeeds();
    log?.restore(nowMs, (f, expiresMs) => this.#table(expiresMs).add(f));
  }

  async claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    this.#sweep(nowMs);
    const fingerprint = nonceFingerprint(accessKeyId, nonce, this.#seeds);
    for (const table of this.#generations.values()) if (table.has(fingerprint)) return false;
    const expiresMs = Math.max(requestMs, nowMs) + MAX_CLOCK_SKEW_MS;
    if (!this.#table(expiresMs).add(fingerprint)) return false;
    await this.log?.record(fingerprint, expiresMs);
    return true;
  }

  /** How many nonces are remembered (for tests and metrics). */
  get size(): number {
    let n = 0;
    for (const table of this.#generations.values()) n += table.size;
    return n;
  }

  #table(expiresMs: number): NonceTable {
    const generation = Math.ceil(expiresMs / MemoryNonceCache.GENERATION_MS);
    let table = this.#generations.get(generation);
    if (table === undefined) this.#generations.set(generation, (table = new NonceTable()));
    return table;
  }

  #sweep(nowMs: number): void {
    // Generation g holds nonces whose memory ends at or before g * GENERATION_MS; a time stamp
    // exactly at the edge of the window is still accepted, so only strictly older ones go.
    for (const generation of this.#generations.keys()) {
      if (generation * MemoryNonceCache.GENERATION_MS < nowMs) this.#generations.delete(generation);
    }
  }
}

/** Nonces kept in state every node shares (PostgreSQL or Redis): a nonce used on one node is refused on all. */
export class SharedNonceCache implements NonceCache {
  constructor(private readonly shared: Pick<SharedState, 'claimNonce'>) {}

  claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    return this.shared.claimNonce(accessKeyId, nonce, Math.max(requestMs, nowMs) + MAX_CLOCK_SKEW_MS, nowMs);
  }
}
