// Object tags and bucket lifecycle rules through the unmodified ali-oss (and hand-signed requests
// for what no SDK would send), and the lifecycle sweep run directly with the server's clock
// frozen: which objects expire and exactly when, tag filters, old uploads aborted, passes that
// stop and resume, and an object rewritten after the sweep read it staying.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../src/log.js';
import { LifecycleSweep, type LifecycleEvent } from '../../src/services/oss/index.js';
import { FileBlobStore, TieredBlobStore, type ObjectRecord, type OssRepository, type Store } from '../../src/store/index.js';
import { errorCode, rawOss, type RawOssAnswer } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError, type OssClient } from './oss-client.js';
import { ramClient } from './ram-client.js';

const DAY = 24 * 3600 * 1000;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };

let server: TestServer;
/** The server's clock: frozen while a test sweeps "days later", the real time otherwise. */
let frozen: number | undefined;
before(async () => {
  // No background sweep: every pass here is run by the test.
  server = await startTestServer({ now: () => frozen ?? Date.now(), lifecycleSweepSeconds: 0 });
});
after(() => server.stop());

/** ali-oss's object tagging methods, which its typings leave out. */
interface ObjectTagging {
  putObjectTagging(name: string, tag: Record<string, string>, options?: { versionId?: string }): Promise<{ status: number }>;
  getObjectTagging(name: string): Promise<{ status: number; tag: Record<string, string> }>;
  deleteObjectTagging(name: string): Promise<{ status: number }>;
}
const tags = (c: OssClient) => c as unknown as ObjectTagging;
const client = (bucket?: string) => ossClient(server.endpoints.oss, ROOT, bucket ? { bucket } : {});
/** A hand-signed request; dated by the server's clock, so it is accepted while the clock is frozen. */
const raw = (method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<RawOssAnswer> =>
  rawOss(server.endpoints.oss, { method, path, creds: root, date: new Date(frozen ?? Date.now()), headers, ...(body !== undefined ? { body } : {}) });
const midnightAfter = (ms: number) => Math.ceil(ms / DAY) * DAY;
const record = (bucket: string, key: string) => server.store.oss.getObject(bucket, key);
async function lastModified(bucket: string, key: string): Promise<number> {
  const o = await record(bucket, key);
  assert.ok(o, `${bucket}/${key} exists`);
  return o.lastModified.getTime();
}

/** Runs passes until the round is done, with the clock at `at`. */
async function sweepAt(at: number) {
  frozen = at;
  try {
    const total = { expired: 0, aborted: 0 };
    for (let i = 0; i < 100; i++) {
      const r = await server.lifecycleSweep.pass();
      total.expired += r.expired;
      total.aborted += r.aborted;
      if (r.roundDone) return total;
    }
    throw new Error('the sweep never finished its round');
  } finally {
    frozen = undefined;
  }
}

async function keys(bucket: string): Promise<string[]> {
  return (await server.store.oss.listObjects(bucket, '', undefined, 1000)).map((o) => o.key);
}

const lifecycleDoc = (...rules: string[]) => `<?xml version="1.0" encoding="UTF-8"?><LifecycleConfiguration>${rules.join('')}</LifecycleConfiguration>`;
const rule = (body: string) => `<Rule>${body}</Rule>`;

describe('object tagging', () => {
  const bucket = 'tags';
  before(() => client().putBucket(bucket));

  test('x-oss-tagging on put, then PutObjectTagging, GetObjectTagging, DeleteObjectTagging; x-oss-tagging-count on GET and HEAD', async () => {
    const c = client(bucket);
    await c.put('doc.txt', Buffer.from('tagged'), { headers: { 'x-oss-tagging': 'a=1&b=2' } });
    assert.deepEqual((await tags(c).getObjectTagging('doc.txt')).tag, { a: '1', b: '2' });
    const head = await c.head('doc.txt');
    assert.equal((head.res.headers as Record<string, string>)['x-oss-tagging-count'], '2');
    const modified = (head.res.headers as Record<string, string>)['last-modified'];

    const put = await tags(c).putObjectTagging('doc.txt', { team: 'core', 'path key': 'a/b:c+d=e' });
    assert.equal(put.status, 200);
    assert.deepEqual((await tags(c).getObjectTagging('doc.txt')).tag, { team: 'core', 'path key': 'a/b:c+d=e' });
    const got = await c.get('doc.txt');
    assert.equal((got.res.headers as Record<string, string>)['x-oss-tagging-count'], '2');
    assert.equal(got.content.toString(), 'tagged', 'the bytes are untouched');
    // "Changing tags of an object does not update the Last-Modified parameter of the object."
    assert.equal((got.res.headers as Record<string, string>)['last-modified'], modified);

    const deleted = await tags(c).deleteObjectTagging('doc.txt');
    assert.equal(deleted.status, 204);
    assert.deepEqual((await tags(c).getObjectTagging('doc.txt')).tag, {});
    assert.equal(((await c.head('doc.txt')).res.headers as Record<string, string>)['x-oss-tagging-count'], undefined, 'no tags, no count');
    const empty = await raw('GET', `/${bucket}/doc.txt?tagging`);
    assert.match(empty.body, /<Tagging><TagSet><\/TagSet><\/Tagging>/, 'an empty TagSet');

    for (const call of [tags(c).getObjectTagging('missing.txt'), tags(c).putObjectTagging('missing.txt', { a: '1' }), tags(c).deleteObjectTagging('missing.txt')]) {
      const e = await ossError(call);
      assert.deepEqual([e.status, e.code], [404, 'NoSuchKey']);
    }
  });

  test('a tag document OSS would refuse is refused, and the tags stay as they were', async () => {
    await client(bucket).put('strict.txt', Buffer.from('x'), { headers: { 'x-oss-tagging': 'keep=1' } });
    const tagging = (...tags: string[]) => `<Tagging><TagSet>${tags.join('')}</TagSet></Tagging>`;
    const tag = (k: string, v: string) => `<Tag><Key>${k}</Key><Value>${v}</Value></Tag>`;
    const cases: [string, string, number, string][] = [
      ['eleven tags', tagging(...Array.from({ length: 11 }, (_, i) => tag(`k${i}`, 'v'))), 400, 'InvalidArgument'],
      ['a key twice', tagging(tag('a', '1'), tag('a', '2')), 400, 'InvalidArgument'],
      ['a key of 129 characters', tagging(tag('k'.repeat(129), 'v')), 400, 'InvalidArgument'],
      ['a value of 257 characters', tagging(tag('k', 'v'.repeat(257))), 400, 'InvalidArgument'],
      ['a character not allowed', tagging(tag('k', 'a*b')), 400, 'InvalidArgument'],
      ['an empty key', tagging(tag('', 'v')), 400, 'InvalidArgument'],
      ['the wrong root', '<XMLTag><TagSet></TagSet></XMLTag>', 400, 'MalformedXML'],
      ['no TagSet', '<Tagging></Tagging>', 400, 'MalformedXML'],
      ['a Tag without Key', tagging('<Tag><Value>v</Value></Tag>'), 400, 'MalformedXML'],
      ['an element not known', tagging('<Tag><Key>k</Key><Value>v</Value><Colour>red</Colour></Tag>'), 400, 'MalformedXML'],
      ['not XML', '<Tagging><TagSet>', 400, 'MalformedXML'],
    ];
    for (const [what, body, status, code] of cases) {
      const answer = await raw('PUT', `/${bucket}/strict.txt?tagging`, body);
      assert.deepEqual([answer.status, errorCode(answer)], [status, code], `${what}: ${answer.body}`);
    }
    const badDigest = await raw('PUT', `/${bucket}/strict.txt?tagging`, tagging(tag('a', '1')), { 'content-md5': Buffer.alloc(16).toString('base64') });
    assert.equal(errorCode(badDigest), 'InvalidDigest');
    // Versions are not implemented: a versionId is refused rather than ignored.
    const versioned = await ossError(tags(client(bucket)).putObjectTagging('strict.txt', { a: '1' }, { versionId: 'v1' }));
    assert.deepEqual([versioned.status, versioned.code], [501, 'NotImplemented']);
    assert.deepEqual((await tags(client(bucket)).getObjectTagging('strict.txt')).tag, { keep: '1' });
  });

  test('each operation takes its own permission: oss:PutObjectTagging, oss:GetObjectTagging, oss:DeleteObjectTagging', async () => {
    const ram = ramClient(server.apiHost, ROOT);
    await ram('CreateUser', { UserName: 'tagger' });
    const ak = (await ram('CreateAccessKey', { UserName: 'tagger' }))['AccessKey'] as Record<string, string>;
    const tagger = ossClient(server.endpoints.oss, { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' }, { bucket });
    await client(bucket).put('perm.txt', Buffer.from('p'));
    await ram('CreatePolicy', {
      PolicyName: 'read-tags-only',
      PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject', 'oss:GetObjectTagging'], Resource: `acs:oss:*:*:${bucket}/*` }] }),
    });
    await ram('AttachPolicyToUser', { UserName: 'tagger', PolicyType: 'Custom', PolicyName: 'read-tags-only' });
    assert.deepEqual((await tags(tagger).getObjectTagging('perm.txt')).tag, {});
    assert.equal((await ossError(tags(tagger).putObjectTagging('perm.txt', { a: '1' }))).code, 'AccessDenied');
    assert.equal((await ossError(tags(tagger).deleteObjectTagging('perm.txt'))).code, 'AccessDenied');
    await ram('CreatePolicy', {
      PolicyName: 'write-tags',
      PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:PutObjectTagging', 'oss:DeleteObjectTagging'], Resource: `acs:oss:*:*:${bucket}/perm.txt` }] }),
    });
    await ram('AttachPolicyToUser', { UserName: 'tagger', PolicyType: 'Custom', PolicyName: 'write-tags' });
    await tags(tagger).putObjectTagging('perm.txt', { a: '1' });
    assert.deepEqual((await tags(tagger).getObjectTagging('perm.txt')).tag, { a: '1' });
    await tags(tagger).deleteObjectTagging('perm.txt');
    const audited = server.audited.filter((r) => r.request.userAgent !== 'rampart-lifecycle' && r.eventName === 'PutObjectTagging' && r.errorCode === undefined);
    assert.ok(audited.some((r) => r.resource === `acs:oss:*:${ROOT.accountId}:${bucket}/perm.txt`), 'recorded on the object');
  });
});

describe('lifecycle rules', () => {
  const bucket = 'rules';
  before(() => client().putBucket(bucket));

  test('PutBucketLifecycle, GetBucketLifecycle, DeleteBucketLifecycle round trip (ali-oss)', async () => {
    const c = client(bucket);
    const none = await ossError(c.getBucketLifecycle(bucket));
    assert.deepEqual([none.status, none.code], [404, 'NoSuchLifecycle']);
    assert.match(none.message ?? '', /No Row found in Lifecycle Table\./);

    await c.putBucketLifecycle(bucket, [
      { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: 30 } },
      { id: 'old', prefix: 'old/', status: 'Disabled', expiration: { createdBeforeDate: '2023-01-01T00:00:00.000Z' } },
      { prefix: 'up/', status: 'Enabled', abortMultipartUpload: { days: 7 } },
      { id: 'tagged', prefix: 'tagged/', status: 'Enabled', expiration: { days: 1 }, tag: [{ key: 'env', value: 'tmp' }, { key: 'team', value: 'x' }] },
    ] as never);
    const { rules } = (await c.getBucketLifecycle(bucket)) as unknown as { rules: Record<string, unknown>[] };
    assert.equal(rules.length, 4);
    assert.deepEqual(rules[0], { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: '30' } });
    assert.deepEqual(rules[1], { id: 'old', prefix: 'old/', status: 'Disabled', expiration: { createdBeforeDate: '2023-01-01T00:00:00.000Z' } });
    // A rule without an ID is given one.
    assert.match(String(rules[2]?.['id']), /^.{8,}$/);
    assert.deepEqual(rules[2]?.['abortMultipartUpload'], { days: '7' });
    assert.deepEqual(rules[3]?.['tag'], [{ key: 'env', value: 'tmp' }, { key: 'team', value: 'x' }]);

    // The document as OSS writes it.
    const xml = (await raw('GET', `/${bucket}?lifecycle`)).body;
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<LifecycleConfiguration><Rule><ID>logs<\/ID><Prefix>logs\/<\/Prefix><Status>Enabled<\/Status><Expiration><Days>30<\/Days><\/Expiration><\/Rule>/);

    // A new document replaces the old whole.
    await c.putBucketLifecycle(bucket, [{ id: 'only', prefix: '', status: 'Enabled', expiration: { days: 365 } }] as never);
    assert.deepEqual(((await c.getBucketLifecycle(bucket)) as unknown as { rules: { id: string }[] }).rules.map((r) => r.id), ['only']);

    assert.equal(((await c.deleteBucketLifecycle(bucket)) as unknown as { res: { status: number } }).res.status, 204);
    assert.equal((await ossError(c.getBucketLifecycle(bucket))).code, 'NoSuchLifecycle');
    assert.equal(((await c.deleteBucketLifecycle(bucket)) as unknown as { res: { status: number } }).res.status, 204, 'deleting no rules is not an error');
  });

  test('documents OSS would refuse are refused, and nothing is stored', async () => {
    const days = (n: string) => `<Expiration><Days>${n}</Days></Expiration>`;
    const cases: [string, string, number, string][] = [
      ['overlapping prefixes with one action', lifecycleDoc(rule(`<ID>a</ID><Prefix>test</Prefix><Status>Enabled</Status>${days('200')}`), rule(`<ID>b</ID><Prefix>test/log</Prefix><Status>Enabled</Status>${days('100')}`)), 400, 'InvalidRequest'],
      ['a whole-bucket rule beside a prefix, one action', lifecycleDoc(rule(`<ID>a</ID><Status>Enabled</Status>${days('1')}`), rule(`<ID>b</ID><Prefix>x/</Prefix><Status>Enabled</Status>${days('2')}`)), 400, 'InvalidRequest'],
      ['one prefix twice, different actions', lifecycleDoc(rule(`<ID>a</ID><Prefix>p/</Prefix><Status>Enabled</Status>${days('2')}`), rule('<ID>b</ID><Prefix>p/</Prefix><Status>Enabled</Status><AbortMultipartUpload><Days>1</Days></AbortMultipartUpload>')), 400, 'InvalidRequest'],
      ['one ID twice', lifecycleDoc(rule(`<ID>same</ID><Prefix>a/</Prefix><Status>Enabled</Status>${days('1')}`), rule(`<ID>same</ID><Prefix>b/</Prefix><Status>Enabled</Status>${days('1')}`)), 400, 'InvalidArgument'],
      ['an ID of 256 bytes', lifecycleDoc(rule(`<ID>${'i'.repeat(256)}</ID><Status>Enabled</Status>${days('1')}`)), 400, 'InvalidArgument'],
      ['Days 0', lifecycleDoc(rule(`<Status>Enabled</Status>${days('0')}`)), 400, 'InvalidArgument'],
      ['Days -1', lifecycleDoc(rule(`<Status>Enabled</Status>${days('-1')}`)), 400, 'InvalidArgument'],
      ['Days 1.5', lifecycleDoc(rule(`<Status>Enabled</Status>${days('1.5')}`)), 400, 'InvalidArgument'],
      ['a date not at midnight', lifecycleDoc(rule('<Status>Enabled</Status><Expiration><CreatedBeforeDate>2023-01-01T12:00:00.000Z</CreatedBeforeDate></Expiration>')), 400, 'InvalidArgument'],
      ['a date without milliseconds', lifecycleDoc(rule('<Status>Enabled</Status><Expiration><CreatedBeforeDate>2023-01-01T00:00:00Z</CreatedBeforeDate></Expiration>')), 400, 'InvalidArgument'],
      ['a day that does not exist', lifecycleDoc(rule('<Status>Enabled</Status><Expiration><CreatedBeforeDate>2023-02-30T00:00:00.000Z</CreatedBeforeDate></Expiration>')), 400, 'InvalidArgument'],
      ['Days and a date both', lifecycleDoc(rule('<Status>Enabled</Status><Expiration><Days>1</Days><CreatedBeforeDate>2023-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>')), 400, 'InvalidArgument'],
      ['neither Days nor a date', lifecycleDoc(rule('<Status>Enabled</Status><Expiration></Expiration>')), 400, 'InvalidArgument'],
      ['no Status', lifecycleDoc(rule(`<ID>a</ID>${days('1')}`)), 400, 'MalformedXML'],
      ['Status On', lifecycleDoc(rule(`<Status>On</Status>${days('1')}`)), 400, 'InvalidArgument'],
      ['no action', lifecycleDoc(rule('<ID>a</ID><Prefix>a/</Prefix><Status>Enabled</Status>')), 400, 'InvalidArgument'],
      ['tags on an upload rule', lifecycleDoc(rule('<Status>Enabled</Status><AbortMultipartUpload><Days>1</Days></AbortMultipartUpload><Tag><Key>a</Key><Value>1</Value></Tag>')), 400, 'InvalidArgument'],
      ['a bad tag', lifecycleDoc(rule(`<Status>Enabled</Status>${days('1')}<Tag><Key>a*</Key><Value>1</Value></Tag>`)), 400, 'InvalidArgument'],
      ['two Status', lifecycleDoc(rule(`<Status>Enabled</Status><Status>Disabled</Status>${days('1')}`)), 400, 'MalformedXML'],
      ['an element not known', lifecycleDoc(rule(`<Status>Enabled</Status>${days('1')}<Colour>red</Colour>`)), 400, 'MalformedXML'],
      ['no rule', lifecycleDoc(), 400, 'MalformedXML'],
      ['1001 rules', lifecycleDoc(...Array.from({ length: 1001 }, (_, i) => rule(`<Prefix>p${String(i).padStart(4, '0')}/</Prefix><Status>Enabled</Status>${days('1')}`))), 400, 'InvalidArgument'],
      ['the wrong root', '<Lifecycle><Rule/></Lifecycle>', 400, 'MalformedXML'],
      ['not XML', '<LifecycleConfiguration><Rule>', 400, 'MalformedXML'],
    ];
    for (const [what, body, status, code] of cases) {
      const answer = await raw('PUT', `/${bucket}?lifecycle`, body);
      assert.deepEqual([answer.status, errorCode(answer)], [status, code], `${what}: ${answer.body}`);
    }
    assert.match((await raw('PUT', `/${bucket}?lifecycle`, cases[0]?.[1])).body, /Overlap for same action type Expiration\./);
    // 1000 rules are accepted.
    const thousand = lifecycleDoc(...Array.from({ length: 1000 }, (_, i) => rule(`<Prefix>p${String(i).padStart(4, '0')}/</Prefix><Status>Enabled</Status>${days('1')}`)));
    assert.equal((await raw('PUT', `/${bucket}?lifecycle`, thousand)).status, 200);
    await raw('DELETE', `/${bucket}?lifecycle`);
    assert.equal(errorCode(await raw('GET', `/${bucket}?lifecycle`)), 'NoSuchLifecycle', 'no refused document was stored');
  });

  test('what Rampart does not implement is refused with 501 NotImplemented, never dropped', async () => {
    const base = '<ID>r</ID><Prefix>a/</Prefix><Status>Enabled</Status>';
    const cases: [string, string, Record<string, string>?][] = [
      ['Transition', rule(`${base}<Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>`)],
      ['Transition beside Expiration', rule(`${base}<Expiration><Days>60</Days></Expiration><Transition><Days>30</Days><StorageClass>IA</StorageClass></Transition>`)],
      ['NoncurrentVersionExpiration', rule(`${base}<NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration>`)],
      ['NoncurrentVersionTransition', rule(`${base}<NoncurrentVersionTransition><NoncurrentDays>5</NoncurrentDays><StorageClass>IA</StorageClass></NoncurrentVersionTransition>`)],
      ['Filter with Not', rule(`${base}<Expiration><Days>1</Days></Expiration><Filter><Not><Prefix>a/b</Prefix></Not></Filter>`)],
      ['Filter with an object size', rule(`${base}<Expiration><Days>1</Days></Expiration><Filter><ObjectSizeGreaterThan>500</ObjectSizeGreaterThan></Filter>`)],
      ['ExpiredObjectDeleteMarker', rule(`${base}<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>`)],
      ['AtimeBase', rule(`${base}<Expiration><Days>1</Days></Expiration><AtimeBase>1631698332</AtimeBase>`)],
      ['overlaps allowed by header', rule(`${base}<Expiration><Days>1</Days></Expiration>`), { 'x-oss-allow-same-action-overlap': 'true' }],
    ];
    for (const [what, body, headers] of cases) {
      const answer = await raw('PUT', `/${bucket}?lifecycle`, lifecycleDoc(body), headers);
      assert.deepEqual([answer.status, errorCode(answer)], [501, 'NotImplemented'], `${what}: ${answer.body}`);
    }
    // Through ali-oss as well.
    const refused = await ossError(client(bucket).putBucketLifecycle(bucket, [{ id: 't', prefix: 'a/', status: 'Enabled', transition: { days: 30, storageClass: 'IA' } }] as never));
    assert.deepEqual([refused.status, refused.code], [501, 'NotImplemented']);
    assert.equal(errorCode(await raw('GET', `/${bucket}?lifecycle`)), 'NoSuchLifecycle');
    // What asks for nothing is accepted: an empty Filter, ExpiredObjectDeleteMarker false.
    const harmless = rule(`${base}<Filter></Filter><Expiration><Days>3</Days><ExpiredObjectDeleteMarker>false</ExpiredObjectDeleteMarker></Expiration>`);
    assert.equal((await raw('PUT', `/${bucket}?lifecycle`, lifecycleDoc(harmless))).status, 200);
    await raw('DELETE', `/${bucket}?lifecycle`);
  });
});

describe('the lifecycle sweep', () => {
  test('expires exactly the objects whose time has come: days counted from the next midnight UTC, or a date', async () => {
    const bucket = 'lc-expire';
    const c = client(bucket);
    await client().putBucket(bucket);
    for (const key of ['logs/a', 'logs/b', 'keep/x', 'off/y', 'before/z', 'soon/w', 'logsX']) await c.put(key, Buffer.from(key));
    const t = Math.max(...(await Promise.all(['logs/a', 'logs/b'].map((k) => lastModified(bucket, k)))));
    const midnight = midnightAfter(t);
    await c.putBucketLifecycle(bucket, [
      { id: 'logs', prefix: 'logs/', status: 'Enabled', expiration: { days: 30 } },
      { id: 'off', prefix: 'off/', status: 'Disabled', expiration: { days: 1 } },
      { id: 'before', prefix: 'before/', status: 'Enabled', expiration: { createdBeforeDate: '2020-01-01T00:00:00.000Z' } },
      { id: 'soon', prefix: 'soon/', status: 'Enabled', expiration: { createdBeforeDate: new Date(midnight).toISOString() } },
    ] as never);
    const aBlob = (await record(bucket, 'logs/a'))?.blobId ?? '';

    // Modified before that midnight: expired at once.
    assert.deepEqual(await sweepAt(Date.now()), { expired: 1, aborted: 0 });
    assert.deepEqual(await keys(bucket), ['before/z', 'keep/x', 'logs/a', 'logs/b', 'logsX', 'off/y']);
    // One millisecond before 30 days after the midnight that follows the last change: not yet.
    assert.deepEqual(await sweepAt(midnight + 30 * DAY - 1), { expired: 0, aborted: 0 });
    assert.deepEqual(await sweepAt(midnight + 30 * DAY), { expired: 2, aborted: 0 });
    assert.deepEqual(await keys(bucket), ['before/z', 'keep/x', 'logsX', 'off/y'], 'a Disabled rule, an old date and keys outside the prefixes keep theirs');
    assert.equal((await ossError(c.get('logs/a'))).code, 'NoSuchKey');
    assert.equal(await server.store.oss.getInlineBlob(aBlob), undefined, "the expired object's bytes are gone");
    // A year on, still only what the rules select.
    assert.deepEqual(await sweepAt(midnight + 365 * DAY), { expired: 0, aborted: 0 });

    const events = server.audited.filter((r) => r.eventName === 'ExpireObject' && r.requestParameters['bucket'] === bucket);
    assert.deepEqual(events.map((r) => [r.requestParameters['key'], r.additionalEventData?.['lifecycleRuleId']]).sort(), [['logs/a', 'logs'], ['logs/b', 'logs'], ['soon/w', 'soon']]);
    for (const e of events) {
      assert.equal(e.eventSource, 'lifecycle.rampart');
      assert.equal(e.caller.accountId, ROOT.accountId, "recorded in the bucket owner's account");
      assert.equal(e.resource, `acs:oss:*:${ROOT.accountId}:${bucket}/${e.requestParameters['key']}`);
    }
    // And in the trail itself, as ActionTrail events.
    const stored = await server.store.audit.byRequestId(events[0]?.request.requestId ?? '');
    assert.equal(stored.length, 1);
    const event = JSON.parse(stored[0]?.event ?? '{}') as Record<string, unknown>;
    assert.equal(event['eventName'], 'ExpireObject');
    assert.equal(event['eventSource'], 'lifecycle.rampart');
    await c.deleteBucketLifecycle(bucket);
  });

  test('a rule with tags expires only objects that carry every one of them', async () => {
    const bucket = 'lc-tags';
    const c = client(bucket);
    await client().putBucket(bucket);
    const objects: [string, string | undefined][] = [
      ['t/both', 'env=tmp&team=x'],
      ['t/more', 'env=tmp&team=x&extra=1'],
      ['t/one', 'env=tmp'],
      ['t/other', 'env=prod&team=x'],
      ['t/none', undefined],
      ['t/untagged-later', 'env=tmp&team=x'],
      ['u/both', 'env=tmp&team=x'],
    ];
    for (const [key, tagging] of objects) await c.put(key, Buffer.from(key), tagging ? { headers: { 'x-oss-tagging': tagging } } : {});
    await tags(c).deleteObjectTagging('t/untagged-later');
    await tags(c).putObjectTagging('t/none', { team: 'x', env: 'tmp' });
    await c.putBucketLifecycle(bucket, [{ id: 'tmp', prefix: 't/', status: 'Enabled', expiration: { days: 1 }, tag: [{ key: 'env', value: 'tmp' }, { key: 'team', value: 'x' }] }] as never);
    const t = await lastModified(bucket, 't/none');
    assert.deepEqual(await sweepAt(midnightAfter(t) + DAY), { expired: 3, aborted: 0 });
    assert.deepEqual(await keys(bucket), ['t/one', 't/other', 't/untagged-later', 'u/both']);
    await c.deleteBucketLifecycle(bucket);
  });

  test('incomplete multipart uploads are aborted once their last part is old enough, and their parts let go', async () => {
    const bucket = 'lc-uploads';
    await client().putBucket(bucket);
    await client(bucket).putBucketLifecycle(bucket, [
      { id: 'abort', prefix: 'up/', status: 'Enabled', abortMultipartUpload: { days: 3 } },
      { id: 'expire', prefix: 'other/', status: 'Enabled', expiration: { days: 100 } },
    ] as never);
    const start = Date.now();
    frozen = start;
    const initiate = async (key: string) => /<UploadId>([^<]+)<\/UploadId>/.exec((await raw('POST', `/${bucket}/${key}?uploads`)).body)?.[1] ?? '';
    const part = async (key: string, id: string, n: number) => assert.equal((await raw('PUT', `/${bucket}/${key}?partNumber=${n}&uploadId=${id}`, `part ${n} of ${key}`)).status, 200);
    const old = await initiate('up/old');
    await part('up/old', old, 1);
    const busy = await initiate('up/busy');
    const other = await initiate('other/u');
    await part('other/u', other, 1);
    // The busy upload gets a part five days later.
    frozen = start + 5 * DAY;
    await part('up/busy', busy, 1);
    frozen = undefined;
    const oldParts = await server.store.oss.listParts(old);
    assert.equal(oldParts.length, 1);

    assert.deepEqual(await sweepAt(midnightAfter(start) + 3 * DAY - 1), { expired: 0, aborted: 0 }, 'not yet');
    assert.deepEqual(await sweepAt(midnightAfter(start) + 3 * DAY), { expired: 0, aborted: 1 });
    const left = async () => (await server.store.oss.listUploads(bucket)).map((u) => u.key);
    assert.deepEqual(await left(), ['other/u', 'up/busy'], 'the upload written to since, and one under no abort rule, stay');
    assert.equal(await server.store.oss.getUpload(old), undefined);
    assert.equal(await server.store.oss.getInlineBlob(oldParts[0]?.blobId ?? ''), undefined, "the aborted upload's parts are gone");
    assert.deepEqual(await sweepAt(midnightAfter(start + 5 * DAY) + 3 * DAY), { expired: 0, aborted: 1 });
    assert.deepEqual(await left(), ['other/u']);
    const events = server.audited.filter((r) => r.eventName === 'AbortMultipartUpload' && r.requestParameters['bucket'] === bucket);
    assert.deepEqual(events.map((e) => [e.requestParameters['key'], e.requestParameters['uploadId'] !== undefined, e.additionalEventData?.['lifecycleRuleId']]), [['up/old', true, 'abort'], ['up/busy', true, 'abort']]);
    await client(bucket).abortMultipartUpload('other/u', other);
    await client(bucket).deleteBucketLifecycle(bucket);
  });

  test('a pass does a bounded amount of work and the next goes on from its cursor, kept in the store', async () => {
    const bucket = 'lc-resume';
    const c = client(bucket);
    await client().putBucket(bucket);
    const names = Array.from({ length: 7 }, (_, i) => `r/${i}`);
    for (const key of names) await c.put(key, Buffer.from(key));
    await c.putBucketLifecycle(bucket, [{ id: 'all', prefix: 'r/', status: 'Enabled', expiration: { days: 1 } }] as never);
    const due = midnightAfter(await lastModified(bucket, 'r/6')) + DAY;
    frozen = due;
    try {
      // Entering the bucket counts, then three objects.
      const first = await server.lifecycleSweep.pass(4);
      assert.deepEqual(first, { examined: 4, expired: 3, aborted: 0, roundDone: false });
      assert.deepEqual(await keys(bucket), ['r/3', 'r/4', 'r/5', 'r/6']);
      const cursor = JSON.parse((await server.store.settings.get('oss.lifecycle-sweep.cursor')) ?? '{}') as Record<string, string>;
      assert.deepEqual(cursor, { bucket, phase: 'objects', prefix: 'r/', after: 'r/2' });
      // Another sweeper (another node, or this one after a restart) goes on from the same cursor.
      const sweeper = new LifecycleSweep({ store: server.store, blobs: blobsOf(server), now: () => due, log: silentLogger(), record: async () => {} });
      const second = await sweeper.pass(3);
      assert.deepEqual(second, { examined: 3, expired: 2, aborted: 0, roundDone: false });
      const last = await server.lifecycleSweep.pass();
      assert.equal(last.roundDone, true);
      assert.equal(last.expired, 2);
      assert.deepEqual(await keys(bucket), []);
      assert.equal(await server.store.settings.get('oss.lifecycle-sweep.cursor'), '', 'a finished round leaves no cursor');
    } finally {
      frozen = undefined;
    }
    await c.deleteBucketLifecycle(bucket);
  });

  test('an object written again after the sweep read it is not deleted', async () => {
    const bucket = 'lc-rewrite';
    const c = client(bucket);
    await client().putBucket(bucket);
    await c.put('w/x', Buffer.from('old bytes'));
    await c.put('w/y', Buffer.from('also old'));
    await c.putBucketLifecycle(bucket, [{ id: 'w', prefix: 'w/', status: 'Enabled', expiration: { days: 1 } }] as never);
    const due = midnightAfter(await lastModified(bucket, 'w/y')) + DAY;
    // The store as the sweep sees it: between its reading a page and deleting, w/x is written again.
    let rewritten = false;
    const oss = new Proxy(server.store.oss, {
      get(target, name) {
        if (name === 'listObjects') {
          return async (...args: Parameters<OssRepository['listObjects']>): Promise<ObjectRecord[]> => {
            const page = await target.listObjects(...args);
            if (!rewritten && page.some((o) => o.key === 'w/x')) {
              rewritten = true;
              const put = await raw('PUT', `/${bucket}/w/x`, 'new bytes');
              assert.equal(put.status, 200);
            }
            return page;
          };
        }
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const store = Object.create(server.store, { oss: { value: oss } }) as Store;
    const events: LifecycleEvent[] = [];
    frozen = due;
    try {
      const sweeper = new LifecycleSweep({ store, blobs: blobsOf(server), now: () => due, log: silentLogger(), record: async (e) => void events.push(e) });
      let r;
      do r = await sweeper.pass();
      while (!r.roundDone);
    } finally {
      frozen = undefined;
    }
    assert.ok(rewritten);
    assert.deepEqual(await keys(bucket), ['w/x'], 'w/y expired; w/x, written again, stayed');
    assert.equal((await c.get('w/x')).content.toString(), 'new bytes');
    assert.deepEqual(events.map((e) => e.key), ['w/y']);
    await c.deleteBucketLifecycle(bucket);
  });
});

function blobsOf(s: TestServer) {
  return new TieredBlobStore(new FileBlobStore(join(s.dataDir, 'blobs')), s.store.oss);
}
