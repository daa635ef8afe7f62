// `rampart audit tail|export|explain` against a data directory a running server writes to.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RAMPART_BIN, runCli, serveCli } from '../helpers/cli.js';
import { PopCore, type SdkError } from '../sdk/sdk-clients.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-audit-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { RAMPART_ACCOUNT_ID: '2222333344445555', RAMPART_ROOT_ACCESS_KEY_ID: 'LTAI5tAuditCliRoot000001', RAMPART_ROOT_ACCESS_KEY_SECRET: 'AuditCliRootSecret00000000000x' };

test('tail, follow, export and explain the trail; shutdown flushes the last events', async () => {
  const served = await serveCli(['--data', dir], env);
  const root = { accessKeyId: env.RAMPART_ROOT_ACCESS_KEY_ID, accessKeySecret: env.RAMPART_ROOT_ACCESS_KEY_SECRET, endpoint: served.endpoints.api };
  const ram = new PopCore({ ...root, apiVersion: '2015-05-01' });
  await ram.request('CreateUser', { UserName: 'watched' }, { method: 'POST' });
  const ak = (await ram.request('CreateAccessKey', { UserName: 'watched' }, { method: 'POST' }))['AccessKey'] as Record<string, string>;

  const follower = spawn(process.execPath, [RAMPART_BIN, 'audit', 'tail', '--follow', '--lines', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let followed = '';
  follower.stdout.setEncoding('utf8').on('data', (d: string) => (followed += d));
  // The follower is ready once it shows an event recorded after it began: keep making one until
  // it does (a fixed wait was too short on a loaded machine, and then it missed the event below).
  const sts = new PopCore({ ...root, apiVersion: '2015-04-01' });
  const until = async (seen: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 200 && !(await seen()); i++) await new Promise((r) => setTimeout(r, 100));
  };
  const probes = new Set<string>();
  await until(async () => followed !== '' || (probes.add(String((await sts.request('GetCallerIdentity', {}, { method: 'POST' }))['RequestId'])), false));
  assert.notEqual(followed, '', 'the follower shows new events');

  let requestId = '';
  try {
    await new PopCore({ accessKeyId: ak['AccessKeyId'], accessKeySecret: ak['AccessKeySecret'], endpoint: served.endpoints.api, apiVersion: '2015-05-01' }).request('ListUsers', {}, { method: 'POST' });
  } catch (e) {
    requestId = String((e as SdkError).data?.['RequestId']);
  }
  assert.match(requestId, /^[0-9A-F-]{36}$/);
  await until(() => followed.includes(requestId));
  follower.kill('SIGTERM');
  await new Promise((r) => follower.once('exit', r));
  const live = followed.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(live.some((e) => e['requestId'] === requestId && e['errorCode'] === 'NoPermission'), followed);

  await new PopCore({ ...root, apiVersion: '2015-04-01' }).request('GetCallerIdentity', {}, { method: 'POST' });
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);

  const exported = await runCli(['audit', 'export', '--format', 'jsonl', '--data', dir]);
  assert.equal(exported.code, 0, exported.stderr);
  const events = exported.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => !probes.has(String(e['requestId'])));
  assert.deepEqual(events.map((e) => e['eventName']), ['CreateUser', 'CreateAccessKey', 'ListUsers', 'GetCallerIdentity']);
  assert.ok(!exported.stdout.includes(String(ak['AccessKeySecret'])), 'no secret in the trail');

  const tail = await runCli(['audit', 'tail', '--lines', '2', '--data', dir]);
  assert.deepEqual(tail.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Record<string, unknown>)['eventName']), ['ListUsers', 'GetCallerIdentity']);

  const explained = await runCli(['audit', 'explain', requestId, '--data', dir]);
  assert.equal(explained.code, 0, explained.stderr);
  assert.match(explained.stdout, /Ram:ListUsers by watched \(ram-user\)/);
  assert.match(explained.stdout, /refused: NoPermission/);
  assert.match(explained.stdout, /why: ImplicitDeny of ram:ListUsers on acs:ram::2222333344445555:user\/\* for acs:ram::2222333344445555:user\/watched: no Allow matched/);
  assert.equal((await runCli(['audit', 'explain', 'NO-SUCH-ID', '--data', dir])).code, 1);
});
