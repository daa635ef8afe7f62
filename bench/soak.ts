// `npm run soak -- --minutes 30` (not part of `npm test`): `rampart serve` in a child process on a
// fresh SQLite data directory, driven at a fixed rate by a mix of what a fleet sends (STS, RAM
// reads and writes, OSS put/get/delete of small objects, metadata credential GETs) for as long as
// asked. Every minute it prints throughput, errors, latency and the server's memory; at the end it
// passes (exit 0) only if no request failed and memory stayed flat (the bound is printed).
//
// Options: --minutes N (default 30), --rate R requests a second (default 200), --report-seconds S
// (default 60), --warmup-seconds W (default 60: memory before it is not judged).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ossV1Signature, ossV1StringToSign } from '../src/auth/oss/signature.js';
import { signedRpc, type Credentials } from './http/pool.js';
import { assumeRole, BUCKET, ROLE, SESSION_POLICY, startRampartUnderTest, type RampartUnderTest } from './http/rampart.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    'report-seconds': { type: 'string', default: '60' },
    'warmup-seconds': { type: 'string', default: '60' },
  },
});
const positive = (name: string, text: string): number => {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, not "${text}"`);
  return n;
};
const RUN_MS = positive('minutes', values.minutes) * 60_000;
const RATE = positive('rate', values.rate);
const REPORT_MS = positive('report-seconds', values['report-seconds']) * 1000;
const WARMUP_MS = positive('warmup-seconds', values['warmup-seconds']) * 1000;
const SAMPLE_MS = 5_000;
/** Requests waiting for an answer beyond this are not sent, and count as errors: the server is not keeping up. */
const MAX_IN_FLIGHT = 2_000;

/**
 * The memory bound, after the warm-up: the mean RSS of the last third of the samples is at most
 * GROWTH_LIMIT above that of the first third, and the least-squares slope of all of them is under
 * SLOPE_LIMIT_MB_PER_MIN. At 200 requests a second the nonces remembered for replay protection
 * grow for their 15-minute window (about 16 bytes each, some 2 MB), so some growth early on is
 * expected; a leak of 1 KiB a request would be about 12 MB a minute.
 */
const GROWTH_LIMIT = 0.15;
const SLOPE_LIMIT_MB_PER_MIN = 1;

const MB = 1024 * 1024;

// ---- requests ---------------------------------------------------------------------------------

interface Answer {
  status: number;
  body: string;
}

async function send(url: string, init: RequestInit): Promise<Answer> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text() };
}

function rpc(endpoint: string, action: string, version: string, creds: Credentials, params: Record<string, string>): Promise<Answer> {
  const r = signedRpc(action, version, creds, params, new URL(endpoint).host);
  return send(`${endpoint}/`, { method: 'POST', headers: r.headers, body: r.body });
}

function oss(endpoint: string, method: 'PUT' | 'GET' | 'DELETE', key: string, creds: Credentials, body?: Buffer): Promise<Answer> {
  const date = new Date().toUTCString();
  const contentType = body === undefined ? '' : 'application/octet-stream';
  const ossHeaders = new Map<string, string>();
  if (creds.securityToken !== undefined) ossHeaders.set('x-oss-security-token', creds.securityToken);
  const signature = ossV1Signature(creds.accessKeySecret, ossV1StringToSign({ method, contentMd5: '', contentType, date, ossHeaders, resource: `/${BUCKET}/${key}`, query: [] }));
  const headers: Record<string, string> = { date, ...Object.fromEntries(ossHeaders), authorization: `OSS ${creds.accessKeyId}:${signature}` };
  if (body !== undefined) headers['content-type'] = contentType;
  return send(`${endpoint}/${BUCKET}/${key}`, { method, headers, ...(body === undefined ? {} : { body }) });
}

// ---- the mix ----------------------------------------------------------------------------------

/**
 * Twenty slots, taken in turn: 20% GetCallerIdentity and 10% AssumeRole (STS), 20% RAM reads,
 * 10% RAM writes (a user created, later deleted), 30% OSS (an object put with the newest session's
 * credentials, later read and deleted by the account), 10% metadata credential GETs. Each
 * AssumeRole's credentials become the session the others use, so sessions keep changing as a
 * fleet's do (and any cache keyed by them is exercised).
 */
const SLOTS = [
  'identity', 'put', 'ram-read', 'assume', 'get', 'identity', 'metadata', 'delete', 'create-user', 'ram-read',
  'put', 'identity', 'get', 'ram-read', 'assume', 'delete', 'identity', 'metadata', 'delete-user', 'ram-read',
] as const;
type Op = (typeof SLOTS)[number];

class Mix {
  session: Credentials;
  #slot = 0;
  #reads = 0;
  #serial = 0;
  readonly #toGet: string[] = [];
  readonly #toDelete: string[] = [];
  readonly #users: string[] = [];
  readonly #body = Buffer.alloc(1024, 'rampart-soak-');

  constructor(
    private readonly r: RampartUnderTest,
    session: Credentials,
  ) {
    this.session = session;
  }

  next(): { op: Op; run: () => Promise<Answer>; ok: (a: Answer) => boolean } {
    const op = SLOTS[this.#slot++ % SLOTS.length] ?? 'identity';
    const { r } = this;
    const two = (a: Answer) => a.status === 200;
    switch (op) {
      case 'identity':
        return { op, run: () => rpc(r.api, 'GetCallerIdentity', '2015-04-01', this.session, {}), ok: two };
      case 'assume':
        return {
          op,
          run: async () => {
            const a = await rpc(r.api, 'AssumeRole', '2015-04-01', r.user, { RoleArn: r.roleArn, RoleSessionName: `soak-${this.#serial++ % 1000}`, Policy: SESSION_POLICY, DurationSeconds: '3600' });
            if (a.status === 200) {
              const c = (JSON.parse(a.body) as { Credentials: Record<string, string> }).Credentials;
              this.session = { accessKeyId: c['AccessKeyId'] ?? '', accessKeySecret: c['AccessKeySecret'] ?? '', securityToken: c['SecurityToken'] ?? '' };
            }
            return a;
          },
          ok: two,
        };
      case 'ram-read': {
        const i = this.#reads++ % 4;
        const [action, params] =
          i === 0 ? ['GetUser', { UserName: 'bench-user' }] : i === 1 ? ['ListUsers', { MaxItems: '20' }] : i === 2 ? ['GetRole', { RoleName: ROLE }] : ['ListPoliciesForUser', { UserName: 'bench-user' }];
        return { op, run: () => rpc(r.api, action as string, '2015-05-01', r.root, params as Record<string, string>), ok: two };
      }
      case 'create-user': {
        const name = `soak-${randomUUID().slice(0, 13)}`;
        return {
          op,
          run: async () => {
            const a = await rpc(r.api, 'CreateUser', '2015-05-01', r.root, { UserName: name });
            if (a.status === 200) this.#users.push(name);
            return a;
          },
          ok: two,
        };
      }
      case 'delete-user': {
        const name = this.#users.shift();
        if (name === undefined) return { op, run: () => rpc(r.api, 'GetUser', '2015-05-01', r.root, { UserName: 'bench-user' }), ok: two };
        return { op, run: () => rpc(r.api, 'DeleteUser', '2015-05-01', r.root, { UserName: name }), ok: two };
      }
      case 'put': {
        const key = `d-001/${randomUUID()}.bin`;
        const session = this.session;
        return {
          op,
          run: async () => {
            const a = await oss(r.oss, 'PUT', key, session, this.#body);
            if (a.status === 200) this.#toGet.push(key);
            return a;
          },
          ok: two,
        };
      }
      case 'get': {
        const key = this.#toGet.shift();
        if (key === undefined) return { op, run: () => rpc(r.api, 'GetCallerIdentity', '2015-04-01', this.session, {}), ok: two };
        return {
          op,
          run: async () => {
            const a = await oss(r.oss, 'GET', key, r.root);
            this.#toDelete.push(key);
            return a;
          },
          ok: (a) => a.status === 200 && a.body.length === this.#body.length,
        };
      }
      case 'delete': {
        const key = this.#toDelete.shift();
        if (key === undefined) return { op, run: () => rpc(r.api, 'GetCallerIdentity', '2015-04-01', this.session, {}), ok: two };
        return { op, run: () => oss(r.oss, 'DELETE', key, r.root), ok: (a) => a.status === 204 };
      }
      case 'metadata':
        return { op, run: () => send(`${r.metadata}/latest/meta-data/ram/security-credentials/${ROLE}`, {}), ok: (a) => a.status === 200 && a.body.includes('"Code"') };
    }
  }
}

// ---- the server's memory ----------------------------------------------------------------------

function rssBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Heap used and RSS as the server's own GET /metrics reports them (prom-client's process metrics). */
async function reportedMemory(api: string): Promise<{ heapUsed?: number; rss?: number }> {
  const text = await (await fetch(`${api}/metrics`)).text();
  const value = (name: string) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1];
    return m === undefined ? undefined : Number(m);
  };
  const heapUsed = value('rampart_nodejs_heap_size_used_bytes');
  const rss = value('rampart_process_resident_memory_bytes');
  return { ...(heapUsed !== undefined ? { heapUsed } : {}), ...(rss !== undefined ? { rss } : {}) };
}

interface Sample {
  atMs: number;
  rss: number;
  heapUsed?: number;
}

// ---- figures ----------------------------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : (bytes / MB).toFixed(1));

// ---- the run ----------------------------------------------------------------------------------

const rampart = await startRampartUnderTest();
let exitCode = 1;
try {
  const mix = new Mix(rampart, await assumeRole(rampart.api, rampart.user, rampart.roleArn, 'soak'));
  console.log(`soak: ${RATE} requests/s for ${RUN_MS / 60_000} min against rampart serve (pid ${rampart.pid}, SQLite in ${rampart.dataDir})`);
  console.log('mix per 20 requests: 4 GetCallerIdentity, 2 AssumeRole, 4 RAM reads, 1 CreateUser + 1 DeleteUser, 2 OSS PutObject (STS) + 2 GetObject + 2 DeleteObject, 2 metadata credential GETs');

  let window: number[] = [];
  let windowErrors = 0;
  let totalRequests = 0;
  let totalErrors = 0;
  let inFlight = 0;
  const errorsByOp = new Map<string, number>();
  const errorExamples: string[] = [];
  const samples: Sample[] = [];
  const lines: string[] = [];

  const fail = (op: string, what: string) => {
    windowErrors++;
    totalErrors++;
    errorsByOp.set(op, (errorsByOp.get(op) ?? 0) + 1);
    if (errorExamples.length < 10) errorExamples.push(`${op}: ${what}`);
  };

  const fire = () => {
    const { op, run, ok } = mix.next();
    totalRequests++;
    if (inFlight >= MAX_IN_FLIGHT) {
      fail(op, `not sent: ${MAX_IN_FLIGHT} requests already waiting`);
      return;
    }
    inFlight++;
    const started = performance.now();
    run()
      .then(
        (a) => {
          window.push(performance.now() - started);
          if (!ok(a)) fail(op, `${a.status} ${a.body.slice(0, 200)}`);
        },
        (e: unknown) => fail(op, String(e)),
      )
      .finally(() => inFlight--);
  };

  const sample = async (atMs: number) => {
    const reported = await reportedMemory(rampart.api).catch(() => ({}) as { heapUsed?: number; rss?: number });
    const rss = rssBytes(rampart.pid) ?? reported.rss;
    if (rss !== undefined) samples.push({ atMs, rss, ...(reported.heapUsed !== undefined ? { heapUsed: reported.heapUsed } : {}) });
  };

  const report = (fromMs: number, toMs: number, last: boolean) => {
    const sorted = window.sort((a, b) => a - b);
    const inWindow = samples.filter((s) => s.atMs > fromMs && s.atMs <= toMs);
    const latest = inWindow.at(-1);
    const heapFloor = inWindow.map((s) => s.heapUsed).filter((h): h is number => h !== undefined);
    const line =
      `${(toMs / 60_000).toFixed(2).padStart(6)} min  ${String(sorted.length).padStart(6)} answered  ${(sorted.length / ((toMs - fromMs) / 1000)).toFixed(1).padStart(6)} req/s  ` +
      `errors ${String(windowErrors).padStart(3)}  p50 ${percentile(sorted, 50).toFixed(1).padStart(5)} ms  p99 ${percentile(sorted, 99).toFixed(1).padStart(6)} ms  ` +
      `rss ${mb(latest?.rss).padStart(6)} MB  heap used ${mb(latest?.heapUsed).padStart(5)} MB (lowest ${mb(heapFloor.length ? Math.min(...heapFloor) : undefined)} MB)${last ? '  (tail)' : ''}`;
    console.log(line);
    lines.push(line);
    window = [];
    windowErrors = 0;
  };

  // Open loop: requests are sent on the clock, whether or not earlier ones were answered, so a
  // slow server shows as latency and errors rather than as a lower rate that hides it.
  const start = performance.now();
  await sample(0);
  let nextSampleMs = SAMPLE_MS;
  let nextReportMs = REPORT_MS;
  let lastReportMs = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      const due = Math.floor((Math.min(elapsed, RUN_MS) / 1000) * RATE);
      while (totalRequests < due) fire();
      if (elapsed >= nextSampleMs) {
        void sample(nextSampleMs);
        nextSampleMs += SAMPLE_MS;
      }
      if (elapsed >= nextReportMs && nextReportMs <= RUN_MS) {
        report(lastReportMs, nextReportMs, false);
        lastReportMs = nextReportMs;
        nextReportMs += REPORT_MS;
      }
      if (elapsed >= RUN_MS) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  // Let the last requests be answered (or fail) before the verdict.
  const waitUntil = performance.now() + 30_000;
  while (inFlight > 0 && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 50));
  if (inFlight > 0) for (let i = 0; i < inFlight; i++) fail('unanswered', 'no answer 30 s after the run ended');
  await sample(RUN_MS);
  if (lastReportMs < RUN_MS) report(lastReportMs, RUN_MS, true);

  // ---- the verdict ----
  const judged = samples.filter((s) => s.atMs >= WARMUP_MS);
  const third = Math.floor(judged.length / 3);
  console.log(`\n${totalRequests} requests in ${(RUN_MS / 60_000).toFixed(2)} min (${(totalRequests / (RUN_MS / 1000)).toFixed(1)} req/s), ${totalErrors} errors`);
  if (totalErrors > 0) console.log(`errors by request: ${[...errorsByOp].map(([k, v]) => `${k} ${v}`).join(', ')}\nfirst errors:\n  ${errorExamples.join('\n  ')}`);
  let memoryFlat = false;
  if (third < 1) {
    console.log(`memory: too few samples after the ${WARMUP_MS / 1000}-second warm-up to judge (${judged.length}); run longer`);
  } else {
    const first = mean(judged.slice(0, third).map((s) => s.rss));
    const lastThird = mean(judged.slice(-third).map((s) => s.rss));
    const growth = lastThird / first - 1;
    const perMin = slope(judged.map((s) => [s.atMs / 60_000, s.rss / MB]));
    const heaps = judged.filter((s) => s.heapUsed !== undefined).map((s): [number, number] => [s.atMs / 60_000, (s.heapUsed ?? 0) / MB]);
    memoryFlat = growth <= GROWTH_LIMIT && perMin < SLOPE_LIMIT_MB_PER_MIN;
    console.log(
      `memory bound (${judged.length} samples every ${SAMPLE_MS / 1000} s after a ${WARMUP_MS / 1000}-second warm-up): ` +
        `mean RSS of the last third ≤ first third + ${GROWTH_LIMIT * 100}%, and least-squares RSS slope < ${SLOPE_LIMIT_MB_PER_MIN} MB/min`,
    );
    console.log(
      `  RSS first third ${mb(first)} MB, last third ${mb(lastThird)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%), slope ${perMin.toFixed(2)} MB/min` +
        (heaps.length > 1 ? `; heap used slope ${slope(heaps).toFixed(2)} MB/min (not judged: it saws with each collection)` : ''),
    );
  }
  const passed = totalErrors === 0 && memoryFlat;
  console.log(passed ? 'PASS: no errors, memory flat' : `FAIL:${totalErrors > 0 ? ' errors' : ''}${memoryFlat ? '' : ' memory not shown flat'}`);
  exitCode = passed ? 0 : 1;
} finally {
  await rampart.stop();
}
process.exit(exitCode);
