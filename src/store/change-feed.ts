// The change feed of a single process: listeners hear about each committed write at once.
// Writes by other processes sharing the store (the CLI beside a running server) are noticed by
// catchUp(), which asks the backend whether anyone else has committed since it last looked.
import type { ChangeFeed } from './repositories.js';

/** Who listens to a feed, and telling them (undefined: every account changed). */
export class FeedListeners {
  readonly #listeners = new Set<(accountId: string | undefined) => void>();

  subscribe(listener: (accountId: string | undefined) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(accountId: string | undefined): void {
    for (const listener of this.#listeners) listener(accountId);
  }
}

export class LocalChangeFeed extends FeedListeners implements ChangeFeed {
  /** externalVersion: a number that changes whenever another process commits (SQLite's data_version). */
  constructor(private readonly externalVersion: () => number = () => 0) {
    super();
    this.#seen = externalVersion();
  }

  #seen: number;
  #checked = false;

  catchUp(): void {
    // Once per turn of the event loop: requests handled in one turn are concurrent, and a write
    // another process commits during that turn is seen by the requests of the next.
    if (this.#checked) return;
    this.#checked = true;
    setImmediate(() => (this.#checked = false));
    const version = this.externalVersion();
    if (version === this.#seen) return;
    this.#seen = version;
    this.emit(undefined);
  }
}
