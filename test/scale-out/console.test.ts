// The console on nodes that share a PostgreSQL store (and the master key): a session signed in on
// one node is honoured by the others, a sign-out on one holds on all, and a cookie from another
// store's key is nobody's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConsoleClient } from '../helpers/console.js';
import { testSchema, type TestSchema } from '../helpers/postgres.js';
import { testPrefix, type TestPrefix } from '../helpers/redis.js';
import { sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';

let schema: TestSchema;
let prefix: TestPrefix;
const nodes: TestServer[] = [];

before(async () => {
  schema = testSchema();
  prefix = testPrefix();
  const env = sharedNodeEnv();
  for (let i = 0; i < 2; i++) nodes.push(await startTestServer({ store: schema.url, redis: prefix.url(), env, console: { host: '127.0.0.1', port: 0 } }));
});

after(async () => {
  await Promise.all(nodes.map((n) => n.stop()));
  await Promise.all([schema.drop(), prefix.drop()]);
});

test('a console session signed in on one node works on another; signed out there, it ends on both', async () => {
  const [one, two] = [nodes[0]!.endpoints.console!, nodes[1]!.endpoints.console!];
  const c = new ConsoleClient(one);
  assert.equal((await c.signInRoot()).status, 200);
  assert.equal((await c.call('ram', 'CreateUser', { UserName: 'made-on-one' })).status, 200);

  // The same cookie and CSRF token, sent to the other node (its own origin, as a balancer would present it).
  const elsewhere = Object.assign(new ConsoleClient(two), { cookie: c.cookie, csrf: c.csrf });
  const listed = await elsewhere.call('ram', 'ListUsers');
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.ok(JSON.stringify(listed.body).includes('made-on-one'));

  const cookie = elsewhere.cookie;
  assert.equal((await elsewhere.send('/api/signout', { body: {} })).status, 200);
  const replayed = Object.assign(new ConsoleClient(one), { cookie, csrf: c.csrf });
  const after = await replayed.call('ram', 'ListUsers');
  assert.equal(after.status, 401);
  assert.equal(after.body['Code'], 'ConsoleSession.Required');
});

test('a cookie sealed by a store with another master key opens on no node here', async () => {
  const stranger = await startTestServer({ console: { host: '127.0.0.1', port: 0 } });
  try {
    const c = new ConsoleClient(stranger.endpoints.console!);
    assert.equal((await c.signInRoot()).status, 200);
    const forged = Object.assign(new ConsoleClient(nodes[0]!.endpoints.console!), { cookie: c.cookie, csrf: c.csrf });
    assert.equal((await forged.call('ram', 'ListUsers')).body['Code'], 'ConsoleSession.Required');
  } finally {
    await stranger.stop();
  }
});
