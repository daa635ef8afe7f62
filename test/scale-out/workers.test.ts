// `rampart serve --workers N`: several processes behind the same listeners, sharing state as
// nodes do. Requests reach every worker; a nonce used on one is refused by the others; one signal
// stops them all, cleanly. Without a shared store, more than one worker is refused at start.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, serveCli } from '../helpers/cli.js';
import { testSchema } from '../helpers/postgres.js';
import { testPrefix } from '../helpers/redis.js';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { ROOT, sharedNodeEnv } from '../helpers/server.js';

const env = sharedNodeEnv();

test('three workers share the listeners and the state; one SIGTERM stops them all', async () => {
  const schema = testSchema();
  const prefix = testPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'rampart-workers-'));
  try {
    const served = await serveCli(['--data', dir, '--store', schema.url, '--redis', prefix.url(), '--workers', '3'], env);
    assert.match(served.banner, /Rampart is running \(3 workers\)\./);
    // Each answer's metrics name the worker that gave them; with new connections, all three answer.
    const nodes = new Set<string>();
    for (let i = 0; i < 60 && nodes.size < 3; i++) {
      const text = await (await fetch(`${served.endpoints.api}/metrics`, { headers: { connection: 'close' } })).text();
      const node = /node="([^"]+)"/.exec(text)?.[1];
      if (node) nodes.add(node);
    }
    assert.equal(nodes.size, 3, `answered by ${[...nodes].join(', ')}`);
    // A request accepted by one worker is a replay for all (sent on new connections, to any of them).
    const body = encodeParams(signedParams('GetCallerIdentity', ROOT));
    assert.equal((await postForm(served.endpoints.api, body, { connection: 'close' })).status, 200);
    for (let i = 0; i < 6; i++) assert.equal((await postForm(served.endpoints.api, body, { connection: 'close' })).json()['Code'], 'SignatureNonceUsed');
    served.child.kill('SIGTERM');
    assert.equal(await served.exited, 0);
  } finally {
    await Promise.all([schema.drop(), prefix.drop()]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('more than one worker without a shared store is refused before anything starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-workers-'));
  try {
    const refused = await runCli(['serve', '--data', dir, '--workers', '2', '--api', '127.0.0.1:0'], env);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--workers needs --store/);
    const bad = await runCli(['serve', '--data', dir, '--workers', 'many'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--workers must be a number from 1 to 64/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
