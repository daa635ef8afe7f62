// A per-account token bucket: `rate` calls a second on average, bursts up to `rate`. The real
// STS allows 100 AssumeRole calls per second per account and answers more with Throttling.User.

export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(readonly rate: number) {}

  /** Takes one call's worth for key at time nowMs; false when the key is over its rate. */
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
