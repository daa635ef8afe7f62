// A cheap first look at whether anyone has committed to a WAL-mode SQLite file since the last
// look. The WAL-index header (the first 48 bytes of the -shm file; see "The WAL-Index Format" in
// SQLite's walformat document) is rewritten by every commit, whichever connection makes it: its
// change counter and last valid frame move, and a log restarted from the top gets new salts.
// Reading it is one pread without locks, where PRAGMA data_version begins a read transaction
// (fcntl locks taken and released, the header checked) on every call — under load that was one
// call per turn of the event loop, a few microseconds of every request. The header only says
// whether to ask: data_version still tells another connection's commit from our own.
import { closeSync, openSync, readSync } from 'node:fs';

const HEADER_BYTES = 48;

export class WalIndexWatch {
  #fd: number | undefined;
  readonly #seen = Buffer.alloc(HEADER_BYTES);
  readonly #now = Buffer.alloc(HEADER_BYTES);

  /** shmPath: the database file's name with -shm; it exists once a connection has the file in WAL mode. */
  constructor(shmPath: string) {
    try {
      this.#fd = openSync(shmPath, 'r');
    } catch {
      // No index file to watch (another VFS, a read-only medium): every look says "ask".
      this.#fd = undefined;
    }
  }

  /**
   * False only when the header reads exactly as at the last call, so nothing was committed in
   * between; a header caught mid-write reads as changed (the caller asks, and is told exactly).
   */
  changed(): boolean {
    if (this.#fd === undefined) return true;
    let read: number;
    try {
      read = readSync(this.#fd, this.#now, 0, HEADER_BYTES, 0);
    } catch {
      return true;
    }
    if (read === HEADER_BYTES && this.#now.equals(this.#seen)) return false;
    this.#now.copy(this.#seen);
    return true;
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
