// Gathers what requests hand in and writes it at once: one journal write (SQLite) or one INSERT
// and commit (PostgreSQL) for many audit events instead of one each. A batch is written at the end
// of the turn of the event loop that started it; while a write is under way (a commit waits for
// the disk), what arrives meanwhile waits for it and goes in the next one, so the busier the
// server, the bigger and fewer the writes. Each caller's promise settles with the write that
// carried its items.
interface Batch<T> {
  items: T[];
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

export class TurnBatch<T> {
  #pending: Batch<T> | undefined;
  #writing: Promise<void> | undefined;
  #scheduled = false;

  constructor(private readonly write: (items: T[]) => void | Promise<void>) {}

  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#pending ??= { items: [], waiters: [] };
      this.#pending.items.push(...items);
      this.#pending.waiters.push({ resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once everything handed in so far is written (for a close). */
  async flush(): Promise<void> {
    while (this.#writing !== undefined || this.#pending !== undefined) {
      if (this.#writing === undefined) this.#start();
      await this.#writing;
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#writing !== undefined) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#writing === undefined) this.#start();
    });
  }

  #start(): void {
    const batch = this.#pending;
    if (batch === undefined) return;
    this.#pending = undefined;
    this.#writing = (async () => {
      try {
        await this.write(batch.items);
        for (const w of batch.waiters) w.resolve();
      } catch (e) {
        for (const w of batch.waiters) w.reject(e);
      }
    })().finally(() => {
      this.#writing = undefined;
      // What arrived during the write goes now, in one batch.
      if (this.#pending !== undefined) this.#start();
    });
  }
}
