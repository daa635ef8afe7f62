// Signature nonces kept across restarts. A request is accepted while its time stamp is within 15
// minutes of the clock, so a nonce must be remembered that long, restarts included: otherwise a
// request captured before a restart could be sent again once after it. Each nonce the server
// accepts is written here (as a digest, never the nonce itself) before its request runs; a start
// reads back the ones still inside their window.
//
// Layout: DIR/nonces/<window>.log, one file per 15 minutes of expiry time, lines
// "<expiry ms, base 36> <digest>\n". A file whose window has passed holds nothing that matters
// and is deleted. Writes are gathered per turn of the event loop: one write() for all the
// requests of a turn, which then go on.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const WINDOW_MS = 15 * 60 * 1000;
const NAME = /^(\d+)\.log$/;

interface Pending {
  text: string;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

export class NonceFile {
  readonly #dir: string;
  readonly #files = new Map<number, number>();
  #pending = new Map<number, Pending>();
  #scheduled = false;

  private constructor(dir: string) {
    this.#dir = dir;
  }

  /** Opens (creating) the directory; `restored` holds what earlier runs recorded that is still alive at nowMs. */
  static open(dir: string, nowMs: number): { file: NonceFile; restored: Map<string, number> } {
    mkdirSync(dir, { recursive: true });
    const restored = new Map<string, number>();
    for (const name of readdirSync(dir)) {
      const m = NAME.exec(name);
      if (!m) continue;
      const window = Number(m[1]);
      if ((window + 1) * WINDOW_MS < nowMs) {
        rmSync(join(dir, name), { force: true });
        continue;
      }
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        const space = line.indexOf(' ');
        // A line torn by a crash ends the file's useful part; what is whole before it counts.
        if (space < 0) continue;
        const expires = parseInt(line.slice(0, space), 36);
        if (Number.isFinite(expires) && expires >= nowMs) restored.set(line.slice(space + 1), expires);
      }
    }
    return { file: new NonceFile(dir), restored };
  }

  /** Resolves once the digest is in the operating system's hands (rejects if it could not be). */
  record(digest: string, expiresMs: number): Promise<void> {
    const window = Math.floor(expiresMs / WINDOW_MS);
    let pending = this.#pending.get(window);
    if (pending === undefined) this.#pending.set(window, (pending = { text: '', waiters: [] }));
    pending.text += `${expiresMs.toString(36)} ${digest}\n`;
    const done = new Promise<void>((resolve, reject) => pending.waiters.push({ resolve, reject }));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    return done;
  }

  close(): void {
    this.#flush();
    for (const fd of this.#files.values()) closeSync(fd);
    this.#files.clear();
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    this.#pending = new Map();
    for (const [window, { text, waiters }] of batch) {
      try {
        const bytes = Buffer.from(text);
        const fd = this.#fd(window);
        for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
  }

  #fd(window: number): number {
    let fd = this.#files.get(window);
    if (fd !== undefined) return fd;
    // A new window: the ones that ended a window ago hold only dead nonces.
    for (const [old, oldFd] of this.#files) {
      if (old < window - 1) {
        closeSync(oldFd);
        this.#files.delete(old);
        rmSync(join(this.#dir, `${old}.log`), { force: true });
      }
    }
    fd = openSync(join(this.#dir, `${window}.log`), 'a');
    this.#files.set(window, fd);
    return fd;
  }
}
