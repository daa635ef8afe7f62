// What a node tells Prometheus (GET /metrics on each listener): requests by door, action and
// status with their latency, decisions by effect, read-cache hits and misses, how late change
// notifications from other nodes arrive, and how many audit events wait to be made durable.
// Labels are bounded by what Rampart implements (doors, actions, statuses, caches), never by
// what a request carries.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestObservation } from '../gateway/index.js';


export class NodeMetrics {
  readonly registry = new Registry();
  readonly #requests: Counter<'door' | 'action' | 'status'>;
  readonly #latency: Histogram<'door'>;
  readonly #decisions: Counter<'effect'>;
  readonly #cache: Counter<'cache' | 'result'>;
  readonly #feedLag: Histogram;

  constructor(nodeId: string, auditBacklog: () => number, feedListening: () => boolean | undefined) {
    this.registry.setDefaultLabels({ node: nodeId });
    collectDefaultMetrics({ register: this.registry, prefix: 'rampart_' });
    this.#requests = new Counter({ name: 'rampart_requests_total', help: 'Requests answered, by door, action and HTTP status.', labelNames: ['door', 'action', 'status'], registers: [this.registry] });
    this.#latency = new Histogram({
      name: 'rampart_request_duration_seconds',
      help: 'Time from a request arriving to its answer, by door.',
      labelNames: ['door'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.#decisions = new Counter({ name: 'rampart_decisions_total', help: 'Permission decisions, by effect.', labelNames: ['effect'], registers: [this.registry] });
    this.#cache = new Counter({ name: 'rampart_cache_lookups_total', help: 'Read-cache lookups, by cache and hit or miss.', labelNames: ['cache', 'result'], registers: [this.registry] });
    this.#feedLag = new Histogram({
      name: 'rampart_change_feed_lag_seconds',
      help: "From another node's write to this node hearing of it (clocks of different machines may differ).",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers: [this.registry],
    });
    new Gauge({ name: 'rampart_audit_backlog_events', help: 'Audit events handed to the store and not yet durable.', registers: [this.registry], collect() { this.set(auditBacklog()); } });
    new Gauge({
      name: 'rampart_change_feed_listening',
      help: '1 while this node hears other nodes\' writes (0: reconnecting, caches unused); absent for a single node.',
      registers: [this.registry],
      collect() {
        const listening = feedListening();
        if (listening !== undefined) this.set(listening ? 1 : 0);
      },
    });
  }

  request(o: RequestObservation): void {
    this.#requests.inc({ door: o.door, action: o.action, status: String(o.status) });
    this.#latency.observe({ door: o.door }, o.seconds);
    for (const effect of o.effects) this.#decisions.inc({ effect });
  }

  cacheLookup(cache: string, hit: boolean): void {
    this.#cache.inc({ cache, result: hit ? 'hit' : 'miss' });
  }

  feedLag(ms: number): void {
    this.#feedLag.observe(Math.max(0, ms) / 1000);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
