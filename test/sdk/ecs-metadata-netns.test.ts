// The unmodified @alicloud/credentials ECS-RAM-role provider calls http://100.100.100.200 (hard
// coded). This test builds its own two network namespaces joined by a veth pair: "host" runs
// Rampart with the metadata listener on 100.100.100.200:80, "vm" (10.77.x.2, registered as the
// instance) runs the SDK. Needs root and iproute2; otherwise it is skipped with the reason.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { RAMPART_BIN } from '../helpers/cli.js';
import { ROOT } from '../helpers/server.js';
import { PopCore } from './sdk-clients.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/ecs-metadata-provider.js', import.meta.url));

function whyNot(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
  } catch {
    return 'needs iproute2 (ip netns)';
  }
  return undefined;
}

const skip = whyNot();
const tag = String(process.pid % 10000);
const hostNs = `rmp-h${tag}`;
const vmNs = `rmp-v${tag}`;
const subnet = `10.77.${process.pid % 250}`;
const apiAddress = `${subnet}.1:8800`;
const instanceIp = `${subnet}.2`;
let server: ChildProcess | undefined;
let dataDir = '';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inNs = (ns: string, ...args: string[]) => ip('netns', 'exec', ns, ...args);

before(async () => {
  if (skip) return;
  ip('netns', 'add', hostNs);
  ip('netns', 'add', vmNs);
  ip('link', 'add', `rv${tag}h`, 'type', 'veth', 'peer', 'name', `rv${tag}v`);
  ip('link', 'set', `rv${tag}h`, 'netns', hostNs);
  ip('link', 'set', `rv${tag}v`, 'netns', vmNs);
  inNs(hostNs, 'ip', 'link', 'set', 'lo', 'up');
  inNs(hostNs, 'ip', 'addr', 'add', '100.100.100.200/32', 'dev', 'lo');
  inNs(hostNs, 'ip', 'addr', 'add', `${subnet}.1/24`, 'dev', `rv${tag}h`);
  inNs(hostNs, 'ip', 'link', 'set', `rv${tag}h`, 'up');
  inNs(vmNs, 'ip', 'link', 'set', 'lo', 'up');
  inNs(vmNs, 'ip', 'addr', 'add', `${instanceIp}/24`, 'dev', `rv${tag}v`);
  inNs(vmNs, 'ip', 'link', 'set', `rv${tag}v`, 'up');
  inNs(vmNs, 'ip', 'route', 'add', 'default', 'via', `${subnet}.1`);

  dataDir = mkdtempSync(join(tmpdir(), 'rampart-netns-'));
  server = spawn('ip', ['netns', 'exec', hostNs, process.execPath, RAMPART_BIN, 'serve', '--data', dataDir, '--api', apiAddress, '--oss', '127.0.0.1:0', '--metadata', '100.100.100.200:80', '--console', '127.0.0.1:0'], {
    env: {
      PATH: process.env['PATH'],
      RAMPART_LOG_LEVEL: 'warn',
      RAMPART_ACCOUNT_ID: ROOT.accountId,
      RAMPART_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
      RAMPART_ROOT_ACCESS_KEY_SECRET: ROOT.accessKeySecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Root account')) resolve();
    });
    server?.once('exit', (code) => reject(new Error(`rampart exited with ${code}`)));
    setTimeout(() => reject(new Error('rampart did not start in the namespace')), 15_000);
  });
});

after(async () => {
  if (skip) return;
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server?.once('exit', r));
  }
  for (const ns of [hostNs, vmNs]) {
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Set-up over the API, run from inside the vm namespace (the only way to reach it). */
async function setUp(): Promise<void> {
  const script = `
    const PopCore = require(${JSON.stringify(fileURLToPath(new URL('../../../node_modules/@alicloud/pop-core/lib/rpc.js', import.meta.url)))});
    const creds = { accessKeyId: process.env.AK, accessKeySecret: process.env.SK, endpoint: 'http://${apiAddress}' };
    const ram = new PopCore({ ...creds, apiVersion: '2015-05-01' });
    const ecs = new PopCore({ ...creds, apiVersion: '2014-05-26' });
    (async () => {
      const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] });
      await ram.request('CreateRole', { RoleName: 'InstanceApp', AssumeRolePolicyDocument: trust }, { method: 'POST' });
      await ram.request('AttachPolicyToRole', { RoleName: 'InstanceApp', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' }, { method: 'POST' });
      const r = await ecs.request('CreateInstance', { RegionId: 'cn-hangzhou', ImageId: 'img', InstanceType: 't', PrivateIpAddress: '${instanceIp}', RamRoleName: 'InstanceApp' }, { method: 'POST' });
      process.stdout.write(r.InstanceId);
    })().catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  const { stdout } = await run('ip', ['netns', 'exec', vmNs, process.execPath, '-e', script], { env: { PATH: process.env['PATH'], AK: ROOT.accessKeyId, SK: ROOT.accessKeySecret }, timeout: 20_000 });
  instanceId = stdout.trim();
}

let instanceId = '';

async function providerRun(mode: string, env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const { stdout } = await run('ip', ['netns', 'exec', vmNs, process.execPath, fixture, `http://${apiAddress}`, mode], { env: { PATH: process.env['PATH'], ...env }, timeout: 30_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function setHttpTokens(value: 'optional' | 'required'): Promise<void> {
  const script = `
    const PopCore = require(${JSON.stringify(fileURLToPath(new URL('../../../node_modules/@alicloud/pop-core/lib/rpc.js', import.meta.url)))});
    new PopCore({ accessKeyId: process.env.AK, accessKeySecret: process.env.SK, endpoint: 'http://${apiAddress}', apiVersion: '2014-05-26' })
      .request('ModifyInstanceMetadataOptions', { InstanceId: '${instanceId}', HttpTokens: '${value}' }, { method: 'POST' })
      .catch((e) => { process.stderr.write(String(e)); process.exit(1); });`;
  await run('ip', ['netns', 'exec', vmNs, process.execPath, '-e', script], { env: { PATH: process.env['PATH'], AK: ROOT.accessKeyId, SK: ROOT.accessKeySecret }, timeout: 20_000 });
}

test('the credentials SDK on an instance gets its role credentials from 100.100.100.200 and signs with them', { skip }, async () => {
  void PopCore;
  await setUp();
  assert.match(instanceId, /^i-/);
  const expectations = (out: Record<string, unknown>) => {
    assert.equal(out['error'], undefined, String(out['error']));
    assert.match(String(out['accessKeyId']), /^STS\./);
    assert.equal(out['arn'], `acs:ram::${ROOT.accountId}:assumed-role/InstanceApp/${instanceId}`);
    assert.equal(out['listed'], true);
    assert.equal(out['denied'], 'NoPermission');
  };
  expectations(await providerRun('optional'));
  await setHttpTokens('required');
  expectations(await providerRun('required'));
  expectations(await providerRun('imdsv1-disabled', { ALIBABA_CLOUD_IMDSV1_DISABLED: 'true' }));
  await setHttpTokens('optional');
  expectations(await providerRun('imdsv1-disabled', { ALIBABA_CLOUD_IMDSV1_DISABLED: 'true' }));
});
