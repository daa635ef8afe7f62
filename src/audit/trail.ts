// The audit trail as the pipeline's sink. Records are handed to the store in batches, and
// record() resolves only once its event is safe from a crash of Rampart (in the embedded store:
// written to the audit journal), so a response that reports success always has its event. If the
// store fails, requests fail: nothing goes unrecorded.
// A batch starts only after the current turn of the event loop, so the events of every request
// handled in that turn go to the store together (one write) rather than one each.
import type { AuditRecord, AuditSink } from '../gateway/index.js';
import type { AuditEventRow, Store } from '../store/index.js';
import { toEvent } from './event.js';

interface Pending {
  rows: AuditEventRow[];
  done: (e?: unknown) => void;
}

const MAX_BATCH = 500;

export class AuditTrail implements AuditSink {
  #queue: Pending[] = [];
  #writing: Promise<void> | undefined;
  readonly #listeners = new Set<(event: Record<string, unknown>) => void>();

  constructor(private readonly store: Store) {}

  record(entry: AuditRecord): Promise<void> {
    const { rows, event } = toEvent(entry);
    for (const l of this.#listeners) l(event);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ rows, done: (e) => (e === undefined ? resolve() : reject(e)) });
      if (this.#writing === undefined) this.#writing = new Promise((started) => setImmediate(started)).then(() => this.#drain());
    });
  }

  /** Live events as they are recorded (for `rampart audit tail --follow` in-process and tests). */
  subscribe(listener: (event: Record<string, unknown>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      try {
        await this.store.audit.append(batch.flatMap((p) => p.rows));
        for (const p of batch) p.done();
      } catch (e) {
        for (const p of batch) p.done(e);
      }
    }
    this.#writing = undefined;
  }

  /** Resolves when everything recorded so far is written (used at shutdown). */
  async flush(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
  }
}
