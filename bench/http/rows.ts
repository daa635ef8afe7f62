// The HTTP rows: requests per second through Rampart's real front doors against a bare node:http
// server doing the least such a server must do, in alternating rounds of the same requests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, micros, type Row } from '../harness.js';
import { getPool, putObjectPool, rpcPool, signedRpc, writePool, type Pool } from './pool.js';
import { distFile, runLoad, startChild, type LoadResult } from './processes.js';
import { assumeRole, BUCKET, ROLE, SESSION_POLICY, startRampartUnderTest, type RampartUnderTest } from './rampart.js';

export interface HttpBenchOptions {
  rounds: number;
  /** Roughly how long one Rampart round lasts; the request count is sized from a warm-up. */
  seconds: number;
  connections: number;
  /** Only these rows (assume, identity, metadata, put); all when empty. */
  only?: ReadonlySet<string>;
  /** The environment of the node under test (e.g. a PostgreSQL store and Redis); SQLite when absent. */
  env?: NodeJS.ProcessEnv;
  /** Said after each row's name (e.g. "on PostgreSQL+Redis"). */
  label?: string;
}

export interface Side {
  url: string;
  pid: number | undefined;
  /** A fresh pool of n requests (signed requests are good for one use only). */
  pool(n: number): Pool;
}

interface Measured {
  ours: LoadResult;
  base: LoadResult;
  ratio: number;
  ratios: number[];
  /** Median server CPU per request over the rounds (µs), when it could be read. */
  cpu: { ours: number | undefined; base: number | undefined };
}

const medianCpu = (runs: LoadResult[]): number | undefined => {
  const known = runs.map((r) => r.cpuMicros).filter((c): c is number => c !== undefined);
  return known.length === runs.length ? median(known) : undefined;
};

function checkAllAnswered(what: string, r: LoadResult, amount: number): void {
  if (r.errors > 0 || r.non2xx > 0 || r.requests < amount) {
    throw new Error(`${what}: ${r.requests} of ${amount} requests answered, ${r.non2xx} not 2xx, ${r.errors} errors: the benchmark is not measuring what it claims`);
  }
}

export async function measure(what: string, ours: Side, base: Bare, dir: string, o: HttpBenchOptions): Promise<Measured> {
  const file = join(dir, 'pool.json');
  const run = async (side: { url: string; pid: number | undefined }, pool: Pool, amount: number, check: boolean) => {
    writePool(file, pool);
    const r = await runLoad(side.url, file, o.connections, amount, side.pid);
    if (check) checkAllAnswered(what, r, amount);
    return r;
  };
  // Warm-up on both, which also sizes each side's rounds to last about o.seconds: a short round
  // would be mostly connection set-up and would flatter whichever side is slower.
  const size = (r: LoadResult) => Math.max(2000, Math.min(200_000, Math.round(r.rps * o.seconds)));
  const oursAmount = size(await run(ours, ours.pool(2000), 2000, true));
  const basePool = base.pool ?? ((n: number) => ours.pool(n));
  const baseAmount = size(await run(base, basePool(2000), 2000, true));
  const oursRuns: LoadResult[] = [];
  const baseRuns: LoadResult[] = [];
  for (let i = 0; i < o.rounds; i++) {
    // A bare baseline is sent the same requests; it checks no nonce, so the pool may wrap for it.
    // A baseline that is a Rampart too has requests of its own.
    const pool = ours.pool(oursAmount + o.connections * 2);
    oursRuns.push(await run(ours, pool, oursAmount, true));
    baseRuns.push(await run(base, base.pool ? base.pool(baseAmount + o.connections * 2) : pool, baseAmount, true));
  }
  const pick = (runs: LoadResult[]): LoadResult => {
    const m = median(runs.map((r) => r.rps));
    return runs.reduce((best, r) => (Math.abs(r.rps - m) < Math.abs(best.rps - m) ? r : best));
  };
  // Each round's two runs follow each other, so a slow or fast spell of this shared machine tends
  // to touch both: the row's ratio is the median of the rounds' ratios.
  const ratio = median(oursRuns.map((r, i) => r.rps / (baseRuns[i]?.rps ?? Number.NaN)));
  return {
    ours: pick(oursRuns),
    base: pick(baseRuns),
    ratio,
    ratios: oursRuns.map((r, i) => r.rps / (baseRuns[i]?.rps ?? Number.NaN)),
    cpu: { ours: medianCpu(oursRuns), base: medianCpu(baseRuns) },
  };
}

/** What a row must reach: its ratio, and optionally a bound on the server's CPU per request. */
export interface HttpTarget {
  ratio: number;
  /** At most this many microseconds of server CPU per request (every thread). */
  cpuMicros?: number;
  /** At most this many times the baseline's server CPU per request. */
  cpuTimesBaseline?: number;
}

function targetText(t: HttpTarget): string {
  const cpu = t.cpuMicros !== undefined ? `, ≤ ${t.cpuMicros} µs` : t.cpuTimesBaseline !== undefined ? `, CPU ≤ ${t.cpuTimesBaseline.toFixed(1)}× baseline's` : '';
  return `≥ ${t.ratio.toFixed(2)}×${cpu}`;
}

function targetMet(t: HttpTarget, m: Measured): boolean {
  const { ours, base } = m.cpu;
  // A bound on CPU that could not be read (not Linux) is not met: the row cannot show it.
  const cpuMet = (t.cpuMicros === undefined || (ours !== undefined && ours <= t.cpuMicros)) && (t.cpuTimesBaseline === undefined || (ours !== undefined && base !== undefined && ours <= t.cpuTimesBaseline * base));
  return m.ratio >= t.ratio && cpuMet;
}

export function row(name: string, m: Measured, target: HttpTarget | number): Row {
  const t = typeof target === 'number' ? { ratio: target } : target;
  return {
    row: name,
    figure: m.ours.rps,
    baseline: m.base.rps,
    unit: 'req/s',
    ratio: m.ratio,
    target: targetText(t),
    met: targetMet(t, m),
    latency: { p50: m.ours.p50, p99: m.ours.p99, baseP50: m.base.p50, baseP99: m.base.p99 },
    cpu: m.cpu,
    notes: `rounds' ratios ${m.ratios.map((r) => r.toFixed(2)).join(', ')}; ${m.ours.requests} requests a round, all answered 2xx (server CPU per request: the table's median of the rounds); load generator ${micros(m.ours.generatorCpuMicros)} µs (${micros(m.base.generatorCpuMicros)} µs)`,
  };
}

interface Bare {
  url: string;
  pid: number | undefined;
  /** Requests of its own (a Rampart checks nonces and keys); else it is sent ours. */
  pool?(n: number): Pool;
}

/** Runs fn with a bare server: `json` answers `answer` (Rampart's own answer to the row's request). */
async function withBare<T>(mode: 'json' | 'file', dir: string, answer: string, fn: (bare: Bare) => Promise<T>): Promise<T> {
  const arg = join(dir, mode === 'json' ? 'answer.json' : 'bare-files');
  if (mode === 'json') writeFileSync(arg, answer);
  const { child, match } = await startChild([distFile('./bare-server.js'), mode, arg], process.env, /^(http:\S+)/);
  try {
    return await fn({ url: match[1]!, pid: child.process.pid });
  } finally {
    await child.stop();
  }
}

/** Rampart's answer to one request of the side's pool, checked to be a success. */
async function realAnswer(side: Side): Promise<string> {
  const pool = side.pool(1);
  const r = pool.requests[0]!;
  const res = await fetch(new URL(r.path, side.url), { method: r.method, headers: r.headers, ...(r.body === undefined ? {} : { body: pool.bodies[r.body] }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${r.method} ${r.path}: ${res.status} ${text}`);
  return text;
}

async function compare(name: string, key: string, side: Side, mode: 'json' | 'file', target: HttpTarget, dir: string, o: HttpBenchOptions): Promise<Row> {
  const answer = await realAnswer(side);
  return withBare(mode, dir, answer, async (bare) => row(name, await measure(key, side, bare, dir, o), target));
}

export async function httpRows(o: HttpBenchOptions): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-load-'));
  let r: RampartUnderTest | undefined;
  try {
    r = await startRampartUnderTest(o.env);
    const rampart = r;
    const apiHost = new URL(rampart.api).host;
    const rows: Row[] = [];
    const wanted = (key: string) => o.only === undefined || o.only.size === 0 || o.only.has(key);

    const session = await assumeRole(rampart.api, rampart.user, rampart.roleArn, 'bench-session');
    const assume: Side = {
      url: rampart.api,
      pid: rampart.pid,
      pool: (n) => rpcPool(n, () => signedRpc('AssumeRole', '2015-04-01', rampart.user, { RoleArn: rampart.roleArn, RoleSessionName: 'd-001', Policy: SESSION_POLICY, DurationSeconds: '3600' }, apiHost)),
    };
    const identity: Side = { url: rampart.api, pid: rampart.pid, pool: (n) => rpcPool(n, () => signedRpc('GetCallerIdentity', '2015-04-01', session, {}, apiHost)) };
    const path = `/latest/meta-data/ram/security-credentials/${ROLE}`;
    const metadata: Side = { url: rampart.metadata, pid: rampart.pid, pool: () => getPool(path, new URL(rampart.metadata).host) };
    const body = Buffer.alloc(4096, 'rampart-bench-object-');
    const put: Side = { url: rampart.oss, pid: rampart.pid, pool: (n) => putObjectPool(n, BUCKET, 'd-001/', body, session, new URL(rampart.oss).host) };

    const named = (name: string) => (o.label ? `${name} ${o.label}` : name);
    if (wanted('assume')) rows.push(await compare(named('AssumeRole, signed, session policy'), 'AssumeRole', assume, 'json', { ratio: 0.4, cpuMicros: 80 }, dir, o));
    if (wanted('identity')) rows.push(await compare(named('GetCallerIdentity, STS credentials'), 'GetCallerIdentity', identity, 'json', { ratio: 0.55, cpuMicros: 50 }, dir, o));
    if (wanted('metadata')) rows.push(await compare(named('metadata credential GET'), 'metadata', metadata, 'json', { ratio: 0.9 }, dir, o));
    if (wanted('put')) rows.push(await compare(named('OSS PutObject 4 KiB, STS credentials'), 'PutObject', put, 'file', { ratio: 0.7, cpuTimesBaseline: 1.5 }, dir, o));
    return rows;
  } finally {
    await r?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
