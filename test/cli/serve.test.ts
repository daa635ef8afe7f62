// `rampart serve` and `rampart account create` as a user runs them.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { runCli, serveCli } from '../helpers/cli.js';
import { createCa, issueServerCertificate } from '../../src/tls/index.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-cli-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function bannerField(banner: string, name: string): string {
  return new RegExp(`^\\s+${name}\\s+(\\S+)$`, 'm').exec(banner)?.[1] ?? '';
}

async function identity(api: string, accessKeyId: string, accessKeySecret: string): Promise<Record<string, unknown>> {
  return (await postForm(api, encodeParams(signedParams('GetCallerIdentity', { accessKeyId, accessKeySecret })))).json();
}

test('first start creates and prints the root account once; later starts keep it and hide the secret', async () => {
  const dir = dataDir();
  const first = await serveCli(['--data', dir]);
  const accountId = bannerField(first.banner, 'AccountId');
  const accessKeyId = bannerField(first.banner, 'AccessKeyId');
  const secret = bannerField(first.banner, 'AccessKeySecret');
  assert.match(accountId, /^[1-9]\d{15}$/);
  assert.match(accessKeyId, /^LTAI5t[A-Za-z0-9]{18}$/);
  assert.match(secret, /^[A-Za-z0-9]{30}$/);
  for (const name of ['api', 'oss', 'metadata'] as const) {
    const res = await fetch(`${first.endpoints[name]}/health`);
    assert.equal(res.status, 200, name);
  }
  // The console is served too, from the same process, and its root sign-in takes the printed key.
  const page = await fetch(first.endpoints.console);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>Rampart console<\/title>/);
  const signIn = await fetch(`${first.endpoints.console}/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Kind: 'root', AccessKeyId: accessKeyId, AccessKeySecret: secret }) });
  assert.equal(signIn.status, 200);
  assert.equal((await identity(first.endpoints.api, accessKeyId, secret))['AccountId'], accountId);
  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.ok(!first.stderr().includes(secret), 'the secret never reaches the logs');
  assert.ok(first.stderr().split('\n').some((l) => l.includes('"msg":"api request"') && /"node":"[^"]+-\d+"/.test(l)), 'access lines name the node (host-pid)');
  assert.match(first.stderr(), /"msg":"api request"/);

  assert.equal(statSync(join(dir, 'master.key')).mode & 0o777, 0o600);
  for (const file of readdirSync(dir)) {
    if (statSync(join(dir, file)).isFile()) assert.ok(!readFileSync(join(dir, file)).includes(secret), `${file} holds the secret in clear`);
  }

  const second = await serveCli(['--data', dir]);
  assert.ok(!second.banner.includes(secret));
  assert.match(second.banner, new RegExp(`Root account ${accountId}, AccessKeyId ${accessKeyId}`));
  assert.equal((await identity(second.endpoints.api, accessKeyId, secret))['AccountId'], accountId);
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('the environment fixes the root account for scripted use', async () => {
  const env = {
    RAMPART_ACCOUNT_ID: '1111222233334444',
    RAMPART_ROOT_ACCESS_KEY_ID: 'LTAI5tScriptedKey0000001',
    RAMPART_ROOT_ACCESS_KEY_SECRET: 'ScriptedSecret00000000000000xy',
  };
  const served = await serveCli(['--data', dataDir()], env);
  assert.ok(!served.banner.includes(env.RAMPART_ROOT_ACCESS_KEY_SECRET));
  const who = await identity(served.endpoints.api, env.RAMPART_ROOT_ACCESS_KEY_ID, env.RAMPART_ROOT_ACCESS_KEY_SECRET);
  assert.equal(who['Arn'], 'acs:ram::1111222233334444:root');
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
});

test('account create --json adds an account a running server accepts at once', async () => {
  const dir = dataDir();
  const served = await serveCli(['--data', dir]);
  const { code, stdout, stderr } = await runCli(['account', 'create', '--data', dir, '--json']);
  assert.equal(code, 0, stderr);
  const created = JSON.parse(stdout) as Record<string, string>;
  assert.deepEqual(Object.keys(created), ['AccountId', 'AccessKeyId', 'AccessKeySecret']);
  assert.notEqual(created['AccountId'], bannerField(served.banner, 'AccountId'));
  const who = await identity(served.endpoints.api, created['AccessKeyId'] ?? '', created['AccessKeySecret'] ?? '');
  assert.equal(who['Arn'], `acs:ram::${created['AccountId']}:root`);
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
});

test('SIGTERM lets an in-flight request finish, then exits 0', async () => {
  const served = await serveCli(['--data', dataDir()]);
  const { port } = new URL(served.endpoints.api);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  let answer = '';
  socket.setEncoding('utf8').on('data', (d: string) => (answer += d));
  const closed = new Promise((r) => socket.once('close', r));
  const body = 'Action=GetCallerIdentity&Version=2015-04-01';
  // Headers and half the body: the request is in flight.
  socket.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
  await new Promise((r) => setTimeout(r, 200));
  served.child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(served.child.exitCode, null, 'still running while a request is in flight');
  // New connections are no longer accepted.
  await assert.rejects(fetch(`${served.endpoints.api}/health`));
  socket.write(body.slice(10));
  await closed;
  assert.match(answer, /^HTTP\/1.1 400 /, 'the in-flight request got its answer');
  assert.match(answer, /"Code":"MissingAccessKeyId"/);
  assert.match(answer, /connection: close/i);
  assert.equal(await served.exited, 0);
  assert.match(served.stderr(), /"msg":"stopped"/);
});

test('the oss and metadata listeners answer in their own formats', async () => {
  const served = await serveCli(['--data', dataDir()]);
  // Unsigned, so anonymous: as on OSS, the bucket is looked up before anything is allowed.
  const oss = await fetch(`${served.endpoints.oss}/bucket/key`);
  assert.equal(oss.status, 404, 'no such bucket');
  assert.match(oss.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
  assert.match(await oss.text(), /<Error>\n?<Code>NoSuchBucket<\/Code>/);
  const md = await fetch(`${served.endpoints.metadata}/latest/meta-data/`);
  assert.equal(md.status, 404);
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
});

test('a master key other than the data directory\'s is refused with a clear message', async () => {
  const dir = dataDir();
  const served = await serveCli(['--data', dir]);
  served.child.kill('SIGTERM');
  await served.exited;
  const { code, stderr } = await runCli(['serve', '--data', dir, '--api', '127.0.0.1:0', '--oss', '127.0.0.1:0', '--metadata', '127.0.0.1:0', '--console', '127.0.0.1:0'], {
    RAMPART_MASTER_KEY: 'ab'.repeat(32),
  });
  assert.equal(code, 2);
  assert.match(stderr, /master key does not match/);
});

test('bad flags and values are refused with usage errors, exit code 2', async () => {
  for (const args of [['serve', '--api', 'nonsense'], ['serve', '--bogus'], ['account', 'delete'], ['frobnicate']]) {
    const { code, stderr } = await runCli(args, { RAMPART_DATA: dataDir() });
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.ok(stderr.length > 0);
  }
  const bad = await runCli(['serve', '--data', dataDir(), '--api', '127.0.0.1:0', '--oss', '127.0.0.1:0', '--metadata', '127.0.0.1:0', '--console', '127.0.0.1:0'], { RAMPART_ACCOUNT_ID: '123' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /RAMPART_ACCOUNT_ID must be 16 digits/);
  const gc = await runCli(['serve', '--data', dataDir(), '--api', '127.0.0.1:0', '--oss', '127.0.0.1:0', '--metadata', '127.0.0.1:0', '--console', '127.0.0.1:0'], { RAMPART_CONCURRENT_GC: 'sometimes' });
  assert.equal(gc.code, 2);
  assert.match(gc.stderr, /RAMPART_CONCURRENT_GC must be 1, true, 0 or false/);
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

function httpsGet(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

test('listener addresses and the data directory can come from the environment', async () => {
  const dir = dataDir();
  const port = await freePort();
  const served = await serveCli([], { RAMPART_API: `127.0.0.1:${port}`, RAMPART_DATA: dir });
  assert.equal(served.endpoints.api, `http://127.0.0.1:${port}`);
  assert.match(served.banner, new RegExp(`data\\s+${dir}`));
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
});

test('--tls prints the CA to trust; --tls-cert/--tls-key serve a given certificate', async () => {
  const dir = dataDir();
  const selfSigned = await serveCli(['--data', dir, '--tls']);
  assert.ok(selfSigned.endpoints.api.startsWith('https://'));
  const caPath = /tls CA\s+(\S+)/.exec(selfSigned.banner)?.[1] ?? '';
  assert.equal(caPath, join(dir, 'tls', 'ca.pem'));
  assert.equal(await httpsGet(`${selfSigned.endpoints.api.replace('127.0.0.1', 'localhost')}/health`, readFileSync(caPath, 'utf8')), 200);
  assert.ok(!readFileSync(join(dir, 'tls', 'server.key.sealed'), 'utf8').includes('PRIVATE KEY'), 'the key is sealed at rest');
  selfSigned.child.kill('SIGTERM');
  assert.equal(await selfSigned.exited, 0);

  const ca = createCa();
  const cert = issueServerCertificate(ca, ['localhost', '127.0.0.1']);
  writeFileSync(join(dir, 'given.pem'), cert.certPem);
  writeFileSync(join(dir, 'given.key'), cert.keyPem, { mode: 0o600 });
  const given = await serveCli(['--data', dir, '--tls-cert', join(dir, 'given.pem'), '--tls-key', join(dir, 'given.key')]);
  assert.equal(await httpsGet(`${given.endpoints.api}/health`, ca.certPem), 200);
  given.child.kill('SIGTERM');
  assert.equal(await given.exited, 0);
});
