// Waiting for what another node hears through the change feed: PostgreSQL delivers a NOTIFY to
// the other listeners after the write commits, on their own connections, so the other node's
// next request can arrive first. The promise is a bound (a second), not "at once".
import assert from 'node:assert/strict';

/** What the scale-out mode promises: a change on one node holds on every other within this. */
export const PROPAGATION_BOUND_MS = 1000;

/** Polls until check passes; returns how long it took (ms). Fails past the bound. */
export async function within(boundMs: number, check: () => Promise<boolean>, what = 'the change'): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > boundMs) assert.fail(`${what}: not seen within ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
