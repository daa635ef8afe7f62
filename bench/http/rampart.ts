// Rampart under test: `rampart serve` in a child process on a fresh data directory, exactly as a
// user runs it (logging at its default level), then set up through its own APIs the way a
// platform team would: a RAM user allowed to assume a role, the role (trusted by the account
// and by ECS) allowed to upload under d-001/, a bucket, and an instance that carries the role.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ossV1Signature, ossV1StringToSign } from '../../src/auth/oss/signature.js';
import { signedRpc, type Credentials } from './pool.js';
import { distFile, startChild } from './processes.js';

export const BUCKET = 'bench-bucket';
export const ROLE = 'bench-device';

/** The session policy sent with every AssumeRole: the device may only upload under its prefix. */
export const SESSION_POLICY = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: [`acs:oss:*:*:${BUCKET}/d-001/*`] }],
});

export interface RampartUnderTest {
  api: string;
  oss: string;
  metadata: string;
  dataDir: string;
  accountId: string;
  root: Credentials;
  user: Credentials;
  roleArn: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

function randomDigits(n: number): string {
  return [...randomBytes(n)].map((b) => String(b % 10)).join('').replace(/^0/, '1');
}

async function call(endpoint: string, action: string, version: string, creds: Credentials, params: Record<string, string>): Promise<Record<string, unknown>> {
  const r = signedRpc(action, version, creds, params, new URL(endpoint).host);
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: r.headers, body: r.body });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${action}: ${res.status} ${String(json['Code'])} ${String(json['Message'])}`);
  return json;
}

export async function assumeRole(endpoint: string, user: Credentials, roleArn: string, sessionName: string): Promise<Credentials> {
  const answer = await call(endpoint, 'AssumeRole', '2015-04-01', user, { RoleArn: roleArn, RoleSessionName: sessionName, Policy: SESSION_POLICY, DurationSeconds: '3600' });
  const c = answer['Credentials'] as Record<string, string>;
  return { accessKeyId: c['AccessKeyId']!, accessKeySecret: c['AccessKeySecret']!, securityToken: c['SecurityToken']! };
}

async function putBucket(oss: string, root: Credentials): Promise<void> {
  const date = new Date().toUTCString();
  const sts = ossV1StringToSign({ method: 'PUT', contentMd5: '', contentType: '', date, ossHeaders: new Map(), resource: `/${BUCKET}/`, query: [] });
  const res = await fetch(`${oss}/${BUCKET}`, { method: 'PUT', headers: { date, authorization: `OSS ${root.accessKeyId}:${ossV1Signature(root.accessKeySecret, sts)}` } });
  if (res.status !== 200) throw new Error(`PutBucket: ${res.status} ${await res.text()}`);
}

export interface RampartNode {
  api: string;
  dataDir: string;
  oss: string;
  metadata: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** `rampart serve` in a child process on a fresh data directory, with its root account from env. */
export async function startRampartNode(env: NodeJS.ProcessEnv): Promise<RampartNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-bench-'));
  try {
    // BENCH_CPU_PROF=DIR profiles the server (node --cpu-prof) while the rows run; BENCH_NODE_FLAGS
    // adds node or V8 flags of one's own (--trace-deopt, --perf-basic-prof), and BENCH_SERVER_OUT=FILE
    // keeps what the server prints there.
    const profile = [
      ...(process.env['BENCH_CPU_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`] : []),
      ...(process.env['BENCH_NODE_FLAGS']?.split(' ').filter((f) => f !== '') ?? []),
    ];
    const started = await startChild(
      [...profile, distFile('../../../bin/rampart.js'), 'serve', '--data', dataDir, '--api', '127.0.0.1:0', '--oss', '127.0.0.1:0', '--metadata', '127.0.0.1:0', '--console', '127.0.0.1:0'],
      // The real per-account AssumeRole rate limit would cap the measurement, not the server.
      { ...process.env, RAMPART_ASSUME_ROLE_RATE: '0', ...env },
      /^ {2}metadata +(\S+)/,
    );
    const find = (name: string) => started.lines.map((l) => new RegExp(`^ {2}${name} +(\\S+)`).exec(l)?.[1]).find((u) => u !== undefined)!;
    return {
      api: find('api'),
      dataDir,
      oss: find('oss'),
      metadata: started.match[1]!,
      pid: started.child.process.pid,
      stop: async () => {
        await started.child.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/** A node set up through its own APIs (see the top of this file); env may name a shared store. */
export async function startRampartUnderTest(env: NodeJS.ProcessEnv = {}): Promise<RampartUnderTest> {
  const accountId = randomDigits(16);
  const root: Credentials = { accessKeyId: `LTAI5t${randomBytes(9).toString('hex')}`, accessKeySecret: randomBytes(15).toString('hex') };
  const node = await startRampartNode({ RAMPART_ACCOUNT_ID: accountId, RAMPART_ROOT_ACCESS_KEY_ID: root.accessKeyId, RAMPART_ROOT_ACCESS_KEY_SECRET: root.accessKeySecret, ...env });
  try {
    const { api, oss } = node;
    await call(api, 'CreateUser', '2015-05-01', root, { UserName: 'bench-user' });
    const key = (await call(api, 'CreateAccessKey', '2015-05-01', root, { UserName: 'bench-user' }))['AccessKey'] as Record<string, string>;
    const user: Credentials = { accessKeyId: key['AccessKeyId']!, accessKeySecret: key['AccessKeySecret']! };
    await call(api, 'AttachPolicyToUser', '2015-05-01', root, { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'bench-user' });
    const trust = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`], Service: ['ecs.aliyuncs.com'] } }] };
    const role = (await call(api, 'CreateRole', '2015-05-01', root, { RoleName: ROLE, AssumeRolePolicyDocument: JSON.stringify(trust) }))['Role'] as Record<string, string>;
    const upload = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: [`acs:oss:*:*:${BUCKET}/*`] }] };
    await call(api, 'CreatePolicy', '2015-05-01', root, { PolicyName: 'bench-upload', PolicyDocument: JSON.stringify(upload) });
    await call(api, 'AttachPolicyToRole', '2015-05-01', root, { PolicyType: 'Custom', PolicyName: 'bench-upload', RoleName: ROLE });
    await putBucket(oss, root);
    await call(api, 'CreateInstance', '2014-05-26', root, { RegionId: 'cn-hangzhou', ImageId: 'bench-image', InstanceType: 'ecs.g7.large', RamRoleName: ROLE, PrivateIpAddress: '127.0.0.1' });
    return { ...node, accountId, root, user, roleArn: role['Arn']! };
  } catch (e) {
    await node.stop();
    throw e;
  }
}
