// Crash rounds: a real `rampart serve` under mixed write load is killed (SIGKILL) at a random
// moment and started again on the same data; what it acknowledged must be there, whole, and in
// the trail exactly once, and what was in flight must be all there or not at all.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, serveCli, type Served } from '../helpers/cli.js';
import { testSchema, type TestSchema } from '../helpers/postgres.js';
import { testPrefix, type TestPrefix } from '../helpers/redis.js';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { ROOT, sharedNodeEnv } from '../helpers/server.js';
import { ossCall, ossCode, xmlField, type OssAnswer } from './oss-signed.js';

export type Backend = 'sqlite' | 'postgres';

export interface RoundReport {
  round: number;
  seed: number;
  /** Calls answered 200 during the round's load. */
  acknowledged: number;
  /** Calls sent and not yet answered when the server was killed. */
  inFlight: number;
  /** Calls answered with an error while the server was up (none expected). */
  refused: string[];
  killAfterMs: number;
  /** Time from spawning the restarted server to its banner. */
  startMs: number;
  failures: string[];
}

export interface CrashRunOptions {
  backend: Backend;
  rounds: number;
  /** Seeds every round (round r uses seed + r); printed with each round's report. */
  seed: number;
  startBoundMs?: number;
  log?: (line: string) => void;
}

interface Creds {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

type CallState = 'acked' | 'inflight' | 'refused';
interface Call {
  action: string;
  state: CallState;
  requestId?: string;
  code?: string;
}

type Op =
  | { kind: 'user'; user: string; display: string; create: Call }
  | { kind: 'policy'; user: string; policy: string; document: string; createUser: Call; createPolicy?: Call; attach?: Call }
  | { kind: 'assume'; sessionName: string; assume: Call; session?: Creds }
  | { kind: 'object'; key: string; bytes: Buffer; put: Call }
  | { kind: 'multipart'; key: string; initiate: Call; uploadId?: string; parts: { number: number; bytes: Buffer; call: Call }[]; complete?: Call };

const RAM = { Version: '2015-05-01' };
const STS = { Version: '2015-04-01' };
const BUCKET = 'crash-bucket';
const ROLE = 'crash-role';
const KIB = 1024;

/** mulberry32: small, seedable, good enough to pick sizes and moments. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const md5Upper = (b: Buffer) => createHash('md5').update(b).digest('hex').toUpperCase();
const multipartEtag = (parts: Buffer[]) => `${createHash('md5').update(Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()))).digest('hex').toUpperCase()}-${parts.length}`;

interface RpcAnswer {
  status: number;
  body: Record<string, unknown>;
  requestId: string;
  text: string;
}

async function rpc(api: string, creds: Creds, action: string, params: Record<string, string>): Promise<RpcAnswer> {
  const extra = creds.securityToken ? { ...params, SecurityToken: creds.securityToken } : params;
  const answer = await postForm(api, encodeParams(signedParams(action, creds, extra)));
  let body: Record<string, unknown> = {};
  try {
    body = answer.json();
  } catch {
    // not JSON: kept as text for the message
  }
  return { status: answer.status, body, requestId: String(body['RequestId'] ?? ''), text: answer.text };
}

async function mapLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

class ServerDied extends Error {}

/** One backend's data: a data directory, and for PostgreSQL a schema and a Redis prefix. */
class Deployment {
  readonly dir = mkdtempSync(join(tmpdir(), 'rampart-crash-'));
  readonly env: NodeJS.ProcessEnv = { ...sharedNodeEnv(), RAMPART_ASSUME_ROLE_RATE: '0', RAMPART_LOG_LEVEL: 'warn' };
  readonly schema: TestSchema | undefined;
  readonly prefix: TestPrefix | undefined;

  constructor(readonly backend: Backend) {
    if (backend === 'postgres') {
      this.schema = testSchema();
      this.prefix = testPrefix();
    }
  }

  private args(): string[] {
    return ['--data', this.dir, ...(this.schema && this.prefix ? ['--store', this.schema.url, '--redis', this.prefix.url()] : [])];
  }

  async start(): Promise<{ served: Served; ms: number }> {
    const started = performance.now();
    const served = await serveCli(this.args(), this.env);
    return { served, ms: performance.now() - started };
  }

  /** Every event in the trail, read from the data (the CLI), as request id → count. */
  async trail(): Promise<Map<string, number>> {
    const env = this.schema ? { ...this.env, RAMPART_STORE: this.schema.url } : this.env;
    const out = await runCli(['audit', 'export', '--format', 'jsonl', '--data', this.dir], env);
    if (out.code !== 0) throw new Error(`audit export failed (${out.code}): ${out.stderr}`);
    const counts = new Map<string, number>();
    for (const line of out.stdout.split('\n')) {
      if (line.trim() === '') continue;
      const id = String((JSON.parse(line) as { requestId?: unknown }).requestId ?? '');
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  async destroy(): Promise<void> {
    await Promise.all([this.schema?.drop(), this.prefix?.drop()]);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The identities and the bucket the load uses, made once on a fresh deployment. */
async function setUp(served: Served): Promise<{ assumer: Creds; roleArn: string; calls: Call[] }> {
  const api = served.endpoints.api;
  const calls: Call[] = [];
  const must = async (action: string, creds: Creds, params: Record<string, string>) => {
    const a = await rpc(api, creds, action, params);
    if (a.status !== 200) throw new Error(`set-up ${action}: ${a.status} ${a.text}`);
    calls.push({ action, state: 'acked', requestId: a.requestId });
    return a.body;
  };
  const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
  const role = (await must('CreateRole', ROOT, { ...RAM, RoleName: ROLE, AssumeRolePolicyDocument: trust }))['Role'] as { Arn: string };
  await must('CreateUser', ROOT, { ...RAM, UserName: 'assumer' });
  await must('AttachPolicyToUser', ROOT, { ...RAM, PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'assumer' });
  const key = (await must('CreateAccessKey', ROOT, { ...RAM, UserName: 'assumer' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
  const bucket = await ossCall(served.endpoints.oss, ROOT, 'PUT', `/${BUCKET}`);
  if (bucket.status !== 200) throw new Error(`set-up PutBucket: ${bucket.status} ${bucket.body.toString()}`);
  calls.push({ action: 'PutBucket', state: 'acked', requestId: bucket.requestId });
  return { assumer: { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret }, roleArn: role.Arn, calls };
}

/** Runs mixed writes with `workers` writers until the server is killed; returns every op tried. */
async function load(served: Served, round: number, rand: () => number, ids: { assumer: Creds; roleArn: string }, killAfterMs: number): Promise<{ ops: Op[]; inFlight: number }> {
  const api = served.endpoints.api;
  const oss = served.endpoints.oss;
  const ops: Op[] = [];
  let pending = 0;
  let killed = false;

  /** Sends one call and records its fate; a dead server ends the writer. */
  async function step<T extends { status: number; requestId: string }>(call: Call, send: () => Promise<T>, ok = (a: T) => a.status === 200): Promise<T | undefined> {
    if (killed) throw new ServerDied();
    pending++;
    call.state = 'inflight';
    let answer: T;
    try {
      answer = await send();
    } catch {
      throw new ServerDied();
    } finally {
      pending--;
    }
    call.requestId = answer.requestId;
    if (ok(answer)) {
      call.state = 'acked';
      return answer;
    }
    call.state = 'refused';
    call.code = `${answer.status} ${'text' in answer ? String(answer.text).slice(0, 120) : ossCode(answer as unknown as OssAnswer)}`;
    return undefined;
  }

  const newCall = (action: string): Call => ({ action, state: 'inflight' });

  async function writer(w: number): Promise<void> {
    for (let i = 0; ; i++) {
      const name = `r${round}-w${w}-${i}`;
      const pick = rand();
      if (pick < 0.25) {
        const op: Op = { kind: 'user', user: `u-${name}`, display: `User ${name}`, create: newCall('CreateUser') };
        ops.push(op);
        await step(op.create, () => rpc(api, ROOT, 'CreateUser', { ...RAM, UserName: op.user, DisplayName: op.display }));
      } else if (pick < 0.45) {
        const document = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: [`acs:oss:*:*:${BUCKET}/${name}/*`] }] });
        const op: Op = { kind: 'policy', user: `pu-${name}`, policy: `p-${name}`, document, createUser: newCall('CreateUser') };
        ops.push(op);
        if (!(await step(op.createUser, () => rpc(api, ROOT, 'CreateUser', { ...RAM, UserName: op.user })))) continue;
        op.createPolicy = newCall('CreatePolicy');
        if (!(await step(op.createPolicy, () => rpc(api, ROOT, 'CreatePolicy', { ...RAM, PolicyName: op.policy, PolicyDocument: document })))) continue;
        op.attach = newCall('AttachPolicyToUser');
        await step(op.attach, () => rpc(api, ROOT, 'AttachPolicyToUser', { ...RAM, PolicyType: 'Custom', PolicyName: op.policy, UserName: op.user }));
      } else if (pick < 0.6) {
        const op: Op = { kind: 'assume', sessionName: `s-${name}`, assume: newCall('AssumeRole') };
        ops.push(op);
        const answer = await step(op.assume, () => rpc(api, ids.assumer, 'AssumeRole', { ...STS, RoleArn: ids.roleArn, RoleSessionName: op.sessionName }));
        const c = answer?.body['Credentials'] as Record<string, string> | undefined;
        if (c) op.session = { accessKeyId: c['AccessKeyId'] ?? '', accessKeySecret: c['AccessKeySecret'] ?? '', securityToken: c['SecurityToken'] ?? '' };
      } else if (pick < 0.85) {
        // Up to 300 KiB: both sides of the 64 KiB line between objects in the database and blob files.
        const op: Op = { kind: 'object', key: `o/${name}.bin`, bytes: randomBytes(Math.floor(rand() * 300 * KIB)), put: newCall('PutObject') };
        ops.push(op);
        await step(op.put, () => ossCall(oss, ROOT, 'PUT', `/${BUCKET}/${op.key}`, op.bytes));
      } else {
        const op: Op = { kind: 'multipart', key: `m/${name}.bin`, initiate: newCall('InitiateMultipartUpload'), parts: [] };
        ops.push(op);
        const init = await step(op.initiate, () => ossCall(oss, ROOT, 'POST', `/${BUCKET}/${op.key}?uploads`));
        const uploadId = init ? xmlField(init, 'UploadId') : undefined;
        if (uploadId === undefined) continue;
        op.uploadId = uploadId;
        const count = 2 + Math.floor(rand() * 2);
        let whole = true;
        for (let n = 1; n <= count; n++) {
          // Every part but the last at least OSS's 100 KiB.
          const size = n < count ? 100 * KIB + Math.floor(rand() * 40 * KIB) : 1 + Math.floor(rand() * 60 * KIB);
          const part = { number: n, bytes: randomBytes(size), call: newCall('UploadPart') };
          op.parts.push(part);
          if (!(await step(part.call, () => ossCall(oss, ROOT, 'PUT', `/${BUCKET}/${op.key}?partNumber=${n}&uploadId=${uploadId}`, part.bytes)))) {
            whole = false;
            break;
          }
        }
        // Some uploads are left open, to check their parts survive too.
        if (!whole || rand() < 0.2) continue;
        const xml = `<CompleteMultipartUpload>${op.parts.map((p) => `<Part><PartNumber>${p.number}</PartNumber><ETag>"${md5Upper(p.bytes)}"</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
        op.complete = newCall('CompleteMultipartUpload');
        await step(op.complete, () => ossCall(oss, ROOT, 'POST', `/${BUCKET}/${op.key}?uploadId=${uploadId}`, Buffer.from(xml)));
      }
    }
  }

  const writers = Array.from({ length: 8 }, (_, w) => writer(w).catch((e: unknown) => {
    if (!(e instanceof ServerDied)) throw e;
  }));
  await new Promise((r) => setTimeout(r, killAfterMs));
  const inFlight = pending;
  killed = true;
  served.child.kill('SIGKILL');
  await served.exited;
  await Promise.all(writers);
  return { ops, inFlight };
}

/** Checks every op of a killed round against the restarted server; returns what is wrong. */
async function verify(served: Served, ops: Op[]): Promise<string[]> {
  const api = served.endpoints.api;
  const oss = served.endpoints.oss;
  const failures: string[] = [];
  const fail = (what: string) => failures.push(what);
  const acked = (c: Call | undefined) => c?.state === 'acked';
  const mayExist = (c: Call | undefined) => c !== undefined && c.state !== 'refused';

  const userThere = async (user: string, call: Call, display?: string): Promise<boolean> => {
    const a = await rpc(api, ROOT, 'GetUser', { ...RAM, UserName: user });
    if (a.status === 200) {
      if (!mayExist(call)) fail(`user ${user}: present though its CreateUser was refused (${call.code})`);
      const got = (a.body['User'] as { DisplayName?: string } | undefined)?.DisplayName;
      if (display !== undefined && got !== display) fail(`user ${user}: DisplayName ${JSON.stringify(got)}, written ${JSON.stringify(display)} (${call.state} ${call.requestId ?? ''})`);
      return true;
    }
    if (a.body['Code'] !== 'EntityNotExist.User') fail(`user ${user}: GetUser answered ${a.status} ${a.text}`);
    else if (acked(call)) fail(`user ${user}: LOST, acknowledged CreateUser ${call.requestId}`);
    return false;
  };

  const objectThere = async (key: string, expected: Buffer, etag: string, call: Call, what: string): Promise<boolean> => {
    const a = await ossCall(oss, ROOT, 'GET', `/${BUCKET}/${key}`);
    if (a.status === 200) {
      if (!a.body.equals(expected)) fail(`${what} ${key}: HALF-WRITTEN, ${a.body.length} bytes read, ${expected.length} written (${call.state} ${call.requestId ?? ''})`);
      if (a.headers['etag'] !== `"${etag}"`) fail(`${what} ${key}: ETag ${String(a.headers['etag'])}, expected "${etag}" (${call.state} ${call.requestId ?? ''})`);
      return true;
    }
    if (ossCode(a) !== 'NoSuchKey') fail(`${what} ${key}: GET answered ${a.status} ${a.body.toString().slice(0, 200)}`);
    else if (acked(call)) fail(`${what} ${key}: LOST, acknowledged ${call.action} ${call.requestId}`);
    return false;
  };

  await mapLimit(ops, 8, async (op) => {
    switch (op.kind) {
      case 'user':
        await userThere(op.user, op.create, op.display);
        return;
      case 'policy': {
        const user = await userThere(op.user, op.createUser);
        if (op.createPolicy) {
          const a = await rpc(api, ROOT, 'GetPolicy', { ...RAM, PolicyType: 'Custom', PolicyName: op.policy });
          if (a.status === 200) {
            const doc = (a.body['DefaultPolicyVersion'] as { PolicyDocument?: string } | undefined)?.PolicyDocument;
            if (doc === undefined || JSON.stringify(JSON.parse(doc)) !== op.document) fail(`policy ${op.policy}: default version ${String(doc)}, written ${op.document}`);
          } else if (a.body['Code'] !== 'EntityNotExist.Policy') fail(`policy ${op.policy}: GetPolicy answered ${a.status} ${a.text}`);
          else if (acked(op.createPolicy)) fail(`policy ${op.policy}: LOST, acknowledged CreatePolicy ${op.createPolicy.requestId}`);
        }
        if (op.attach && user) {
          const a = await rpc(api, ROOT, 'ListPoliciesForUser', { ...RAM, UserName: op.user });
          const names = ((a.body['Policies'] as { Policy?: { PolicyName: string }[] } | undefined)?.Policy ?? []).map((p) => p.PolicyName);
          if (a.status !== 200) fail(`user ${op.user}: ListPoliciesForUser answered ${a.status} ${a.text}`);
          else if (acked(op.attach) && !names.includes(op.policy)) fail(`user ${op.user}: LOST attachment of ${op.policy}, acknowledged AttachPolicyToUser ${op.attach.requestId}`);
        } else if (acked(op.attach)) fail(`user ${op.user}: LOST with its acknowledged attachment ${op.attach?.requestId}`);
        return;
      }
      case 'assume': {
        if (!op.session) return;
        const a = await rpc(api, op.session, 'GetCallerIdentity', { ...STS });
        if (a.status !== 200 || !String(a.body['Arn']).endsWith(`/${op.sessionName}`)) fail(`session ${op.sessionName} (AssumeRole ${op.assume.requestId}): refused after restart: ${a.status} ${a.text}`);
        return;
      }
      case 'object':
        if (op.put.state !== 'refused') await objectThere(op.key, op.bytes, md5Upper(op.bytes), op.put, 'object');
        return;
      case 'multipart': {
        const parts = op.parts.map((p) => p.bytes);
        const completed = op.complete && op.complete.state !== 'refused' ? await objectThere(op.key, Buffer.concat(parts), multipartEtag(parts), op.complete, 'multipart object') : false;
        if (!completed) {
          const a = await ossCall(oss, ROOT, 'GET', `/${BUCKET}/${op.key}`);
          if (a.status !== 404) fail(`multipart object ${op.key}: present (${a.status}) though never completed`);
        }
        if (completed || op.uploadId === undefined) return;
        // Not completed: the upload is open and holds every acknowledged part, whole.
        const a = await ossCall(oss, ROOT, 'GET', `/${BUCKET}/${op.key}?uploadId=${op.uploadId}`);
        if (a.status !== 200) {
          fail(`multipart upload ${op.uploadId} (${op.key}): ListParts answered ${a.status} ${a.body.toString().slice(0, 200)}; initiate ${op.initiate.requestId}, complete ${op.complete?.state ?? 'not sent'}`);
          return;
        }
        const listed = new Map([...a.body.toString().matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => {
          const field = (n: string) => new RegExp(`<${n}>([^<]*)</${n}>`).exec(m[1] ?? '')?.[1] ?? '';
          return [Number(field('PartNumber')), { etag: field('ETag').replace(/&quot;|"/g, ''), size: Number(field('Size')) }] as const;
        }));
        for (const p of op.parts) {
          const got = listed.get(p.number);
          if (got === undefined) {
            if (acked(p.call)) fail(`multipart upload ${op.uploadId}: LOST part ${p.number}, acknowledged UploadPart ${p.call.requestId}`);
          } else if (got.etag !== md5Upper(p.bytes) || got.size !== p.bytes.length) fail(`multipart upload ${op.uploadId}: part ${p.number} HALF-WRITTEN (${got.size} bytes, ETag ${got.etag}; written ${p.bytes.length}, ${md5Upper(p.bytes)})`);
        }
        return;
      }
    }
  });
  return failures;
}

const callsOf = (op: Op): Call[] => {
  switch (op.kind) {
    case 'user':
      return [op.create];
    case 'policy':
      return [op.createUser, op.createPolicy, op.attach].filter((c): c is Call => c !== undefined);
    case 'assume':
      return [op.assume];
    case 'object':
      return [op.put];
    case 'multipart':
      return [op.initiate, ...op.parts.map((p) => p.call), ...(op.complete ? [op.complete] : [])];
  }
};

/**
 * Every acknowledged call is in the trail exactly once, and no request id is there twice. One
 * LookupEvents first: a search waits until everything journaled before it is indexed.
 */
async function checkTrail(deployment: Deployment, served: Served, acked: Call[]): Promise<string[]> {
  const search = await rpc(served.endpoints.api, ROOT, 'LookupEvents', { Version: '2020-07-06', MaxResults: '1' });
  if (search.status !== 200) return [`LookupEvents answered ${search.status} ${search.text}`];
  const deadline = performance.now() + 10_000;
  for (;;) {
    const counts = await deployment.trail();
    const failures: string[] = [];
    for (const [id, n] of counts) if (n > 1) failures.push(`trail: request ${id} recorded ${n} times`);
    const missing = acked.filter((c) => !counts.has(c.requestId ?? ''));
    if (missing.length === 0 || performance.now() > deadline) {
      for (const c of missing) failures.push(`trail: acknowledged ${c.action} ${c.requestId} MISSING`);
      return failures;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Runs the rounds on one fresh deployment of the backend; cleans it up after. */
export async function crashRounds(options: CrashRunOptions): Promise<RoundReport[]> {
  const log = options.log ?? (() => {});
  const bound = options.startBoundMs ?? 15_000;
  const deployment = new Deployment(options.backend);
  const reports: RoundReport[] = [];
  const allAcked: Call[] = [];
  let served: Served | undefined;
  try {
    const first = await deployment.start();
    served = first.served;
    log(`${options.backend}: first start ${first.ms.toFixed(0)} ms, data ${deployment.dir}${deployment.schema ? `, schema ${deployment.schema.location.schema}, redis prefix ${deployment.prefix?.prefix ?? ''}` : ''}, seed ${options.seed}`);
    const ids = await setUp(served);
    allAcked.push(...ids.calls);
    for (let round = 1; round <= options.rounds; round++) {
      const seed = options.seed + round;
      const rand = prng(seed);
      const killAfterMs = 150 + Math.floor(rand() * 1350);
      const { ops, inFlight } = await load(served, round, rand, ids, killAfterMs);
      const calls = ops.flatMap(callsOf);
      const ackedNow = calls.filter((c) => c.state === 'acked');
      allAcked.push(...ackedNow);
      const report: RoundReport = { round, seed, acknowledged: ackedNow.length, inFlight, refused: calls.filter((c) => c.state === 'refused').map((c) => `${c.action}: ${c.code ?? ''}`), killAfterMs, startMs: 0, failures: [] };
      reports.push(report);
      let restarted: { served: Served; ms: number };
      try {
        restarted = await deployment.start();
      } catch (e) {
        report.failures.push(`restart FAILED: ${(e as Error).message}`);
        log(line(options.backend, report));
        break;
      }
      served = restarted.served;
      report.startMs = restarted.ms;
      if (restarted.ms > bound) report.failures.push(`start took ${restarted.ms.toFixed(0)} ms, bound ${bound} ms`);
      report.failures.push(...(await verify(served, ops)));
      report.failures.push(...(await checkTrail(deployment, served, allAcked)));
      log(line(options.backend, report));
    }
    // The last restart keeps working: a new write is answered and read back.
    if (reports.at(-1)?.startMs) {
      const probe = randomBytes(70 * KIB);
      const put = await ossCall(served.endpoints.oss, ROOT, 'PUT', `/${BUCKET}/after-last-round.bin`, probe);
      const get = await ossCall(served.endpoints.oss, ROOT, 'GET', `/${BUCKET}/after-last-round.bin`);
      const user = await rpc(served.endpoints.api, ROOT, 'CreateUser', { ...RAM, UserName: 'after-last-round' });
      if (put.status !== 200 || !get.body.equals(probe) || user.status !== 200) reports.at(-1)?.failures.push(`after the last restart: PutObject ${put.status}, GetObject ${get.status}, CreateUser ${user.status}`);
    }
    return reports;
  } finally {
    if (served) {
      served.child.kill('SIGTERM');
      await served.exited;
    }
    await deployment.destroy();
  }
}

function line(backend: Backend, r: RoundReport): string {
  const verdict = r.failures.length === 0 ? 'ok' : `FAILED (${r.failures.length}):\n    ${r.failures.slice(0, 20).join('\n    ')}`;
  const refused = r.refused.length ? `, refused ${r.refused.length} [${r.refused.slice(0, 3).join('; ')}]` : '';
  return `${backend} round ${r.round} seed ${r.seed}: ${r.acknowledged} acknowledged, ${r.inFlight} in flight at kill (+${r.killAfterMs} ms)${refused}, restart ${r.startMs.toFixed(0)} ms: ${verdict}`;
}

export function summary(backend: Backend, reports: RoundReport[]): string {
  const starts = reports.map((r) => r.startMs).filter((ms) => ms > 0).sort((a, b) => a - b);
  const acked = reports.map((r) => r.acknowledged);
  const failed = reports.filter((r) => r.failures.length > 0).length;
  return `${backend}: ${reports.length} rounds, ${acked.reduce((a, b) => a + b, 0)} acknowledged writes (${Math.min(...acked)}–${Math.max(...acked)} a round), ${reports.reduce((a, r) => a + r.inFlight, 0)} in flight at kills, restart median ${starts[Math.floor(starts.length / 2)]?.toFixed(0)} ms, worst ${starts.at(-1)?.toFixed(0)} ms; ${failed} rounds failed`;
}
