// The OSS lifecycle sweep on two nodes of one PostgreSQL database and one Redis, with a clock the
// test moves (both nodes read it): both nodes run bounded passes at the same time, over a few
// hundred objects and a few incomplete multipart uploads. What is due goes exactly once (one
// ExpireObject or AbortMultipartUpload event in all, whichever node won), what is not stays byte
// for byte, an object rewritten or retagged between passes is judged as it is when reached, and a
// node restarted mid-round goes on from the cursor in the store instead of starting over.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AuditRecord } from '../../src/gateway/index.js';
import type { SweepResult } from '../../src/services/oss/index.js';
import { rawOss, type RawOssAnswer } from '../helpers/oss-raw.js';
import { testSchema, type TestSchema } from '../helpers/postgres.js';
import { testPrefix, type TestPrefix } from '../helpers/redis.js';
import { ROOT, sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';

const DAY = 24 * 3600 * 1000;
const CURSOR = 'oss.lifecycle-sweep.cursor';
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };
const midnightAfter = (ms: number) => Math.ceil(ms / DAY) * DAY;

let schema: TestSchema;
let prefix: TestPrefix;
let sharedBlobs: string;
const env = sharedNodeEnv();
/** Every node ever started here (a restarted node is a new one): their audit records together are the trail. */
const started: TestServer[] = [];
/** The one clock of every node. */
let clock = Date.now();
const T0 = clock;
// Objects written at T0 are due (Days 2) from midnightAfter(T0) + 2 days, which is at most T0 + 3 days.
const SWEEP_AT = T0 + 3 * DAY;

async function startNode(): Promise<TestServer> {
  const node = await startTestServer({ store: schema.url, redis: prefix.url(), blobsDir: sharedBlobs, env, now: () => clock, lifecycleSweepSeconds: 0, assumeRoleRate: 0 });
  started.push(node);
  return node;
}

before(async () => {
  schema = testSchema();
  prefix = testPrefix();
  sharedBlobs = mkdtempSync(join(tmpdir(), 'rampart-lifecycle-blobs-'));
});

after(async () => {
  await Promise.all(started.map((n) => n.stop().catch(() => undefined)));
  await Promise.all([schema.drop(), prefix.drop()]);
  rmSync(sharedBlobs, { recursive: true, force: true });
});

/** A hand-signed request to a node, dated by the shared clock. */
const raw = (node: TestServer, method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawOssAnswer> =>
  rawOss(node.endpoints.oss, { method, path, creds: root, date: new Date(clock), headers, ...(body !== undefined ? { body } : {}) });

async function ok(answer: Promise<RawOssAnswer>, what: string): Promise<RawOssAnswer> {
  const a = await answer;
  assert.ok(a.status >= 200 && a.status < 300, `${what}: ${a.status} ${a.body}`);
  return a;
}

/** fn over items, `width` at a time. */
async function inParallel<T>(items: T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i] as T, i);
      }
    }),
  );
}

interface Obj {
  bucket: string;
  key: string;
  body: string;
  tagging?: string;
  /** Written at SWEEP_AT rather than T0. */
  fresh?: boolean;
  /** Due when the sweep reaches it, under this rule. */
  expiresBy?: string;
}

const lifecycle = (...rules: string[]) => `<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration>${rules.map((r) => `<Rule>${r}</Rule>`).join('')}</LifecycleConfiguration>`;
const tagging = (tags: Record<string, string>) => `<Tagging><TagSet>${Object.entries(tags).map(([k, v]) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`).join('')}</TagSet></Tagging>`;
const pad = (i: number, n = 4) => String(i).padStart(n, '0');

test('two nodes sweeping at once: each due object and upload goes once, with one event; the rest stays; a restarted node resumes', async () => {
  const startedAt = performance.now();
  const node1 = await startNode();
  let node2 = await startNode();

  // Buckets: lc-a with rules of every kind, lc-b expiring everything, lc-none without rules.
  for (const b of ['lc-a', 'lc-b', 'lc-none']) await ok(raw(node1, 'PUT', `/${b}`), `PutBucket ${b}`);
  await ok(
    raw(
      node1,
      'PUT',
      '/lc-a?lifecycle',
      lifecycle(
        '<ID>logs</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration>',
        '<ID>tmp</ID><Prefix>tmp/</Prefix><Status>Enabled</Status><Expiration><Days>2</Days></Expiration><Tag><Key>env</Key><Value>tmp</Value></Tag>',
        '<ID>keep</ID><Prefix>keep/</Prefix><Status>Disabled</Status><Expiration><Days>2</Days></Expiration>',
        '<ID>up</ID><Prefix>up/</Prefix><Status>Enabled</Status><AbortMultipartUpload><Days>2</Days></AbortMultipartUpload>',
      ),
    ),
    'PutBucketLifecycle lc-a',
  );
  await ok(raw(node2, 'PUT', '/lc-b?lifecycle', lifecycle('<ID>all</ID><Status>Enabled</Status><Expiration><Days>2</Days></Expiration>')), 'PutBucketLifecycle lc-b');

  const objects: Obj[] = [];
  const add = (o: Obj) => objects.push(o);
  for (let i = 0; i < 200; i++) {
    // One in ten written at the time of the sweep: under the rule, not yet due, and between the others.
    const fresh = i % 10 === 9;
    add({ bucket: 'lc-a', key: `logs/${pad(i)}`, body: `log line ${i}`, ...(fresh ? { fresh } : { expiresBy: 'logs' }) });
  }
  for (let i = 0; i < 120; i++) {
    const tags = ['env=tmp', 'env=tmp&team=x', 'env=prod', undefined][i % 4];
    add({ bucket: 'lc-a', key: `tmp/${pad(i)}`, body: `tmp ${i}`, ...(tags ? { tagging: tags } : {}), ...(i % 4 < 2 ? { expiresBy: 'tmp' } : {}) });
  }
  // Rewritten (new bytes, same key, now fresh) and retagged between passes, before the sweep reaches them.
  for (let i = 0; i < 3; i++) add({ bucket: 'lc-a', key: `logs/zz-rewrite-${i}`, body: `old rewrite ${i}` });
  for (let i = 0; i < 3; i++) add({ bucket: 'lc-a', key: `tmp/zz-rewrite-${i}`, body: `old tmp rewrite ${i}`, tagging: 'env=tmp' });
  add({ bucket: 'lc-a', key: 'tmp/zz-retag-0', body: 'retag to prod 0', tagging: 'env=tmp' });
  add({ bucket: 'lc-a', key: 'tmp/zz-retag-1', body: 'retag to prod 1', tagging: 'env=tmp' });
  add({ bucket: 'lc-a', key: 'tmp/zz-retag-2', body: 'retag to tmp', tagging: 'env=prod', expiresBy: 'tmp' });
  for (let i = 0; i < 20; i++) add({ bucket: 'lc-a', key: `keep/${pad(i, 2)}`, body: `disabled rule ${i}` });
  for (let i = 0; i < 20; i++) add({ bucket: 'lc-a', key: `other/${pad(i, 2)}`, body: `no rule ${i}` });
  for (let i = 0; i < 30; i++) add({ bucket: 'lc-b', key: `b/${pad(i, 2)}`, body: `bucket b ${i}`, expiresBy: 'all' });
  for (let i = 0; i < 20; i++) add({ bucket: 'lc-none', key: `logs/${pad(i, 2)}`, body: `other bucket ${i}` });

  const writeObject = (node: TestServer, o: Obj, body = o.body) =>
    ok(raw(node, 'PUT', `/${o.bucket}/${o.key}`, body, o.tagging ? { 'x-oss-tagging': o.tagging } : {}), `PutObject ${o.bucket}/${o.key}`);

  // Multipart uploads: old ones under the abort rule (due), one written to since, one begun at the
  // sweep's time, one old one under no abort rule.
  const initiate = async (node: TestServer, key: string) => {
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec((await ok(raw(node, 'POST', `/lc-a/${key}?uploads`), `Initiate ${key}`)).body)?.[1];
    assert.ok(id);
    return id;
  };
  const part = (node: TestServer, key: string, id: string, n: number) => ok(raw(node, 'PUT', `/lc-a/${key}?partNumber=${n}&uploadId=${id}`, `part ${n} of ${key}`), `UploadPart ${key}#${n}`);

  // At T0: the old objects and uploads, through both nodes.
  const old = objects.filter((o) => !o.fresh);
  await inParallel(old, 16, (o, i) => writeObject(i % 2 === 0 ? node1 : node2, o).then(() => undefined));
  const dueUploads: { key: string; id: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const key = `up/old-${i}`;
    const id = await initiate(i % 2 === 0 ? node1 : node2, key);
    for (const n of [1, 2]) await part(i % 2 === 0 ? node2 : node1, key, id, n);
    dueUploads.push({ key, id });
  }
  const busy = await initiate(node1, 'up/busy');
  const notUnderRule = await initiate(node2, 'logs/multipart');
  await part(node2, 'logs/multipart', notUnderRule, 1);

  // The sweep's time: the fresh objects, a part for the busy upload, an upload just begun.
  clock = SWEEP_AT;
  assert.ok(midnightAfter(T0) + 2 * DAY <= clock && clock < midnightAfter(clock) + 2 * DAY);
  await inParallel(objects.filter((o) => o.fresh), 8, (o) => writeObject(node2, o).then(() => undefined));
  await part(node2, 'up/busy', busy, 1);
  const fresh = await initiate(node1, 'up/fresh');
  const keptUploads = [busy, notUnderRule, fresh];

  const at = (o: { bucket: string; key: string }) => `${o.bucket}/${o.key}`;
  const blobOf = new Map<string, string>();
  for (const o of objects) {
    const r = await node1.store.oss.getObject(o.bucket, o.key);
    assert.ok(r, `${at(o)} written`);
    blobOf.set(at(o), r.blobId);
  }
  const partBlobs = new Map<string, string[]>();
  for (const id of [...dueUploads.map((u) => u.id), ...keptUploads]) partBlobs.set(id, (await node1.store.oss.listParts(id)).map((p) => p.blobId));

  const results: { node: string; r: SweepResult }[] = [];
  const cursor = async () => {
    const text = (await node1.store.settings.get(CURSOR)) ?? '';
    return text === '' ? undefined : (JSON.parse(text) as Record<string, string>);
  };
  /** One pass on each node at once, with different small limits so they drift apart. */
  const together = async (a: TestServer, b: TestServer, names: [string, string]) => {
    const [ra, rb] = await Promise.all([a.lifecycleSweep.pass(13), b.lifecycleSweep.pass(17)]);
    results.push({ node: names[0], r: ra }, { node: names[1], r: rb });
    return ra.roundDone || rb.roundDone;
  };

  // Some passes, both nodes at once: the round is under way, inside lc-a's logs/.
  for (let i = 0; i < 4; i++) assert.equal(await together(node1, node2, ['node1', 'node2']), false);
  const midway = await cursor();
  assert.ok(midway, 'a cursor is kept');
  assert.equal(midway['bucket'], 'lc-a');
  assert.equal(midway['phase'], 'objects');
  assert.equal(midway['prefix'], 'logs/');
  assert.ok((midway['after'] ?? '') < 'logs/0150', `the cursor ${JSON.stringify(midway)} is not yet near the rewritten objects`);

  // Between passes: objects not reached yet are rewritten (new bytes, fresh) or retagged.
  const rewritten = objects.filter((o) => o.key.includes('/zz-rewrite-'));
  for (const o of rewritten) {
    await writeObject(node2, o, `new bytes for ${o.key}`);
    o.body = `new bytes for ${o.key}`;
  }
  for (const [key, tags] of [['tmp/zz-retag-0', { env: 'prod' }], ['tmp/zz-retag-1', {}], ['tmp/zz-retag-2', { env: 'tmp' }]] as const) {
    await ok(raw(node1, 'PUT', `/lc-a/${key}?tagging`, tagging(tags)), `PutObjectTagging ${key}`);
  }

  // Node 2 restarts mid-round. Its successor goes on from the cursor in the store: its first pass
  // (the bucket, then 8 objects) looks at exactly the 8 objects after the cursor, not the ones
  // before it that stayed (which a pass starting over would look at again).
  await node2.stop();
  const resumeFrom = await cursor();
  assert.ok(resumeFrom && resumeFrom['prefix'] === 'logs/' && resumeFrom['after'] !== undefined, JSON.stringify(resumeFrom));
  const logs = await node1.store.oss.listObjects('lc-a', 'logs/', undefined, 1000);
  const behind = logs.filter((o) => o.key <= (resumeFrom['after'] ?? ''));
  const ahead = logs.filter((o) => o.key > (resumeFrom['after'] ?? ''));
  assert.ok(behind.length > 0, 'objects that stayed lie behind the cursor, so starting over would show');
  assert.ok(ahead.length > 8);
  node2 = await startNode();
  const first = await node2.lifecycleSweep.pass(9);
  results.push({ node: 'node2 restarted', r: first });
  const dueAhead = ahead.slice(0, 8).filter((o) => objects.find((x) => x.bucket === 'lc-a' && x.key === o.key)?.expiresBy !== undefined);
  assert.deepEqual(first, { examined: 9, expired: dueAhead.length, aborted: 0, roundDone: false });
  assert.deepEqual(await cursor(), { bucket: 'lc-a', phase: 'objects', prefix: 'logs/', after: ahead[7]?.key });

  // Both nodes at once again until the round is done.
  let rounds = 0;
  for (; rounds < 200 && !(await together(node1, node2, ['node1', 'node2 restarted'])); rounds++);
  assert.ok(rounds < 200, 'the round ended');

  // What was due is gone, bytes and all; everything else is there with its bytes.
  const due = objects.filter((o) => o.expiresBy !== undefined);
  const kept = objects.filter((o) => o.expiresBy === undefined);
  assert.equal(due.length, 180 + 60 + 1 + 30);
  for (const o of due) {
    assert.equal(await node1.store.oss.getObject(o.bucket, o.key), undefined, `${at(o)} expired`);
    assert.equal(await node1.store.oss.getInlineBlob(blobOf.get(at(o)) ?? ''), undefined, `${at(o)}: its bytes are gone`);
  }
  await inParallel(kept, 8, async (o, i) => {
    const got = await raw(i % 2 === 0 ? node1 : node2, 'GET', `/${o.bucket}/${o.key}`);
    assert.deepEqual([got.status, got.body], [200, o.body], `${at(o)} kept`);
  });
  for (const b of ['lc-a', 'lc-b', 'lc-none']) {
    const left = (await node2.store.oss.listObjects(b, '', undefined, 1000)).map((o) => o.key);
    assert.deepEqual(left, kept.filter((o) => o.bucket === b).map((o) => o.key).sort(), `what is left in ${b}`);
  }
  for (const o of rewritten) {
    const now = await node1.store.oss.getObject(o.bucket, o.key);
    assert.notEqual(now?.blobId, blobOf.get(at(o)), `${at(o)} holds its new blob`);
    assert.equal(await node1.store.oss.getInlineBlob(blobOf.get(at(o)) ?? ''), undefined, 'the overwritten blob went with the rewrite');
  }

  // The due uploads are gone with their parts; the others are there with theirs.
  for (const u of dueUploads) {
    assert.equal(await node1.store.oss.getUpload(u.id), undefined, `${u.key} aborted`);
    assert.deepEqual(await node1.store.oss.listParts(u.id), []);
    for (const blob of partBlobs.get(u.id) ?? []) assert.equal(await node1.store.oss.getInlineBlob(blob), undefined, `${u.key}: a part's bytes are gone`);
  }
  for (const id of keptUploads) {
    assert.ok(await node1.store.oss.getUpload(id), `upload ${id} kept`);
    const blobs = (await node1.store.oss.listParts(id)).map((p) => p.blobId);
    assert.deepEqual(blobs, partBlobs.get(id));
    for (const blob of blobs) assert.ok(await node1.store.oss.getInlineBlob(blob), 'its parts keep their bytes');
  }

  // Exactly one event per object expired and per upload aborted, across all the nodes.
  const audited: AuditRecord[] = started.flatMap((n) => n.audited).filter((r) => r.eventSource === 'lifecycle.rampart');
  const count = (names: string[]) => names.reduce((m, n) => m.set(n, (m.get(n) ?? 0) + 1), new Map<string, number>());
  const expireEvents = audited.filter((r) => r.eventName === 'ExpireObject');
  const expiredCounts = count(expireEvents.map((r) => `${r.requestParameters['bucket']}/${r.requestParameters['key']}`));
  assert.deepEqual([...expiredCounts.entries()].filter(([, n]) => n !== 1), [], 'no object has two events');
  assert.deepEqual([...expiredCounts.keys()].sort(), due.map(at).sort(), 'an event for each expired object, and for none other');
  for (const r of expireEvents) {
    const o = due.find((x) => at(x) === `${r.requestParameters['bucket']}/${r.requestParameters['key']}`);
    assert.equal(r.additionalEventData?.['lifecycleRuleId'], o?.expiresBy, 'the rule that expired it');
    assert.equal(r.caller.accountId, ROOT.accountId);
  }
  const abortEvents = audited.filter((r) => r.eventName === 'AbortMultipartUpload');
  assert.deepEqual(abortEvents.map((r) => String(r.requestParameters['uploadId'])).sort(), dueUploads.map((u) => u.id).sort(), 'one event per aborted upload');
  assert.equal(audited.length, expireEvents.length + abortEvents.length);
  // The passes' own counts agree: no deletion counted twice.
  const total = (f: (r: SweepResult) => number) => results.reduce((n, x) => n + f(x.r), 0);
  assert.equal(total((r) => r.expired), due.length);
  assert.equal(total((r) => r.aborted), dueUploads.length);

  // The shared trail (PostgreSQL) has the same: one row per expired object.
  const rows: { resourceName: string; eventName: string }[] = [];
  for (let cursorSeq: number | undefined; ; ) {
    const page = await node1.store.audit.query({ startTime: '0', endTime: '9', filters: [{ column: 'event_name', value: 'ExpireObject' }], direction: 'FORWARD', limit: 100, ...(cursorSeq !== undefined ? { cursor: cursorSeq } : {}) });
    rows.push(...page);
    if (page.length < 100) break;
    cursorSeq = page.at(-1)?.seq;
  }
  assert.deepEqual(rows.map((r) => r.resourceName).sort(), due.map(at).sort(), 'one ExpireObject event per object in the shared trail');

  // Another whole round, both nodes at once, changes nothing: nothing else is due.
  const before2 = results.length;
  for (rounds = 0; rounds < 200 && !(await together(node2, node1, ['node2 restarted', 'node1'])); rounds++);
  const again = results.slice(before2);
  assert.deepEqual([again.reduce((n, x) => n + x.r.expired, 0), again.reduce((n, x) => n + x.r.aborted, 0)], [0, 0]);
  assert.equal(started.flatMap((n) => n.audited).filter((r) => r.eventSource === 'lifecycle.rampart').length, audited.length, 'no further events');

  const byNode = new Map<string, { passes: number; examined: number; expired: number; aborted: number }>();
  for (const { node, r } of results) {
    const s = byNode.get(node) ?? { passes: 0, examined: 0, expired: 0, aborted: 0 };
    byNode.set(node, { passes: s.passes + 1, examined: s.examined + r.examined, expired: s.expired + r.expired, aborted: s.aborted + r.aborted });
  }
  // The nodes really swept side by side: each of them won some of the deletions.
  for (const [node, s] of byNode) assert.ok(s.expired > 0, `${node} expired nothing: ${JSON.stringify(s)}`);
  console.log(`lifecycle sweep on two nodes: ${objects.length} objects, ${due.length} expired, ${dueUploads.length} uploads aborted; ${JSON.stringify(Object.fromEntries(byNode))}; ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
});
