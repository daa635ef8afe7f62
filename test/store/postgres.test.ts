// The PostgreSQL backend against the machine's real PostgreSQL: the same conformance suite as the
// embedded backend, and what only a shared database has (several nodes at once).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretBox } from '../../src/secrets/index.js';
import { openPostgresStore, parsePostgresUrl, StoreUrlError } from '../../src/store/index.js';
import pg from 'pg';
import { PostgresChangeFeed } from '../../src/store/postgres/change-feed.js';
import { TEST_POSTGRES, testSchema } from '../helpers/postgres.js';
import { productConformance, ramConformance, storeConformance } from './conformance.js';

const box = new SecretBox(Buffer.alloc(32, 1));

async function openFresh() {
  const schema = testSchema();
  return { store: await openPostgresStore(schema.location, box), cleanup: () => schema.drop() };
}

storeConformance('postgres', openFresh);
ramConformance('postgres', openFresh);
productConformance('postgres', openFresh);

test('postgres: the store URL names a schema of ours and nothing else is taken from it', () => {
  assert.deepEqual(parsePostgresUrl('postgres://u@h:5432/db?schema=tenant_a&sslmode=require'), { connectionString: 'postgres://u@h:5432/db?sslmode=require', schema: 'tenant_a' });
  assert.equal(parsePostgresUrl('postgresql://u@h/db').schema, undefined);
  assert.throws(() => parsePostgresUrl('mysql://u@h/db'), StoreUrlError);
  assert.throws(() => parsePostgresUrl('postgres://u@h/db?schema=Robert%27);drop'), StoreUrlError);
  assert.throws(() => parsePostgresUrl('not a url'), StoreUrlError);
});

test('postgres: nodes starting together migrate once, and each hears what the others write', async () => {
  const schema = testSchema();
  // One process, one node id (as in-process tests and workers have): each store still hears the others.
  const nodes = await Promise.all([1, 2, 3].map(() => openPostgresStore(schema.location, box, { nodeId: 'one-process' })));
  try {
    const [one, two, three] = nodes as [(typeof nodes)[0], (typeof nodes)[0], (typeof nodes)[0]];
    const heard: (string | undefined)[][] = [[], [], []];
    nodes.forEach((n, i) => n.changes.subscribe((a) => heard[i]!.push(a)));
    await one.accounts.create('1000000000000001', new Date());
    await one.accessKeys.create({ accessKeyId: 'LTAI5tNODEONE00000000000', accountId: '1000000000000001', secret: 's', createdAt: new Date() });
    // The write is acknowledged after its notification is sent; it arrives within moments.
    for (let i = 0; i < 100 && (heard[1]!.length === 0 || heard[2]!.length === 0); i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(heard, [['1000000000000001'], ['1000000000000001'], ['1000000000000001']], 'once each: the writer from its own call, the others by notification');
    assert.equal((await three.accessKeys.get('LTAI5tNODEONE00000000000'))?.secret, 's');
    // The token keyring belongs to no account: every account has changed.
    await two.tokenKeys.add({ keyId: 'k1', key: Buffer.alloc(32, 7), createdAt: new Date() });
    for (let i = 0; i < 100 && heard[0]!.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(heard[0]!.at(-1), undefined);
    assert.equal(heard[0]!.length, 2);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await schema.drop();
  }
});

test('postgres: while the feed connection is down nothing cached is trusted, and it comes back by itself', async () => {
  const schema = testSchema();
  const store = await openPostgresStore(schema.location, box, { nodeId: 'node-x', onFeedError: () => undefined });
  try {
    const feed = store.changes as PostgresChangeFeed;
    const heard: (string | undefined)[] = [];
    store.changes.subscribe((a) => heard.push(a));
    store.changes.catchUp();
    assert.deepEqual(heard, [], 'listening: catching up announces nothing');
    const admin = new pg.Client({ connectionString: TEST_POSTGRES });
    await admin.connect();
    try {
      const killed = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where query = $1`, [`LISTEN "rampart_changes_${schema.location.schema}"`]);
      assert.equal(killed.rowCount, 1);
    } finally {
      await admin.end();
    }
    for (let i = 0; i < 200 && feed.listening; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(heard.at(-1), undefined, 'the loss itself announces every account');
    const before = heard.length;
    store.changes.catchUp();
    assert.equal(heard.length, before + 1, 'while down, every lookup is told every account changed');
    for (let i = 0; i < 400 && !feed.listening; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(feed.listening, true, 'reconnected');
    const after = heard.length;
    store.changes.catchUp();
    assert.equal(heard.length, after, 'listening again: lookups trust the cache');
  } finally {
    await store.close();
    await schema.drop();
  }
});
