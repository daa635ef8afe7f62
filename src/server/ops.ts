// What every listener answers for the people running it, before the product: GET /health (is this
// node able to answer: its store and Redis reachable, its change feed listening) and GET /metrics
// (Prometheus text, metrics.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/index.js';
import type { NodeMetrics } from './metrics.js';

export interface Ops {
  store: Store;
  redis?: { reachable(): Promise<boolean> };
  metrics: NodeMetrics;
}

type Verdict = 'ok' | 'degraded' | 'down';

/**
 * down (503): the store or Redis does not answer, so neither will this node's requests.
 * degraded (200): requests are answered, but the change feed is reconnecting (every lookup reads
 * the store meanwhile). ok (200) otherwise.
 */
export async function healthOf(ops: Ops): Promise<{ status: number; body: Record<string, string> }> {
  const [store, redis] = await Promise.all([ops.store.reachable ? ops.store.reachable() : true, ops.redis?.reachable()]);
  const feed = ops.store.changes.listening;
  const verdict: Verdict = !store || redis === false ? 'down' : feed === false ? 'degraded' : 'ok';
  return {
    status: verdict === 'down' ? 503 : 200,
    body: {
      status: verdict,
      store: store ? 'ok' : 'unreachable',
      ...(redis !== undefined ? { redis: redis ? 'ok' : 'unreachable' } : {}),
      ...(feed !== undefined ? { changeFeed: feed ? 'listening' : 'reconnecting' } : {}),
    },
  };
}

const path = (req: IncomingMessage) => (req.url === '/health/' ? '/health' : req.url === '/metrics/' ? '/metrics' : req.url);

/**
 * The answer to /health or /metrics; undefined, at once, for every other request (the product's):
 * deciding that is on every request's path, so it costs no promise.
 */
export function answerOps(req: IncomingMessage, res: ServerResponse, ops: Ops): Promise<void> | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const p = path(req);
  if (p === '/health') {
    return healthOf(ops).then(({ status, body }) => send(res, status, 'application/json;charset=utf-8', JSON.stringify(body)));
  }
  if (p === '/metrics') {
    return ops.metrics.render().then(({ contentType, body }) => send(res, 200, contentType, body));
  }
  return undefined;
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
