// A node killed (SIGKILL) in the middle of a write load: the other node keeps answering, every
// write the killed node acknowledged is there, and every call it acknowledged is in the trail.
// Both nodes are real `rampart serve` processes on one PostgreSQL database and one Redis.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serveCli } from '../helpers/cli.js';
import { testSchema } from '../helpers/postgres.js';
import { testPrefix } from '../helpers/redis.js';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { ROOT, sharedNodeEnv } from '../helpers/server.js';

const RAM = { Version: '2015-05-01' };

async function call(api: string, action: string, params: Record<string, string>) {
  return postForm(api, encodeParams(signedParams(action, ROOT, params)));
}

test('kill -9 one node under write load: the other answers, every acknowledged write and event is kept', async () => {
  const schema = testSchema();
  const prefix = testPrefix();
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'rampart-node-')));
  const env = sharedNodeEnv();
  const shared = ['--store', schema.url, '--redis', prefix.url()];
  const victim = await serveCli(['--data', dirs[0]!, ...shared], env);
  const survivor = await serveCli(['--data', dirs[1]!, ...shared], env);
  try {
    // Eight writers create users on the victim until it dies; what it acknowledged is recorded.
    const acknowledged: { user: string; requestId: string }[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const user = `w${w}-u${i}`;
        try {
          const answer = await call(victim.endpoints.api, 'CreateUser', { ...RAM, UserName: user });
          if (answer.status === 200) acknowledged.push({ user, requestId: String(answer.json()['RequestId']) });
        } catch {
          return; // the connection died with the node
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 700));
    victim.child.kill('SIGKILL');
    await victim.exited;
    stop = true;
    await Promise.all(writers);
    assert.ok(acknowledged.length > 20, `only ${acknowledged.length} writes before the kill`);

    // The survivor answers, and has every acknowledged user.
    assert.equal((await call(survivor.endpoints.api, 'GetCallerIdentity', {})).status, 200);
    for (const { user } of acknowledged) {
      const answer = await call(survivor.endpoints.api, 'GetUser', { ...RAM, UserName: user });
      assert.equal(answer.status, 200, `${user}: ${answer.text}`);
    }

    // Every acknowledged call is in the trail, read through the survivor.
    const recorded = new Set<string>();
    let next: string | undefined;
    do {
      const page = await call(survivor.endpoints.api, 'LookupEvents', {
        Version: '2020-07-06',
        'LookupAttribute.1.Key': 'EventName',
        'LookupAttribute.1.Value': 'CreateUser',
        MaxResults: '50',
        ...(next ? { NextToken: next } : {}),
      });
      assert.equal(page.status, 200, page.text);
      const body = page.json() as { Events: { requestId: string }[]; NextToken?: string };
      for (const e of body.Events) recorded.add(e.requestId);
      next = body.NextToken;
    } while (next !== undefined);
    const missing = acknowledged.filter((a) => !recorded.has(a.requestId));
    assert.deepEqual(missing, [], 'acknowledged calls missing from the trail');
    console.log(`killed under load: ${acknowledged.length} acknowledged writes, all present and in the trail`);
  } finally {
    victim.child.kill('SIGKILL');
    survivor.child.kill('SIGTERM');
    await survivor.exited;
    await Promise.all([schema.drop(), prefix.drop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
