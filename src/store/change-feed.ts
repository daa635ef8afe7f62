// The change feed of a single process: listeners hear about each committed write at once.
// (A backend shared by several processes adds a cross-process channel, e.g. LISTEN/NOTIFY.)
import type { ChangeFeed } from './repositories.js';

export class LocalChangeFeed implements ChangeFeed {
  readonly #listeners = new Set<(accountId: string) => void>();

  subscribe(listener: (accountId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(accountId: string): void {
    for (const listener of this.#listeners) listener(accountId);
  }
}
