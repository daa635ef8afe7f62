// Shared invariants for fuzzing the front doors of a running test server: what the store holds
// (to prove a refused request changed nothing), a bound on every answer, and the shape every door
// must answer in. Used by test/reliability/fuzz-*.test.ts.
import BetterSqlite3 from 'better-sqlite3';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import { SQLITE_FILE } from '../../src/store/sqlite/open.js';

export type Door = 'api' | 'oss' | 'metadata' | 'console';

/**
 * Tables that move on requests that are refused, by design, and so are left out of a snapshot:
 * - audit_events: every request with an event is recorded, refused or not (Vault's rule).
 * - signature_nonces, rate_buckets: a nonce is spent and a call-rate token taken before the
 *   signature or permission is known to be good (the embedded backend leaves them empty anyway).
 * - kysely_migration, kysely_migration_lock: bookkeeping, not state.
 */
export const VOLATILE_TABLES: ReadonlySet<string> = new Set(['audit_events', 'signature_nonces', 'rate_buckets', 'kysely_migration', 'kysely_migration_lock']);

/**
 * Settings rows that move without any request being granted: a console sign-out is kept as a
 * setting (console.signed-out.<sid>), and a sign-out of a session that is gone is still honoured;
 * the lifecycle sweep's cursor moves on a timer.
 */
export const VOLATILE_SETTINGS: readonly RegExp[] = [/^console\.signed-out\./, /^oss\.lifecycle-sweep\.cursor$/];

/** Directories of the data dir that are not the store's state (the audit file and nonce files). */
const VOLATILE_DIRS: readonly RegExp[] = [/^audit/, /nonce/i, /^rampart\.db/];

/**
 * A digest of everything the store holds, per table (rows in a fixed order), plus the listing of
 * the blob directory. Opened read-only beside the running server (WAL: readers see committed data).
 * Two equal snapshots mean nothing durable changed in between.
 */
export function storeSnapshot(dataDir: string, blobsDir = join(dataDir, 'blobs')): Record<string, string> {
  const db = new BetterSqlite3(join(dataDir, SQLITE_FILE), { readonly: true, fileMustExist: true });
  const out: Record<string, string> = {};
  try {
    db.pragma('busy_timeout = 5000');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    // One read transaction, so the tables are seen at one moment.
    db.transaction(() => {
      for (const table of tables) {
        if (VOLATILE_TABLES.has(table)) continue;
        const rows = db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"`).all() as Record<string, unknown>[];
        const kept = table === 'settings' ? rows.filter((r) => !VOLATILE_SETTINGS.some((re) => re.test(String(r['name'])))) : rows;
        const lines = kept.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? v.toString() : v))).sort();
        out[`table:${table}`] = `${lines.length}:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
      }
    })();
  } finally {
    db.close();
  }
  out['blobs'] = listing(blobsDir);
  return out;
}

function listing(dir: string): string {
  if (!existsSync(dir)) return 'absent';
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (VOLATILE_DIRS.some((re) => re.test(rel))) continue;
      const st = statSync(p, { throwIfNoEntry: false });
      if (st === undefined) continue;
      if (st.isDirectory()) walk(p);
      else files.push(`${rel}:${st.size}`);
    }
  };
  walk(dir);
  return `${files.length}:${createHash('sha256').update(files.sort().join('\n')).digest('hex')}`;
}

/** Asserts two snapshots are equal, naming the tables that differ. */
export function assertSameStore(before: Record<string, string>, after: Record<string, string>, what: string): void {
  const changed = Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);
  assert.deepEqual(changed, [], `${what}: the store changed (${changed.join(', ')})`);
}

export class AnswerTimeout extends Error {}

/** The promise's value, or an AnswerTimeout if it takes longer than ms. */
export async function answerWithin<T>(promise: Promise<T>, ms: number, what = 'request'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AnswerTimeout(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** How many runs a property gets: RAMPART_FUZZ_RUNS (npm run fuzz) or the bounded default. */
export function runs(defaultN: number): number {
  const v = Number(process.env['RAMPART_FUZZ_RUNS']);
  return Number.isInteger(v) && v > 0 ? v : defaultN;
}

/** Whether the fuzz runs were raised (npm run fuzz): the big runs print counts. */
export const fuzzRaised = (): boolean => runs(0) > 0;

/** The status rule: never a 5xx, save a deliberate 501 NotImplemented or 503 ServiceUnavailable. */
export function assertStatusRule(status: number, code: string | undefined, what: string): void {
  if (status < 500) return;
  if (status === 501 && (code === undefined || /NotImplemented|Unsupported/i.test(code))) return;
  if (status === 503 && (code === undefined || /ServiceUnavailable|Unavailable|Throttl|Busy/i.test(code))) return;
  assert.fail(`${what}: status ${status}${code ? ` (${code})` : ''}`);
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function headerOf(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

function xmlTag(body: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];
}

/**
 * Asserts an answer is in its door's format with a request id, and obeys the status rule.
 * Returns the error code when the answer is an error (for the caller's counts).
 * - api: JSON (or XML for Format=XML) with RequestId, and Code/Message on errors; x-acs-request-id.
 * - oss: on errors an XML <Error> with Code and RequestId (HEAD: none, x-oss-err carries it); x-oss-request-id.
 * - metadata: plain text; x-request-id.
 * - console: JSON with RequestId on /api/*; x-acs-request-id.
 */
export function assertProductAnswer(door: Door, status: number, headers: HeaderBag, body: string, options: { method?: string; what?: string; path?: string } = {}): string | undefined {
  const what = options.what ?? door;
  const ctype = headerOf(headers, 'content-type') ?? '';
  const method = (options.method ?? 'GET').toUpperCase();
  let code: string | undefined;
  if (method === 'HEAD' && door !== 'oss') {
    // An answer to HEAD has no body; its headers still carry the request id.
    const rid = door === 'metadata' ? 'x-request-id' : 'x-acs-request-id';
    if (door !== 'console' || /json/i.test(ctype)) assert.ok(headerOf(headers, rid), `${what}: no ${rid} (status ${status})`);
    assertStatusRule(status, undefined, what);
    return undefined;
  }
  switch (door) {
    case 'api': {
      const rid = headerOf(headers, 'x-acs-request-id');
      assert.ok(rid, `${what}: no x-acs-request-id (status ${status})`);
      if (/xml/i.test(ctype)) {
        assert.equal(xmlTag(body, 'RequestId'), rid, `${what}: XML body's RequestId is not the header's: ${body.slice(0, 300)}`);
        code = status >= 300 ? xmlTag(body, 'Code') : undefined;
        if (status >= 300) assert.ok(code && xmlTag(body, 'Message') !== undefined, `${what}: XML error without Code/Message: ${body.slice(0, 300)}`);
      } else {
        assert.match(ctype, /^application\/json/i, `${what}: content-type ${ctype}`);
        let json: Record<string, unknown>;
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          assert.fail(`${what}: body is not JSON (status ${status}): ${body.slice(0, 300)}`);
        }
        assert.equal(json['RequestId'], rid, `${what}: body's RequestId is not the header's`);
        if (status >= 300) {
          code = typeof json['Code'] === 'string' ? json['Code'] : undefined;
          assert.ok(code && typeof json['Message'] === 'string', `${what}: error without Code/Message: ${body.slice(0, 300)}`);
        }
      }
      break;
    }
    case 'oss': {
      const rid = headerOf(headers, 'x-oss-request-id');
      assert.ok(rid, `${what}: no x-oss-request-id (status ${status})`);
      if (status >= 300 && status !== 304) {
        if (method === 'HEAD') {
          const err = headerOf(headers, 'x-oss-err');
          if (err !== undefined) {
            const xml = Buffer.from(err, 'base64').toString('utf8');
            code = xmlTag(xml, 'Code');
            assert.equal(xmlTag(xml, 'RequestId'), rid, `${what}: x-oss-err's RequestId is not the header's`);
          }
        } else if (status !== 301 && status !== 302 && status !== 307) {
          assert.match(body, /<Error>/, `${what}: error is not an XML <Error> (status ${status}): ${body.slice(0, 300)}`);
          code = xmlTag(body, 'Code');
          assert.ok(code, `${what}: <Error> without Code`);
          assert.equal(xmlTag(body, 'RequestId'), rid, `${what}: <Error>'s RequestId is not the header's`);
        }
      }
      break;
    }
    case 'metadata': {
      assert.ok(headerOf(headers, 'x-request-id'), `${what}: no x-request-id (status ${status})`);
      assert.match(ctype, /^(text\/plain|application\/json)/i, `${what}: content-type ${ctype}`);
      if (status >= 500) code = status === 503 ? 'ServiceUnavailable' : body.trim() === 'Internal Server Error' ? 'InternalError' : body.slice(0, 80);
      break;
    }
    case 'console': {
      const rid = headerOf(headers, 'x-acs-request-id');
      if (/xml/i.test(ctype) && status >= 300) {
        // The console's object browser (/api/oss) passes on OSS's own XML errors.
        assert.match(body, /<Error>/, `${what}: XML that is not an <Error> (status ${status})`);
        code = xmlTag(body, 'Code');
        assert.ok(code && xmlTag(body, 'RequestId'), `${what}: <Error> without Code/RequestId: ${body.slice(0, 300)}`);
      } else if (/json/i.test(ctype)) {
        let json: Record<string, unknown>;
        try {
          json = JSON.parse(body) as Record<string, unknown>;
        } catch {
          assert.fail(`${what}: body is not JSON (status ${status}): ${body.slice(0, 300)}`);
        }
        assert.ok(rid, `${what}: no x-acs-request-id (status ${status})`);
        assert.equal(json['RequestId'], rid, `${what}: body's RequestId is not the header's`);
        if (status >= 300) {
          code = typeof json['Code'] === 'string' ? json['Code'] : undefined;
          assert.ok(code && typeof json['Message'] === 'string', `${what}: error without Code/Message: ${body.slice(0, 300)}`);
        }
      } else {
        // The console's pages and assets (HTML, JS) answer as a static site does; /api/* only in JSON.
        assert.ok(status < 400 || !(options.path ?? '/api/').startsWith('/api/'), `${what}: a ${status} that is not JSON (${ctype}): ${body.slice(0, 200)}`);
      }
      break;
    }
  }
  assertStatusRule(status, code, what);
  return code;
}

/** Counts per door and outcome, printed by npm run fuzz. */
export class FuzzCounts {
  readonly #counts = new Map<string, Map<string, number>>();
  add(door: string, outcome: string): void {
    const m = this.#counts.get(door) ?? new Map<string, number>();
    m.set(outcome, (m.get(outcome) ?? 0) + 1);
    this.#counts.set(door, m);
  }
  total(door: string): number {
    let n = 0;
    for (const v of this.#counts.get(door)?.values() ?? []) n += v;
    return n;
  }
  report(): string {
    const lines: string[] = [];
    for (const [door, m] of [...this.#counts].sort()) {
      const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k}=${v}`).join(' ');
      lines.push(`fuzz ${door}: ${this.total(door)} requests (${top})`);
    }
    return lines.join('\n');
  }
}

export interface RawAnswer {
  status: number;
  /** Lower-cased names; a repeated header's values joined with ', '. */
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method: string;
  /** The request target exactly as sent (no validation: fuzzers send what clients should not). */
  path: string;
  /** In order, repeats allowed; Host and Connection: close are added unless given. */
  headers?: readonly (readonly [string, string])[];
  body?: Buffer | string;
  /** Content-Length is added for a body unless this is false or one is given. */
  contentLength?: boolean;
  /** The local address to send from (the metadata listener tells instances apart by it). */
  localAddress?: string;
}

/**
 * One HTTP/1.1 request over a fresh TCP connection, bytes as given (duplicate headers, odd targets,
 * bodies shorter than they say), and the answer read until the server closes. Rejects when the
 * connection ends without a parsable answer.
 */
export function rawHttp(endpoint: string, r: RawRequest): Promise<RawAnswer> {
  const url = new URL(endpoint);
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const headers = [...(r.headers ?? [])];
  const has = (n: string) => headers.some(([k]) => k.toLowerCase() === n);
  if (!has('host')) headers.unshift(['Host', url.host]);
  if (!has('connection')) headers.push(['Connection', 'close']);
  if (body !== undefined && r.contentLength !== false && !has('content-length') && !has('transfer-encoding')) headers.push(['Content-Length', String(body.length)]);
  // A body framed as chunked is sent chunked (one chunk and the last), so the request is complete.
  const chunked = headers.some(([k, v]) => k.toLowerCase() === 'transfer-encoding' && /chunked/i.test(v));
  const payload = chunked ? Buffer.concat([body && body.length > 0 ? Buffer.from(`${body.length.toString(16)}\r\n${body.toString('latin1')}\r\n`, 'latin1') : Buffer.alloc(0), Buffer.from('0\r\n\r\n')]) : body;
  const head = Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`, 'utf8');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: url.hostname, port: Number(url.port), ...(r.localAddress ? { localAddress: r.localAddress } : {}) });
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', (e) => {
      // A reset after a complete answer (the server closed on unread bytes) is still an answer.
      const parsed = parseAnswer(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else reject(e);
    });
    socket.on('close', () => {
      const parsed = parseAnswer(Buffer.concat(chunks));
      if (parsed) resolve(parsed);
      else reject(new Error(`connection closed without an answer (${chunks.length} chunks)`));
    });
    socket.write(payload ? Buffer.concat([head, payload]) : head);
  });
}

function parseAnswer(raw: Buffer): RawAnswer | undefined {
  // Interim answers (100 Continue) come before the real one.
  while (/^HTTP\/1\.[01] 1\d\d /.test(raw.subarray(0, 16).toString('latin1'))) {
    const interim = raw.indexOf('\r\n\r\n');
    if (interim < 0) return undefined;
    raw = raw.subarray(interim + 4);
  }
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
  }
  let rest = raw.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const out: Buffer[] = [];
    for (;;) {
      const nl = rest.indexOf('\r\n');
      if (nl < 0) break;
      const size = parseInt(rest.subarray(0, nl).toString('latin1'), 16);
      if (!(size > 0)) break;
      out.push(rest.subarray(nl + 2, nl + 2 + size));
      rest = rest.subarray(nl + 2 + size + 2);
    }
    rest = Buffer.concat(out);
  } else if (headers['content-length'] !== undefined) {
    rest = rest.subarray(0, Number(headers['content-length']));
  }
  return { status: Number(m[1]), headers, body: rest.toString('utf8') };
}
