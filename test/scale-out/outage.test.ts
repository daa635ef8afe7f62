// When PostgreSQL or Redis goes away, a node answers ServiceUnavailable (503, in the product's
// format) within a bounded time, never a guess from a cache it can no longer keep exact, and it
// answers again by itself once the server is back. The servers are reached through relays the
// test cuts (the machine's own PostgreSQL and Redis keep running for everyone else).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { TEST_POSTGRES, testSchema, type TestSchema } from '../helpers/postgres.js';
import { TEST_REDIS, testPrefix, type TestPrefix } from '../helpers/redis.js';
import { ROOT, sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

let schema: TestSchema;
let prefix: TestPrefix;
let pgRelay: TcpProxy;
let redisRelay: TcpProxy;
let node: TestServer;

before(async () => {
  schema = testSchema();
  prefix = testPrefix();
  pgRelay = await startTcpProxy(Number(new URL(TEST_POSTGRES).port || 5432));
  redisRelay = await startTcpProxy(Number(new URL(TEST_REDIS).port || 6379));
  const store = new URL(schema.url);
  store.port = String(pgRelay.port);
  node = await startTestServer({
    store: store.toString(),
    redis: prefix.url(redisRelay.port),
    env: sharedNodeEnv(),
  });
});

after(async () => {
  await node.stop();
  await Promise.all([pgRelay.close(), redisRelay.close()]);
  await Promise.all([schema.drop(), prefix.drop()]);
});

const identity = () => postForm(node.endpoints.api, encodeParams(signedParams('GetCallerIdentity', ROOT)));

/** Sends until the answer has the status; returns the last answer and how long it took. */
async function until(status: number, boundMs: number) {
  const started = performance.now();
  for (;;) {
    const answer = await identity();
    const ms = performance.now() - started;
    if (answer.status === status) return { answer, ms };
    if (ms > boundMs) assert.fail(`still ${answer.status} (${answer.text}) after ${boundMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('/health says what this node can reach; /metrics counts requests, decisions, cache lookups, feed and backlog', async () => {
  const health = await fetch(`${node.endpoints.oss}/health`);
  assert.equal(health.status, 200);
  assert.deepEqual(await health.json(), { status: 'ok', store: 'ok', redis: 'ok', changeFeed: 'listening' });
  for (let i = 0; i < 3; i++) assert.equal((await identity()).status, 200);
  const metrics = await fetch(`${node.endpoints.metadata}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await metrics.text();
  /** The value of the sample of `name` carrying every label given (in whatever order they are written). */
  const sample = (name: string, labels: Record<string, string>) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)) && /node="[^"]+"/.test(l));
    return Number(line?.split(' ').at(-1) ?? Number.NaN);
  };
  assert.ok(sample('rampart_requests_total', { door: 'api', action: 'GetCallerIdentity', status: '200' }) >= 3, text.slice(0, 2000));
  assert.ok(sample('rampart_request_duration_seconds_count', { door: 'api' }) >= 3);
  assert.ok(sample('rampart_cache_lookups_total', { cache: 'access-keys', result: 'hit' }) >= 1);
  assert.equal(sample('rampart_change_feed_listening', {}), 1);
  assert.equal(sample('rampart_audit_backlog_events', {}), 0);
});

test('Redis away: ServiceUnavailable at once, answered again once it is back', async () => {
  assert.equal((await identity()).status, 200);
  redisRelay.cut();
  const started = performance.now();
  const refused = await identity();
  const waited = performance.now() - started;
  assert.equal(refused.status, 503);
  assert.equal(refused.json()['Code'], 'ServiceUnavailable');
  assert.ok(typeof refused.json()['RequestId'] === 'string');
  assert.ok(waited < 3_000, `answered in ${waited} ms`);
  const health = await fetch(`${node.endpoints.api}/health`);
  assert.equal(health.status, 503);
  assert.deepEqual(await health.json(), { status: 'down', store: 'ok', redis: 'unreachable', changeFeed: 'listening' });
  redisRelay.resume();
  const back = await until(200, 10_000);
  console.log(`Redis: refused in ${waited.toFixed(0)} ms, answering again ${back.ms.toFixed(0)} ms after it returned`);
});

test('PostgreSQL away: ServiceUnavailable (no answer from a cache it cannot keep exact), answered again once it is back', async () => {
  assert.equal((await identity()).status, 200);
  pgRelay.cut();
  const started = performance.now();
  const refused = await identity();
  const waited = performance.now() - started;
  assert.equal(refused.status, 503, refused.text);
  assert.equal(refused.json()['Code'], 'ServiceUnavailable');
  assert.ok(waited < 12_000, `answered in ${waited} ms`);
  const health = await fetch(`${node.endpoints.api}/health`);
  assert.equal(health.status, 503);
  assert.deepEqual(await health.json(), { status: 'down', store: 'unreachable', redis: 'ok', changeFeed: 'reconnecting' });
  pgRelay.resume();
  const back = await until(200, 15_000);
  console.log(`PostgreSQL: refused in ${waited.toFixed(0)} ms, answering again ${back.ms.toFixed(0)} ms after it returned`);
});
