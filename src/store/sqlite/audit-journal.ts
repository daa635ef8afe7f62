// The audit journal: where an event is first written, before its answer is sent. One write() per
// turn of the event loop, from the request thread, puts that turn's events in the operating
// system's hands, which a crash of Rampart cannot take back; the indexer thread (audit-indexer.ts)
// then copies them into audit.db, where they are searched. Requests never wait for the indexer's
// commit, so they no longer wait in lockstep for each other's: the request thread keeps working
// while the indexer commits.
//
// Layout: DIR/audit.journal/<seq>.log, one event per line: the indexed columns as a JSON array, a
// tab, then the event's JSON (JSON text holds no raw tab or newline, so neither appears inside).
// A file is finished once a newer one exists; the indexer deletes it when it has indexed it all.
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditEventRow } from '../audit.js';

export const JOURNAL_DIR = 'audit.journal';

/** Past this size the appender starts a new file, so indexed events do not keep disk space. */
const ROTATE_BYTES = 16 * 1024 * 1024;

/**
 * The appender and the indexer share two counters (an Int32Array on a SharedArrayBuffer):
 * [APPENDED] counts appends; [STATE] is IDLE when the indexer waits to be woken by a message,
 * BUSY when it has a round to come and will look at the journal again by itself.
 */
export const APPENDED = 0;
export const STATE = 1;
export const IDLE = 0;
export const BUSY = 1;

const NAME = /^(\d{12})\.log$/;

export const journalFileName = (seq: number): string => `${String(seq).padStart(12, '0')}.log`;

/** The journal's files by sequence number, oldest first. */
export function journalFiles(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const seqs: number[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (m) seqs.push(Number(m[1]));
  }
  return seqs.sort((a, b) => a - b);
}

export function encodeLine(r: AuditEventRow): string {
  const columns = [r.eventId, r.accountId, r.eventTime, r.eventName, r.serviceName, r.eventRW, r.requestId, r.accessKeyId, r.userName, r.resourceType, r.resourceName];
  return `${JSON.stringify(columns)}\t${r.event}\n`;
}

/** A journal line (without its newline) as a row, or undefined when it is not one. */
export function decodeLine(line: string): AuditEventRow | undefined {
  const tab = line.indexOf('\t');
  if (tab < 0) return undefined;
  let c: unknown;
  try {
    c = JSON.parse(line.slice(0, tab));
  } catch {
    return undefined;
  }
  if (!Array.isArray(c) || c.length !== 11 || !c.every((v) => typeof v === 'string')) return undefined;
  const [eventId, accountId, eventTime, eventName, serviceName, eventRW, requestId, accessKeyId, userName, resourceType, resourceName] = c as string[];
  return { eventId: eventId!, accountId: accountId!, eventTime: eventTime!, eventName: eventName!, serviceName: serviceName!, eventRW: eventRW!, requestId: requestId!, accessKeyId: accessKeyId!, userName: userName!, resourceType: resourceType!, resourceName: resourceName!, event: line.slice(tab + 1) };
}

/** Complete lines of a journal file from a byte offset, and the offset just past the last one. */
export function readLines(path: string, from: number): { lines: string[]; end: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= from) return { lines: [], end: from };
    const buf = Buffer.allocUnsafe(size - from);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, from + got);
      if (n === 0) break;
      got += n;
    }
    // A line still being written (or torn by a crash) ends without its newline: not yet.
    const last = buf.lastIndexOf(0x0a, got - 1);
    if (last < 0) return { lines: [], end: from };
    return { lines: buf.toString('utf8', 0, last).split('\n'), end: from + last + 1 };
  } finally {
    closeSync(fd);
  }
}

/** The request thread's side: appends whole lines, synchronously, to the newest file. */
export class JournalAppender {
  #fd: number;
  #seq: number;
  #size: number;
  /** After a failed write the file may end in part of a line: the next append starts a new file. */
  #broken = false;

  constructor(
    private readonly dir: string,
    private readonly rotateBytes = ROTATE_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    const newest = journalFiles(dir).at(-1);
    if (newest !== undefined) {
      const fd = openSync(join(dir, journalFileName(newest)), 'a+');
      const size = fstatSync(fd).size;
      const tail = Buffer.alloc(1);
      if (size === 0 || (readSync(fd, tail, 0, 1, size - 1) === 1 && tail[0] === 0x0a)) {
        this.#fd = fd;
        this.#seq = newest;
        this.#size = size;
        return;
      }
      // Torn by a crash mid-write: leave that file to the indexer, which skips the torn end.
      closeSync(fd);
    }
    this.#seq = (newest ?? 0) + 1;
    this.#fd = openSync(join(dir, journalFileName(this.#seq)), 'ax');
    this.#size = 0;
  }

  /** Returns once the rows are in the operating system's hands; throws if they could not be. */
  append(rows: readonly AuditEventRow[]): void {
    if (this.#broken || this.#size >= this.rotateBytes) this.#next();
    let text = '';
    for (const r of rows) text += encodeLine(r);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(this.#fd, bytes, written, bytes.length - written);
    } catch (e) {
      this.#broken = true;
      throw e;
    } finally {
      this.#size += written;
    }
  }

  close(): void {
    closeSync(this.#fd);
  }

  #next(): void {
    closeSync(this.#fd);
    this.#seq++;
    this.#fd = openSync(join(this.dir, journalFileName(this.#seq)), 'ax');
    this.#size = 0;
    this.#broken = false;
  }
}
