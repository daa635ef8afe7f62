// How long the trail keeps events (server/settings.ts reads how many days; 0 keeps them for
// ever). Old events go at start and then hourly.
import type { Logger } from 'pino';
import { isoSeconds } from '../model/index.js';
import type { Store } from '../store/index.js';

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Starts sweeping; the returned function stops it, once a sweep in progress has ended. */
export function keepAuditFor(store: Store, days: number, now: () => number, log: Logger): () => Promise<void> {
  if (days === 0) return async () => {};
  let running: Promise<void> = Promise.resolve();
  const sweep = () => {
    running = (async () => {
      try {
        const removed = await store.audit.expire(isoSeconds(now() - days * 24 * 3600 * 1000));
        if (removed > 0) log.info({ removed, days }, 'audit events past their retention removed');
      } catch (e) {
        log.error({ err: e }, 'removing old audit events failed');
      }
    })();
  };
  sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
