// The HTTP rows: requests per second through Rampart's real front doors against a bare node:http
// server doing the least such a server must do, in alternating rounds of the same requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Row } from '../harness.js';
import { getPool, putObjectPool, rpcPool, signedRpc, writePool, type Credentials, type Pool } from './pool.js';
import { distFile, runLoad, startChild, type LoadResult } from './processes.js';
import { assumeRole, BUCKET, ROLE, SESSION_POLICY, startRampartUnderTest, type RampartUnderTest } from './rampart.js';

export interface HttpBenchOptions {
  rounds: number;
  /** Roughly how long one Rampart round lasts; the request count is sized from a warm-up. */
  seconds: number;
  connections: number;
  /** Only these rows (assume, identity, metadata, put); all when empty. */
  only?: ReadonlySet<string>;
}

interface Side {
  url: string;
  pid: number | undefined;
  /** A fresh pool of n requests (signed requests are good for one use only). */
  pool(n: number): Pool;
}

interface Measured {
  ours: LoadResult;
  base: LoadResult;
}

function checkAllAnswered(what: string, r: LoadResult, amount: number): void {
  if (r.errors > 0 || r.non2xx > 0 || r.requests < amount) {
    throw new Error(`${what}: ${r.requests} of ${amount} requests answered, ${r.non2xx} not 2xx, ${r.errors} errors: the benchmark is not measuring what it claims`);
  }
}

async function measure(what: string, ours: Side, base: Bare, dir: string, o: HttpBenchOptions): Promise<Measured> {
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
  const baseAmount = size(await run(base, ours.pool(2000), 2000, true));
  const oursRuns: LoadResult[] = [];
  const baseRuns: LoadResult[] = [];
  for (let i = 0; i < o.rounds; i++) {
    // The baseline is sent the same requests; it checks no nonce, so the pool may wrap for it.
    const pool = ours.pool(oursAmount + o.connections * 2);
    oursRuns.push(await run(ours, pool, oursAmount, true));
    baseRuns.push(await run(base, pool, baseAmount, true));
  }
  const pick = (runs: LoadResult[]): LoadResult => {
    const m = median(runs.map((r) => r.rps));
    return runs.reduce((best, r) => (Math.abs(r.rps - m) < Math.abs(best.rps - m) ? r : best));
  };
  return { ours: pick(oursRuns), base: pick(baseRuns) };
}

const micros = (n: number | undefined) => (n === undefined ? '?' : Math.round(n).toString());

function row(name: string, m: Measured, targetRatio: number): Row {
  const ratio = m.ours.rps / m.base.rps;
  return {
    row: name,
    figure: m.ours.rps,
    baseline: m.base.rps,
    unit: 'req/s',
    ratio,
    target: `≥ ${targetRatio.toFixed(2)}×`,
    met: ratio >= targetRatio,
    latency: { p50: m.ours.p50, p99: m.ours.p99, baseP50: m.base.p50, baseP99: m.base.p99 },
    notes: `${m.ours.requests} requests a round, all answered 2xx; server CPU per request ${micros(m.ours.cpuMicros)} µs (baseline ${micros(m.base.cpuMicros)} µs); load generator ${micros(m.ours.generatorCpuMicros)} µs (${micros(m.base.generatorCpuMicros)} µs)`,
  };
}

interface Bare {
  url: string;
  pid: number | undefined;
}

async function withBare<T>(mode: 'json' | 'file', dir: string, fn: (bare: Bare) => Promise<T>): Promise<T> {
  const { child, match } = await startChild([distFile('./bare-server.js'), mode, join(dir, 'bare-files')], process.env, /^(http:\S+)/);
  try {
    return await fn({ url: match[1]!, pid: child.process.pid });
  } finally {
    await child.stop();
  }
}

export async function httpRows(o: HttpBenchOptions): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-load-'));
  let r: RampartUnderTest | undefined;
  try {
    r = await startRampartUnderTest();
    const rampart = r;
    const apiHost = new URL(rampart.api).host;
    const rows: Row[] = [];
    const wanted = (key: string) => o.only === undefined || o.only.size === 0 || o.only.has(key);

    const session = await assumeRole(rampart.api, rampart.user, rampart.roleArn, 'bench-session');
    await withBare('json', dir, async (bare) => {
      const assume: Side = {
        url: rampart.api, pid: rampart.pid,
        pool: (n) => rpcPool(n, () => signedRpc('AssumeRole', '2015-04-01', rampart.user, { RoleArn: rampart.roleArn, RoleSessionName: 'd-001', Policy: SESSION_POLICY, DurationSeconds: '3600' }, apiHost)),
      };
      if (wanted('assume')) rows.push(row('AssumeRole, signed, session policy', await measure('AssumeRole', assume, bare, dir, o), 0.3));

      const identity: Side = { url: rampart.api, pid: rampart.pid, pool: (n) => rpcPool(n, () => signedRpc('GetCallerIdentity', '2015-04-01', session, {}, apiHost)) };
      if (wanted('identity')) rows.push(row('GetCallerIdentity, STS credentials', await measure('GetCallerIdentity', identity, bare, dir, o), 0.4));

      const path = `/latest/meta-data/ram/security-credentials/${ROLE}`;
      const metadata: Side = { url: rampart.metadata, pid: rampart.pid, pool: () => getPool(path, new URL(rampart.metadata).host) };
      if (wanted('metadata')) rows.push(row('metadata credential GET', await measure('metadata', metadata, bare, dir, o), 0.7));
    });

    await withBare('file', dir, async (bare) => {
      const body = Buffer.alloc(4096, 'rampart-bench-object-');
      const put: Side = { url: rampart.oss, pid: rampart.pid, pool: (n) => putObjectPool(n, BUCKET, 'd-001/', body, session as Credentials, new URL(rampart.oss).host) };
      if (wanted('put')) rows.push(row('OSS PutObject 4 KiB, STS credentials', await measure('PutObject', put, bare, dir, o), 0.5));
    });
    return rows;
  } finally {
    await r?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
