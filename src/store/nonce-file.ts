// Signature nonces kept across restarts. A request is accepted while its time stamp is within 15
// minutes of the clock, so a nonce must be remembered that long, restarts included: otherwise a
// request captured before a restart could be sent again once after it. Each nonce the server
// accepts is written here as its fingerprint (never the nonce itself) before its request runs;
// a start reads back the ones still inside their window.
//
// Layout: DIR/nonces/seeds (the fingerprints' two seeds, made once), and one file per 15 minutes
// of expiry time, DIR/nonces/<window>.log, lines "<expiry ms, base 36> <16 hex digits>\n". A
// file whose window has passed holds nothing that matters and is deleted. Writes are gathered
// per turn of the event loop: one write() for all the requests of a turn, which then go on.
import { randomInt } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A nonce's fingerprint, as auth/nonce-table.ts makes it (the store knows nothing of nonces). */
interface Fingerprint {
  high: number;
  low: number;
}
type Seeds = readonly [number, number];

const WINDOW_MS = 15 * 60 * 1000;
const NAME = /^(\d+)\.log$/;
const LINE = /^([0-9a-z]{1,12}) ([0-9a-f]{8})([0-9a-f]{8})$/;

interface Pending {
  text: string;
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

/** The seeds of this directory's fingerprints, made the first time. */
function seedsOf(dir: string): Seeds {
  const path = join(dir, 'seeds');
  try {
    const [a, b] = readFileSync(path, 'utf8').trim().split(' ').map(Number);
    if (Number.isInteger(a) && Number.isInteger(b)) return [a ?? 0, b ?? 0];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const seeds: Seeds = [randomInt(2 ** 32 - 1), randomInt(2 ** 32 - 1)];
  // New seeds make every fingerprint recorded under older ones meaningless: start empty.
  for (const name of readdirSync(dir)) if (NAME.test(name)) rmSync(join(dir, name), { force: true });
  writeFileSync(path, `${seeds[0]} ${seeds[1]}\n`, { mode: 0o600 });
  return seeds;
}

/** What MemoryNonceCache takes as its NonceLog. */
export class NonceFile {
  readonly seeds: Seeds;
  readonly #dir: string;
  readonly #files = new Map<number, number>();
  #pending = new Map<number, Pending>();
  #scheduled = false;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#dir = dir;
    this.seeds = seedsOf(dir);
  }

  restore(nowMs: number, add: (f: Fingerprint, expiresMs: number) => void): void {
    for (const name of readdirSync(this.#dir)) {
      const m = NAME.exec(name);
      if (!m) continue;
      if ((Number(m[1]) + 1) * WINDOW_MS < nowMs) {
        rmSync(join(this.#dir, name), { force: true });
        continue;
      }
      for (const line of readFileSync(join(this.#dir, name), 'latin1').split('\n')) {
        // A line torn by a crash is no nonce; the whole lines around it still count.
        const l = LINE.exec(line);
        if (l === null) continue;
        const expires = parseInt(l[1] ?? '', 36);
        if (expires >= nowMs) add({ high: parseInt(l[2] ?? '', 16), low: parseInt(l[3] ?? '', 16) }, expires);
      }
    }
  }

  record(f: Fingerprint, expiresMs: number): Promise<void> {
    const window = Math.floor(expiresMs / WINDOW_MS);
    let pending = this.#pending.get(window);
    if (pending === undefined) this.#pending.set(window, (pending = { text: '', waiters: [] }));
    pending.text += `${expiresMs.toString(36)} ${hex8(f.high)}${hex8(f.low)}\n`;
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
        const bytes = Buffer.from(text, 'latin1');
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
    fd = openSync(join(this.#dir, `${window}.log`), 'a', 0o600);
    this.#files.set(window, fd);
    return fd;
  }
}

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
