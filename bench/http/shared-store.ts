// The scale-out rows: a Rampart on PostgreSQL and Redis (the machine's, a schema and key prefix of
// its own) against a Rampart on SQLite, the same requests in alternating rounds; and how long a
// revocation on one node takes to be refused by another (a second process on the same store).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Row } from '../harness.js';
import { rpcPool, signedRpc, type Credentials } from './pool.js';
import { assumeRole, SESSION_POLICY, startRampartNode, startRampartUnderTest, type RampartUnderTest } from './rampart.js';
import { httpRows, measure, row, type HttpBenchOptions, type Side } from './rows.js';

const POSTGRES = process.env['RAMPART_BENCH_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env['RAMPART_BENCH_REDIS'] ?? 'redis://127.0.0.1:6379';
const LAG_TRIALS = 50;

async function signedCall(endpoint: string, action: string, version: string, creds: Credentials, params: Record<string, string>) {
  const r = signedRpc(action, version, creds, params, new URL(endpoint).host);
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: r.headers, body: r.body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function sides(r: RampartUnderTest, session: Credentials) {
  const host = new URL(r.api).host;
  const assume: Side = {
    url: r.api,
    pid: r.pid,
    pool: (n) => rpcPool(n, () => signedRpc('AssumeRole', '2015-04-01', r.user, { RoleArn: r.roleArn, RoleSessionName: 'd-001', Policy: SESSION_POLICY, DurationSeconds: '3600' }, host)),
  };
  const identity: Side = { url: r.api, pid: r.pid, pool: (n) => rpcPool(n, () => signedRpc('GetCallerIdentity', '2015-04-01', session, {}, host)) };
  return { assume, identity };
}

/** Disables an AccessKey on node A and times until node B refuses it; re-enables and waits for B to accept. */
async function revocationLags(a: RampartUnderTest, b: { api: string }): Promise<number[]> {
  const lags: number[] = [];
  const ram = (status: 'Active' | 'Inactive') => signedCall(a.api, 'UpdateAccessKey', '2015-05-01', a.root, { UserName: 'bench-user', UserAccessKeyId: a.user.accessKeyId, Status: status });
  const onB = () => signedCall(b.api, 'GetCallerIdentity', '2015-04-01', a.user, {});
  for (let t = 0; t < LAG_TRIALS; t++) {
    if ((await ram('Inactive')).status !== 200) throw new Error('UpdateAccessKey failed');
    const started = performance.now();
    while ((await onB()).body['Code'] !== 'InvalidAccessKeyId.Inactive') {
      if (performance.now() - started > 5_000) throw new Error('node B still accepts a key disabled 5 s ago');
    }
    lags.push(performance.now() - started);
    await ram('Active');
    while ((await onB()).status !== 200) await new Promise((r) => setTimeout(r, 1));
  }
  return lags.sort((x, y) => x - y);
}

/** Schemas and a Redis key prefix of the run's own on the machine's PostgreSQL and Redis. */
function sharedPlace() {
  const schema = `rampart_bench_${randomBytes(6).toString('hex')}`;
  const prefix = `rampart-bench-${randomBytes(6).toString('hex')}:`;
  const storeUrl = (name: string) => {
    const url = new URL(POSTGRES);
    url.searchParams.set('schema', name);
    return url.toString();
  };
  const redis = new URL(REDIS);
  redis.searchParams.set('prefix', prefix);
  const schemas = [schema];
  return {
    schema,
    storeUrl: (name: string) => {
      schemas.push(name);
      return storeUrl(name);
    },
    env: { RAMPART_STORE: storeUrl(schema), RAMPART_REDIS: redis.toString(), RAMPART_MASTER_KEY: randomBytes(32).toString('hex') },
    /** Drops every schema handed out and the prefix's keys. */
    async remove(): Promise<void> {
      const client = new pg.Client({ connectionString: POSTGRES });
      await client.connect();
      for (const name of schemas) await client.query(`drop schema if exists ${client.escapeIdentifier(name)} cascade`);
      await client.end();
      const r = new Redis(REDIS);
      const keys = await r.keys(`${prefix}*`);
      if (keys.length > 0) await r.del(...keys);
      r.disconnect();
    },
  };
}

/** The HTTP rows (against the same bare baselines) with the node under test on PostgreSQL and Redis. */
export async function sharedHttpRows(o: HttpBenchOptions): Promise<Row[]> {
  const place = sharedPlace();
  try {
    return await httpRows({ ...o, env: place.env, label: 'on PostgreSQL+Redis' });
  } finally {
    await place.remove();
  }
}

export async function sharedStoreRows(o: HttpBenchOptions): Promise<Row[]> {
  const place = sharedPlace();
  const { storeUrl } = place;
  const alone = storeUrl(`${place.schema}_alone`);
  const shared = place.env;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-load-'));
  const started: { stop(): Promise<void> }[] = [];
  try {
    const local = await startRampartUnderTest();
    started.push(local);
    const a = await startRampartUnderTest(shared);
    started.push(a);
    // A second node on the same store and Redis, with the same root account.
    const b = await startRampartNode({ ...shared, RAMPART_ACCOUNT_ID: a.accountId, RAMPART_ROOT_ACCESS_KEY_ID: a.root.accessKeyId, RAMPART_ROOT_ACCESS_KEY_SECRET: a.root.accessKeySecret });
    started.push(b);

    // A node on PostgreSQL without Redis (nonces and rates in the database), a store of its own.
    const c = await startRampartUnderTest({ RAMPART_STORE: alone, RAMPART_MASTER_KEY: shared.RAMPART_MASTER_KEY });
    started.push(c);

    const ours = sides(a, await assumeRole(a.api, a.user, a.roleArn, 'bench-session'));
    const base = sides(local, await assumeRole(local.api, local.user, local.roleArn, 'bench-session'));
    const withoutRedis = sides(c, await assumeRole(c.api, c.user, c.roleArn, 'bench-session'));
    const rows: Row[] = [];
    for (const [name, key, target] of [
      ['AssumeRole on PostgreSQL+Redis vs SQLite', 'assume', 0.7],
      ['GetCallerIdentity on PostgreSQL+Redis vs SQLite', 'identity', 0.7],
    ] as const) {
      rows.push(row(name, await measure(name, ours[key], base[key], dir, o), target));
    }
    // What going without Redis costs: no target, a figure to decide by.
    const fallback = row('GetCallerIdentity on PostgreSQL alone vs PostgreSQL+Redis', await measure('fallback', withoutRedis.identity, ours.identity, dir, o), 0);
    rows.push({ ...fallback, target: '(measured)' });
    const lags = await revocationLags(a, b);
    const p50 = lags[Math.floor(lags.length / 2)]!;
    const p99 = lags[Math.min(lags.length - 1, Math.ceil(lags.length * 0.99) - 1)]!;
    rows.push({
      row: 'cross-node revocation lag p99 (AccessKey disabled on A, refused on B)',
      figure: p99,
      baseline: Number.NaN,
      unit: 'ms',
      ratio: Number.NaN,
      target: '< 1000 ms',
      met: p99 < 1000,
      notes: `${LAG_TRIALS} trials: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, worst ${lags.at(-1)!.toFixed(1)} ms (each includes one GetCallerIdentity round trip on B)`,
    });
    return rows;
  } finally {
    for (const s of started.reverse()) await s.stop();
    rmSync(dir, { recursive: true, force: true });
    await place.remove();
  }
}
