// What nodes share at request speed, in Redis and (without Redis) in PostgreSQL: two "nodes" are
// two connections to the same server. A nonce claimed through one is refused through the other
// until its time passes; a call rate is one bucket for both.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretBox } from '../../src/secrets/index.js';
import { openPostgresStore, parseRedisUrl, RedisSharedState, StoreUrlError, type SharedState } from '../../src/store/index.js';
import { testSchema } from '../helpers/postgres.js';
import { testPrefix } from '../helpers/redis.js';

const box = new SecretBox(Buffer.alloc(32, 1));

async function sharedContract(a: SharedState, b: SharedState): Promise<void> {
  const now = Date.now();
  assert.equal(await a.claimNonce('LTAI5tKEY', 'n-1', now + 60_000, now), true);
  assert.equal(await b.claimNonce('LTAI5tKEY', 'n-1', now + 60_000, now), false, 'the other node refuses it');
  assert.equal(await a.claimNonce('LTAI5tKEY', 'n-1', now + 60_000, now), false, 'and so does the first');
  assert.equal(await b.claimNonce('LTAI5tOTHER', 'n-1', now + 60_000, now), true, 'a nonce belongs to its AccessKey');
  // The same nonce twice at once, through one node and through both: one claim wins.
  const once = await Promise.all([a.claimNonce('LTAI5tKEY', 'dup', now + 60_000, now), a.claimNonce('LTAI5tKEY', 'dup', now + 60_000, now), b.claimNonce('LTAI5tKEY', 'dup', now + 60_000, now)]);
  assert.equal(once.filter(Boolean).length, 1, once.join(' '));
  // Once its time has passed, the nonce may be used again (its request would be refused as stale anyway).
  assert.equal(await a.claimNonce('LTAI5tKEY', 'short', now + 50, now), true);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(await b.claimNonce('LTAI5tKEY', 'short', Date.now() + 60_000, Date.now()), true);

  // 10 a second, bursts of 10: the two nodes draw from one bucket.
  const t = Date.now();
  const taken: boolean[] = [];
  for (let i = 0; i < 12; i++) taken.push(await (i % 2 === 0 ? a : b).takeCall('acct-1', 10, t));
  assert.deepEqual(taken, [...Array(10).fill(true), false, false]);
  assert.equal(await a.takeCall('acct-2', 10, t), true, 'another key has its own bucket');
  // A tenth of a second refills one call.
  assert.equal(await b.takeCall('acct-1', 10, t + 100), true);
  assert.equal(await a.takeCall('acct-1', 10, t + 100), false);
}

test('Redis: nonces and call rates are shared by every node', async () => {
  const prefix = testPrefix();
  const [a, b] = await Promise.all([RedisSharedState.open(parseRedisUrl(prefix.url())), RedisSharedState.open(parseRedisUrl(prefix.url()))]);
  try {
    await sharedContract(a, b);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await prefix.drop();
  }
});

test('PostgreSQL (no Redis): nonces and call rates are shared by every node', async () => {
  const schema = testSchema();
  const [a, b] = await Promise.all([openPostgresStore(schema.location, box), openPostgresStore(schema.location, box)]);
  try {
    await sharedContract(a.shared!, b.shared!);
  } finally {
    await Promise.all([a.close(), b.close()]);
    await schema.drop();
  }
});

test('a Redis URL names a key prefix of ours and is refused when it cannot be used', () => {
  assert.deepEqual(parseRedisUrl('redis://127.0.0.1:6379/2?prefix=edge:'), { url: 'redis://127.0.0.1:6379/2', prefix: 'edge:' });
  assert.equal(parseRedisUrl('rediss://cache.internal:6380').prefix, 'rampart:');
  assert.throws(() => parseRedisUrl('http://127.0.0.1:6379'), StoreUrlError);
  assert.throws(() => parseRedisUrl('redis://h?prefix=a b'), StoreUrlError);
});

test('a Redis that cannot be reached stops the start', async () => {
  await assert.rejects(RedisSharedState.open(parseRedisUrl('redis://127.0.0.1:1')));
});
