// Who may do what to a bucket besides its owner's RAM identities, through the unmodified ali-oss:
// bucket and object ACLs, bucket policies (cross-account grants, anonymous grants, explicit Deny),
// the bucket owner's special place, a session policy's narrowing, and what creating an object
// with an ACL or tags takes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccount } from '../../src/server/index.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError } from './oss-client.js';
import { ramClient, type Creds, type RamCall } from './ram-client.js';
import { sessionOf, stsV3 } from './sts-client.js';

let server: TestServer;
let root: RamCall;
let ossUrl = '';
before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  root = ramClient(server.apiHost, ROOT);
  ossUrl = server.endpoints.oss;
});
after(() => server.stop());

const oss = (creds: Creds, bucket?: string) => ossClient(ossUrl, creds, bucket ? { bucket } : {});

/** A RAM user of the account `call` administers, with an AccessKey; its UID too. */
async function user(call: RamCall, name: string, policies: string[] = []): Promise<Creds & { userId: string }> {
  const created = (await call('CreateUser', { UserName: name }))['User'] as Record<string, string>;
  for (const p of policies) await call('AttachPolicyToUser', { UserName: name, PolicyType: 'System', PolicyName: p });
  const ak = (await call('CreateAccessKey', { UserName: name }))['AccessKey'] as Record<string, string>;
  return { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '', userId: created['UserId'] ?? '' };
}

/** An unsigned request, as a browser or curl without credentials sends it. */
const anonymous = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
  fetch(`${ossUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });

// ali-oss's typings know fewer policy shapes than OSS does.
const policyOf = (...Statement: object[]) => ({ Version: '1', Statement }) as never;

describe('ACLs', () => {
  before(async () => {
    await oss(ROOT).putBucket('acl-private');
    await oss(ROOT).putBucket('acl-public', { acl: 'public-read' } as never);
    await oss(ROOT).putBucket('acl-open');
    await oss(ROOT, 'acl-private').put('secret.txt', Buffer.from('secret'));
    await oss(ROOT, 'acl-public').put('logo.txt', Buffer.from('logo'));
  });

  test('bucket ACLs round-trip (PutBucket with x-oss-acl, PutBucketAcl, GetBucketAcl, GetBucketInfo)', async () => {
    assert.equal((await oss(ROOT).getBucketACL('acl-private')).acl, 'private');
    assert.equal((await oss(ROOT).getBucketACL('acl-public')).acl, 'public-read');
    await oss(ROOT).putBucketACL('acl-open', 'public-read-write');
    const got = await oss(ROOT).getBucketACL('acl-open');
    assert.equal(got.acl, 'public-read-write');
    assert.equal((got as unknown as { owner: { id: string } }).owner.id, ROOT.accountId);
    assert.equal((await oss(ROOT).getBucketInfo('acl-public')).bucket.AccessControlList.Grant, 'public-read');
    const bad = await ossError(oss(ROOT).putBucketACL('acl-open', 'public' as never));
    assert.deepEqual([bad.status, bad.code], [400, 'InvalidArgument']);
    assert.equal((await oss(ROOT).getBucketACL('acl-open')).acl, 'public-read-write', 'a refused ACL changes nothing');
  });

  test('anonymous callers get what the ACLs grant, object ACL first, and nothing else', async () => {
    const denied = await anonymous('GET', '/acl-private/secret.txt');
    assert.equal(denied.status, 403);
    assert.match(await denied.text(), /<Code>AccessDenied<\/Code>[\s\S]*<RequestId>[0-9A-F]{24}<\/RequestId>/);
    const pub = await anonymous('GET', '/acl-public/logo.txt');
    assert.equal(pub.status, 200);
    assert.equal(await pub.text(), 'logo');
    assert.equal((await anonymous('HEAD', '/acl-public/logo.txt')).status, 200);
    // public-read is read only, and lists nothing (listing is not documented as granted).
    assert.equal((await anonymous('PUT', '/acl-public/intruder.txt', 'x')).status, 403);
    assert.equal((await anonymous('DELETE', '/acl-public/logo.txt')).status, 403);
    assert.equal((await anonymous('GET', '/acl-public/')).status, 403);
    assert.equal((await anonymous('GET', '/acl-public/?acl')).status, 403);
    assert.equal((await anonymous('GET', '/')).status, 403, 'ListBuckets');

    // An object's own ACL replaces its bucket's: private in a public bucket, public in a private one.
    await oss(ROOT, 'acl-public').put('hidden.txt', Buffer.from('hidden'), { headers: { 'x-oss-object-acl': 'private' } });
    assert.equal((await oss(ROOT, 'acl-public').getACL('hidden.txt')).acl, 'private');
    assert.equal((await anonymous('GET', '/acl-public/hidden.txt')).status, 403);
    await oss(ROOT, 'acl-private').putACL('secret.txt', 'public-read');
    assert.equal((await oss(ROOT, 'acl-private').getACL('secret.txt')).acl, 'public-read');
    assert.equal(await (await anonymous('GET', '/acl-private/secret.txt')).text(), 'secret');
    await oss(ROOT, 'acl-private').putACL('secret.txt', 'default' as never);
    assert.equal((await oss(ROOT, 'acl-private').getACL('secret.txt')).acl, 'default');
    assert.equal((await anonymous('GET', '/acl-private/secret.txt')).status, 403, 'back to the bucket ACL');

    // public-read-write: anyone writes and deletes objects, and still cannot touch the bucket.
    assert.equal((await anonymous('PUT', '/acl-open/drop.txt', 'dropped')).status, 200);
    assert.equal((await oss(ROOT, 'acl-open').get('drop.txt')).content.toString(), 'dropped');
    assert.equal((await anonymous('DELETE', '/acl-open/drop.txt')).status, 204);
    assert.equal((await anonymous('PUT', '/acl-open/?acl', undefined, { 'x-oss-acl': 'private' })).status, 403);
    assert.equal((await anonymous('DELETE', '/acl-open')).status, 403);
  });

  test('a public-read ACL lets a RAM user of the account read what its own policies do not allow', async () => {
    const nobody = await user(root, 'no-oss-rights');
    assert.equal((await oss(nobody, 'acl-public').get('logo.txt')).content.toString(), 'logo');
    assert.equal((await ossError(oss(nobody, 'acl-private').get('secret.txt'))).code, 'AccessDenied');
  });

  test('an object made with an ACL or tags takes the permission to set them, besides PutObject', async () => {
    await root('CreatePolicy', {
      PolicyName: 'put-only',
      PolicyDocument: JSON.stringify(policyOf({ Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: ['acs:oss:*:*:acl-private/*'] })),
    });
    const device = await user(root, 'put-only-device');
    await root('AttachPolicyToUser', { UserName: 'put-only-device', PolicyType: 'Custom', PolicyName: 'put-only' });
    const c = oss(device, 'acl-private');
    await c.put('plain.txt', Buffer.from('ok'));
    const aclRefused = await ossError(c.put('public.txt', Buffer.from('x'), { headers: { 'x-oss-object-acl': 'public-read' } }));
    assert.deepEqual([aclRefused.status, aclRefused.code], [403, 'AccessDenied']);
    assert.equal((await ossError(c.put('tagged.txt', Buffer.from('x'), { headers: { 'x-oss-tagging': 'a=1' } }))).code, 'AccessDenied');
    assert.equal((await ossError(c.initMultipartUpload('public-mp.txt', { headers: { 'x-oss-object-acl': 'public-read' } }))).code, 'AccessDenied');
    assert.equal((await ossError(oss(ROOT, 'acl-private').head('public.txt'))).status, 404, 'nothing stored');
    const badAcl = await ossError(oss(ROOT, 'acl-private').put('bad-acl.txt', Buffer.from('x'), { headers: { 'x-oss-object-acl': 'public' } }));
    assert.deepEqual([badAcl.status, badAcl.code], [400, 'InvalidArgument']);
  });
});

describe('forbid-overwrite', () => {
  before(() => oss(ROOT).putBucket('no-overwrite'));

  test('PutObject, CopyObject and multipart refuse to replace an object with FileAlreadyExists', async () => {
    const c = oss(ROOT, 'no-overwrite');
    // A fresh options object each time: ali-oss writes into the one it is given (copy adds its source).
    const forbid = () => ({ headers: { 'x-oss-forbid-overwrite': 'true' } });
    await c.put('d-001/reading.json', Buffer.from('first'), forbid());
    const again = await ossError(c.put('d-001/reading.json', Buffer.from('second'), forbid()));
    assert.deepEqual([again.status, again.code], [409, 'FileAlreadyExists']);
    assert.equal((await c.get('d-001/reading.json')).content.toString(), 'first');
    await c.put('d-001/reading.json', Buffer.from('third'), { headers: { 'x-oss-forbid-overwrite': 'false' } });
    assert.equal((await c.get('d-001/reading.json')).content.toString(), 'third');
    await c.put('other.json', Buffer.from('other'));
    assert.equal((await ossError(c.copy('d-001/reading.json', 'other.json', forbid()))).code, 'FileAlreadyExists');
    assert.equal((await c.get('d-001/reading.json')).content.toString(), 'third');
    const { uploadId } = await c.initMultipartUpload('mp.bin');
    const part = await c.uploadPart('mp.bin', uploadId, 1, Buffer.from('part'), 0, 4);
    await c.put('mp.bin', Buffer.from('taken meanwhile'));
    const done = await ossError(c.completeMultipartUpload('mp.bin', uploadId, [{ number: 1, etag: part.etag }], forbid()));
    assert.equal(done.code, 'FileAlreadyExists');
    assert.equal((await c.get('mp.bin')).content.toString(), 'taken meanwhile');
    assert.equal((await ossError(c.initMultipartUpload('mp.bin', forbid()))).code, 'FileAlreadyExists');
    assert.equal((await ossError(c.put('x.txt', Buffer.from('x'), { headers: { 'x-oss-forbid-overwrite': 'yes' } }))).code, 'InvalidArgument');
  });

  test('of many concurrent writers with forbid-overwrite exactly one wins', async () => {
    const c = oss(ROOT, 'no-overwrite');
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => c.put('race.txt', Buffer.from(`writer ${i}`), { headers: { 'x-oss-forbid-overwrite': 'true' } })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code: string }).code, 'FileAlreadyExists');
    assert.match((await c.get('race.txt')).content.toString(), /^writer \d$/);
  });
});

describe('bucket policies', () => {
  let b: { accountId: string; root: Creds; call: RamCall };
  before(async () => {
    await oss(ROOT).putBucket('shared-a');
    await oss(ROOT, 'shared-a').put('reports/q1.txt', Buffer.from('q1'));
    await oss(ROOT, 'shared-a').put('private/plan.txt', Buffer.from('plan'));
    const created = await createAccount(server.store, new Date());
    const bRoot = { accessKeyId: created.AccessKeyId, accessKeySecret: created.AccessKeySecret };
    b = { accountId: created.AccountId, root: bRoot, call: ramClient(server.apiHost, bRoot) };
  });

  test('round trip as written; refused documents change nothing', async () => {
    const c = oss(ROOT);
    assert.equal((await c.getBucketPolicy('shared-a')).policy, null, 'none yet');
    const policy = policyOf({ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:shared-a/public/*'] });
    await c.putBucketPolicy('shared-a', policy);
    assert.deepEqual((await c.getBucketPolicy('shared-a')).policy, policy);
    for (const [doc, why] of [
      [{ Version: '1', Statement: [{ Effect: 'Allow', Action: ['oss:GetObject'], Resource: ['acs:oss:*:*:shared-a/*'] }] }, 'no Principal'],
      [{ Version: 1, Statement: [] }, 'Version is a number'],
      [policyOf({ Effect: 'Alow', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:shared-a/*'] }), 'bad Effect'],
      [policyOf({ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:another-bucket/*'] }), 'another bucket'],
      [policyOf({ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['alice'], Resource: ['acs:oss:*:*:shared-a/*'] }), 'a principal that is no UID or ARN'],
    ] as const) {
      const e = await ossError(c.putBucketPolicy('shared-a', doc as never));
      assert.deepEqual([e.status, e.code], [400, 'InvalidPolicyDocument'], why);
    }
    assert.deepEqual((await c.getBucketPolicy('shared-a')).policy, policy, 'unchanged');
    assert.equal((await anonymous('GET', '/shared-a/reports/q1.txt')).status, 403, 'only public/* is public');
    await oss(ROOT, 'shared-a').put('public/readme.txt', Buffer.from('readme'));
    assert.equal(await (await anonymous('GET', '/shared-a/public/readme.txt')).text(), 'readme', 'anonymous read through the policy');
    await c.deleteBucketPolicy('shared-a');
    assert.equal((await c.getBucketPolicy('shared-a')).policy, null);
    assert.equal((await anonymous('GET', '/shared-a/public/readme.txt')).status, 403, 'deleted: private again');
  });

  test("another account's user reads only through the bucket policy, and only what it names", async () => {
    const reader = await user(b.call, 'partner-reader');
    const c = oss(reader, 'shared-a');
    const before = await ossError(c.get('reports/q1.txt'));
    assert.deepEqual([before.status, before.code, before.message], [403, 'AccessDenied', 'The bucket you access does not belong to you.']);
    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Allow', Action: ['oss:GetObject', 'oss:ListObjects'], Principal: [reader.userId], Resource: ['acs:oss:*:*:shared-a', 'acs:oss:*:*:shared-a/reports/*'] }));
    assert.equal((await c.get('reports/q1.txt')).content.toString(), 'q1');
    assert.deepEqual((await c.list({ prefix: 'reports/', 'max-keys': 100 }, {})).objects.map((o) => o.name), ['reports/q1.txt']);
    assert.equal((await ossError(c.get('private/plan.txt'))).code, 'AccessDenied');
    assert.equal((await ossError(c.put('reports/forged.txt', Buffer.from('x')))).code, 'AccessDenied');
    assert.equal((await ossError(c.delete('reports/q1.txt'))).code, 'AccessDenied');
    // Account B's root is not that user: a UID names exactly one identity.
    assert.equal((await ossError(oss(b.root, 'shared-a').get('reports/q1.txt'))).code, 'AccessDenied');
    // Another user of B is not named either.
    const other = await user(b.call, 'partner-other');
    assert.equal((await ossError(oss(other, 'shared-a').get('reports/q1.txt'))).code, 'AccessDenied');
    // Naming account B's UID lets its root in.
    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Allow', Action: ['oss:GetObject'], Principal: [b.accountId], Resource: ['acs:oss:*:*:shared-a/reports/*'] }));
    assert.equal((await oss(b.root, 'shared-a').get('reports/q1.txt')).content.toString(), 'q1');
    await oss(ROOT).deleteBucketPolicy('shared-a');
    assert.equal((await ossError(oss(b.root, 'shared-a').get('reports/q1.txt'))).code, 'AccessDenied', 'revoked at once');
  });

  test('bucket policy conditions: oss:Prefix on a listing, acs:SourceIp on a read', async () => {
    const lister = await user(b.call, 'partner-lister');
    await oss(ROOT).putBucketPolicy(
      'shared-a',
      policyOf(
        { Effect: 'Allow', Action: ['oss:ListObjects'], Principal: [lister.userId], Resource: ['acs:oss:*:*:shared-a'], Condition: { StringLike: { 'oss:Prefix': ['reports/*'] } } },
        { Effect: 'Allow', Action: ['oss:GetObject'], Principal: [lister.userId], Resource: ['acs:oss:*:*:shared-a/*'], Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } } },
      ),
    );
    const c = oss(lister, 'shared-a');
    assert.deepEqual((await c.list({ prefix: 'reports/', 'max-keys': 10 }, {})).objects.map((o) => o.name), ['reports/q1.txt']);
    assert.equal((await ossError(c.list({ prefix: 'private/', 'max-keys': 10 }, {}))).code, 'AccessDenied');
    assert.equal((await ossError(c.list({ 'max-keys': 10 }, {}))).code, 'AccessDenied', 'no prefix is not reports/*');
    assert.equal((await ossError(c.get('reports/q1.txt'))).code, 'AccessDenied', 'this request comes from 127.0.0.1, not 10.0.0.0/8');
    await oss(ROOT).deleteBucketPolicy('shared-a');
  });

  test('an explicit Deny in the bucket policy beats an allowing identity policy; the owner root is spared only by an unconditional *', async () => {
    const admin = await user(root, 'oss-admin', ['AliyunOSSFullAccess']);
    const c = oss(admin, 'shared-a');
    assert.equal((await c.get('private/plan.txt')).content.toString(), 'plan');
    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Deny', Action: ['oss:GetObject'], Principal: [admin.userId], Resource: ['acs:oss:*:*:shared-a/private/*'] }));
    const denied = await ossError(c.get('private/plan.txt'));
    assert.deepEqual([denied.status, denied.code], [403, 'AccessDenied']);
    assert.equal((await c.get('reports/q1.txt')).content.toString(), 'q1', 'the rest is still allowed');

    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Deny', Action: ['oss:*'], Principal: ['*'], Resource: ['acs:oss:*:*:shared-a/private/*'] }));
    assert.equal((await ossError(c.get('private/plan.txt'))).code, 'AccessDenied', '* names the RAM user');
    assert.equal((await oss(ROOT, 'shared-a').get('private/plan.txt')).content.toString(), 'plan', 'without a Condition, * spares the owner');
    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Deny', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:shared-a/private/*'], Condition: { IpAddress: { 'acs:SourceIp': ['127.0.0.0/8'] } } }));
    assert.equal((await ossError(oss(ROOT, 'shared-a').get('private/plan.txt'))).code, 'AccessDenied', 'with a Condition, * names the owner too');
    await oss(ROOT).deleteBucketPolicy('shared-a');
    assert.equal((await c.get('private/plan.txt')).content.toString(), 'plan');
  });

  test('a role session granted by the bucket policy is still held to its session policy', async () => {
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
    await root('CreateRole', { RoleName: 'uploader', AssumeRolePolicyDocument: trust });
    const appServer = await user(root, 'uploader-app', ['AliyunSTSAssumeRoleAccess']);
    // The role itself has no policy: only the bucket policy grants its sessions.
    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Principal: [`arn:sts::${ROOT.accountId}:assumed-role/uploader/*`], Resource: ['acs:oss:*:*:shared-a/*'] }));
    const narrow = JSON.stringify(policyOf({ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ['acs:oss:*:*:shared-a/d-001/*'] }));
    const session = sessionOf(await stsV3(server.apiHost, appServer).assumeRole({ RoleArn: `acs:ram::${ROOT.accountId}:role/uploader`, RoleSessionName: 'd-001', Policy: narrow }));
    const device = oss(session, 'shared-a');
    await device.put('d-001/a.txt', Buffer.from('a'));
    assert.equal((await ossError(device.put('d-002/a.txt', Buffer.from('x')))).code, 'AccessDenied', 'outside the session policy');
    assert.equal((await ossError(device.get('d-001/a.txt'))).code, 'AccessDenied', 'GetObject is not in the session policy');
    const wide = sessionOf(await stsV3(server.apiHost, appServer).assumeRole({ RoleArn: `acs:ram::${ROOT.accountId}:role/uploader`, RoleSessionName: 'wide' }));
    await oss(wide, 'shared-a').put('d-002/b.txt', Buffer.from('b'));
    assert.equal((await oss(wide, 'shared-a').get('d-002/b.txt')).content.toString(), 'b');
    await oss(ROOT).deleteBucketPolicy('shared-a');
    assert.equal((await ossError(oss(wide, 'shared-a').get('d-002/b.txt'))).code, 'AccessDenied', 'the grant is gone for sessions already issued');
  });

  test('refusals and anonymous reads are in the owner account\'s trail', async () => {
    await oss(ROOT, 'shared-a').put('public/trail.txt', Buffer.from('t'));
    await oss(ROOT).putBucketPolicy('shared-a', policyOf({ Effect: 'Allow', Action: ['oss:GetObject'], Principal: ['*'], Resource: ['acs:oss:*:*:shared-a/public/*'] }));
    assert.equal((await anonymous('GET', '/shared-a/public/trail.txt')).status, 200);
    assert.equal((await anonymous('GET', '/shared-a/reports/q1.txt')).status, 403);
    const events = server.audited.filter((r) => r.caller.type === 'Anonymous' && r.eventName === 'GetObject');
    const read = events.find((r) => r.resource?.endsWith('public/trail.txt') || r.checks?.[0]?.resource.endsWith('public/trail.txt'));
    const refused = events.find((r) => r.errorCode === 'AccessDenied');
    assert.ok(read, 'the anonymous read is recorded');
    assert.ok(refused, 'the anonymous refusal is recorded');
    await oss(ROOT).deleteBucketPolicy('shared-a');
  });
});
