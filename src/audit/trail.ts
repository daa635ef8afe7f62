// The audit trail as the lifecycle's sink: a record becomes an ActionTrail event (event.ts) and is
// handed to the store, and record() resolves only once the event is safe from a crash of Rampart
// (in the embedded store: written to the audit journal, which writes every event of one turn of
// the event loop at once), so a response that reports success always has its event. If the store
// fails, requests fail: nothing goes unrecorded.
import type { AuditRecord, AuditSink } from '../gateway/index.js';
import type { Store } from '../store/index.js';
import { toEvent } from './event.js';

export class AuditTrail implements AuditSink {
  readonly #listeners = new Set<(event: Record<string, unknown>) => void>();

  constructor(private readonly store: Store) {}

  #pending = 0;

  record(entry: AuditRecord): Promise<void> {
    const { rows, event } = toEvent(entry);
    for (const l of this.#listeners) l(event);
    this.#pending++;
    return this.store.audit.append(rows).finally(() => this.#pending--);
  }

  /** Events handed to the store and not yet durable (for metrics). */
  get backlog(): number {
    return this.#pending;
  }

  /** Live events as they are recorded (for `rampart audit tail --follow` in-process and tests). */
  subscribe(listener: (event: Record<string, unknown>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
