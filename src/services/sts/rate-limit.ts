// AssumeRole's rate: `rate` calls a second per account on average, bursts up to `rate`, as a token
// bucket. The real STS allows 100 AssumeRole calls per second per account and answers more with
// Throttling.User. One node keeps its buckets in memory; nodes sharing a store share them.
import type { SharedState } from '../../store/index.js';

export interface CallLimiter {
  readonly rate: number;
  /** Takes one call's worth for key at time nowMs; false when the key is over its rate. */
  take(key: string, nowMs: number): boolean | Promise<boolean>;
}

export class RateLimiter implements CallLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly rate: number) {}

  take(key: string, nowMs: number): boolean {
    if (this.rate <= 0) return true;
    const b = this.#buckets.get(key) ?? { tokens: this.rate, at: nowMs };
    b.tokens = Math.min(this.rate, b.tokens + ((nowMs - b.at) / 1000) * this.rate);
    b.at = nowMs;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.#buckets.set(key, b);
    return ok;
  }
}

/** The buckets in state every node shares (PostgreSQL or Redis): the rate holds across nodes. */
export class SharedRateLimiter implements CallLimiter {
  constructor(
    readonly rate: number,
    private readonly shared: Pick<SharedState, 'takeCall'>,
  ) {}

  take(key: string, nowMs: number): boolean | Promise<boolean> {
    return this.rate <= 0 ? true : this.shared.takeCall(`assume-role:${key}`, this.rate, nowMs);
  }
}
