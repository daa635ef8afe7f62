// Durability without stalling the event loop. The main file commits with synchronous=NORMAL
// (a commit writes the write-ahead log but does not wait for the disk), and a write is
// acknowledged only after this has flushed the log from a worker of the thread pool. Flushes
// are shared: one flush covers every commit made before it started, so concurrent writers pay
// for one between them.
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  #file: FileHandle | undefined;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before the call is on disk. */
  flushed(): Promise<void> {
    if (this.#running === undefined) {
      this.#running = this.#flush().finally(() => (this.#running = undefined));
      return this.#running;
    }
    // The flush in progress may have started before our commit: wait for one that starts after.
    this.#queued ??= this.#running.then(() => {
      this.#queued = undefined;
      return this.flushed();
    });
    return this.#queued;
  }

  async #flush(): Promise<void> {
    if (this.#file === undefined) {
      try {
        this.#file = await open(this.walPath, 'r');
      } catch (e) {
        // No log yet: nothing has been committed through it, so nothing waits on the disk.
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw e;
      }
    }
    // fdatasync flushes the file itself (the inode), whichever descriptor asks.
    await this.#file.datasync();
  }

  async close(): Promise<void> {
    await this.#running;
    await this.#queued;
    await this.#file?.close();
    this.#file = undefined;
  }
}
