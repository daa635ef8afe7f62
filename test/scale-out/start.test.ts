// Nodes started at the same moment on a fresh shared store (as a deployment's replicas are): one
// sets the store up, the others find it. One root account, its secret shown once; a node with
// another master key is refused rather than sealing secrets the others cannot open.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { testSchema } from '../helpers/postgres.js';
import { ROOT, sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';

test('three nodes starting at once make one root account; its secret is shown by one of them', async () => {
  const schema = testSchema();
  const env = { RAMPART_MASTER_KEY: randomBytes(32).toString('hex') };
  const nodes: TestServer[] = [];
  try {
    const started = await Promise.allSettled([1, 2, 3].map(() => startTestServer({ store: schema.url, env })));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    assert.equal(nodes.length, 3, started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok')).join('; '));
    assert.equal(new Set(nodes.map((n) => n.root.accountId)).size, 1);
    assert.equal(nodes.filter((n) => n.root.newSecret !== undefined).length, 1);
    assert.equal(nodes.filter((n) => n.root.created).length, 1);

    // Another master key on the same store: refused at start.
    await assert.rejects(startTestServer({ store: schema.url, env: { RAMPART_MASTER_KEY: randomBytes(32).toString('hex') } }), /master key does not match/);
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema.drop();
  }
});

test('three nodes starting at once with a fixed root account all start', async () => {
  const schema = testSchema();
  const env = sharedNodeEnv();
  const nodes: TestServer[] = [];
  try {
    const started = await Promise.allSettled([1, 2, 3].map(() => startTestServer({ store: schema.url, env })));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    assert.equal(nodes.length, 3, started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok')).join('; '));
    assert.deepEqual(new Set(nodes.map((n) => n.root.accountId)), new Set([ROOT.accountId]));
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema.drop();
  }
});
