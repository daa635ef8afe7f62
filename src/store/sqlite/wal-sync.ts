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
  /** Writes noted so far, and how many of them the last finished flush covered. */
  #writes = 0;
  #durable = 0;

  constructor(private readonly walPath: string) {}

  /** Called before every statement that may write: what is to be flushed. */
  noteWrite(): void {
    this.#writes++;
  }

  /** Writes noted so far by this process (a count that only grows). */
  get writes(): number {
    return this.#writes;
  }

  /** Resolves once everything committed before the call is on disk. */
  flushed(): Promise<void> {
    // Nothing written since the last flush (AssumeRole, say, writes nothing): nothing to wait for.
    if (this.#writes === this.#durable) return Promise.resolve();
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
    const upTo = this.#writes;
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
    this.#durable = Math.max(this.#durable, upTo);
  }

  async close(): Promise<void> {
    await this.#running;
    await this.#queued;
    await this.#file?.close();
    this.#file = undefined;
  }
}
