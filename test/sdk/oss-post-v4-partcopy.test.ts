// PostObject with a V4-signed form, built as ali-oss's README shows with the unmodified
// signPostObjectPolicyV4 and posted with fetch/FormData: the answers a form asks for (204, 201
// with PostResponse, 303 to its redirect), what a V4 form is refused for, STS forms, and the form
// fields that create an object (forbid-overwrite, ACL). Then UploadPartCopy through ali-oss's
// uploadPartCopy and multipartUploadCopy: ranged parts copied byte for byte, across buckets, with
// the source's permission and range checked.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError } from './oss-client.js';
import { ramClient, type Creds, type RamCall } from './ram-client.js';
import { sessionOf, stsV3 } from './sts-client.js';

const require = createRequire(import.meta.url);
// The helpers ali-oss's README has a V4 form built with (not in @types/ali-oss).
const { getCredential } = require('ali-oss/lib/common/signUtils') as { getCredential: (day: string, region: string, accessKeyId: string) => string };
const { getStandardRegion } = require('ali-oss/lib/common/utils/getStandardRegion') as { getStandardRegion: (region: string) => string };
const { policy2Str } = require('ali-oss/lib/common/utils/policy2Str') as { policy2Str: (policy: object) => string };

let server: TestServer;
let root: RamCall;
before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  root = ramClient(server.apiHost, ROOT);
});
after(() => server.stop());

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex').toUpperCase();

/** A RAM user with an AccessKey and a custom policy of its own. */
async function user(name: string, statements: object[]): Promise<Creds> {
  await root('CreateUser', { UserName: name });
  await root('CreatePolicy', { PolicyName: `${name}-policy`, PolicyDocument: JSON.stringify({ Version: '1', Statement: statements }) });
  await root('AttachPolicyToUser', { UserName: name, PolicyType: 'Custom', PolicyName: `${name}-policy` });
  const ak = (await root('CreateAccessKey', { UserName: name }))['AccessKey'] as Record<string, string>;
  return { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
}

describe('PostObject with a V4 signature', () => {
  const bucket = 'forms-v4';
  const owner = () => ossClient(server.endpoints.oss, ROOT, { bucket });
  before(async () => {
    await ossClient(server.endpoints.oss, ROOT).putBucket(bucket);
  });

  interface V4Form {
    key: string;
    content?: string;
    creds?: Creds;
    /** The client's region (the credential scope's, without "oss-"). */
    region?: string;
    date?: Date;
    expiration?: Date;
    /** Conditions besides the bucket and the signature fields. */
    conditions?: unknown[];
    fields?: Record<string, string>;
    /** Leaves these signature fields out of the policy. */
    unpinned?: string[];
    tamper?: (fields: Map<string, string>) => void;
  }

  /** The form as ali-oss's README builds it, posted; the answer and the fields sent. */
  async function postV4(f: V4Form): Promise<{ res: Response; fields: Map<string, string> }> {
    const creds: Creds = f.creds ?? ROOT;
    const client = ossClient(server.endpoints.oss, creds, { bucket, region: f.region ?? 'oss-cn-hangzhou' });
    const date = f.date ?? new Date();
    const formattedDate = date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const credential = getCredential(formattedDate.split('T')[0] ?? '', getStandardRegion(f.region ?? 'oss-cn-hangzhou'), creds.accessKeyId);
    const pinned: Record<string, string> = {
      'x-oss-credential': credential,
      'x-oss-date': formattedDate,
      'x-oss-signature-version': 'OSS4-HMAC-SHA256',
      ...(creds.securityToken ? { 'x-oss-security-token': creds.securityToken } : {}),
    };
    const policy = {
      expiration: (f.expiration ?? new Date(Date.now() + 10 * 60 * 1000)).toISOString(),
      conditions: [
        { bucket },
        ...Object.entries(pinned).filter(([k]) => !f.unpinned?.includes(k)).map(([k, v]) => ({ [k]: v })),
        ...(f.conditions ?? []),
      ],
    };
    const signature = (client as unknown as { signPostObjectPolicyV4(policy: object, date: Date): string }).signPostObjectPolicyV4(policy, date);
    const fields = new Map<string, string>([
      ['key', f.key],
      ...Object.entries(pinned),
      ['policy', Buffer.from(policy2Str(policy), 'utf8').toString('base64')],
      ['x-oss-signature', signature],
      ...Object.entries(f.fields ?? {}),
    ]);
    f.tamper?.(fields);
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    form.append('file', new Blob([f.content ?? 'form bytes']), 'upload.txt');
    const res = await fetch(`${server.endpoints.oss}/${bucket}`, { method: 'POST', body: form, redirect: 'manual' });
    return { res, fields };
  }

  const code = async (res: Response) => /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
  const stored = async (key: string) => (await owner().get(key)).content.toString();
  const absent = async (key: string) => assert.equal((await ossError(owner().get(key))).code, 'NoSuchKey', `${key} was not stored`);

  test('a form answers 204 by default, 201 with PostResponse, or 303 to its redirect; the bytes are stored', async () => {
    const plain = await postV4({ key: 'v4/plain.txt', content: 'plain bytes', fields: { 'Content-Type': 'text/plain', 'x-oss-meta-device': 'd-1' } });
    assert.equal(plain.res.status, 204, await plain.res.clone().text());
    assert.equal(plain.res.headers.get('etag'), `"${md5(Buffer.from('plain bytes'))}"`);
    const got = await owner().get('v4/plain.txt');
    assert.equal(got.content.toString(), 'plain bytes');
    assert.equal((got.res.headers as Record<string, string>)['content-type'], 'text/plain');
    assert.equal((got.res.headers as Record<string, string>)['x-oss-meta-device'], 'd-1');

    const created = await postV4({ key: 'v4/created.txt', content: 'created', conditions: [['eq', '$success_action_status', '201']], fields: { success_action_status: '201' } });
    assert.equal(created.res.status, 201);
    assert.match(created.res.headers.get('content-type') ?? '', /application\/xml/);
    const xml = await created.res.text();
    const etag = `"${md5(Buffer.from('created'))}"`;
    assert.match(xml, /^<\?xml[^>]*\?>\n<PostResponse>/);
    assert.match(xml, new RegExp(`<Bucket>${bucket}</Bucket>`));
    assert.match(xml, /<Key>v4\/created\.txt<\/Key>/);
    assert.match(xml, new RegExp(`<ETag>(${etag}|&quot;${etag.slice(1, -1)}&quot;)</ETag>`));
    assert.match(xml, new RegExp(`<Location>http://127\\.0\\.0\\.1:\\d+/${bucket}/v4/created\\.txt</Location>`));
    assert.equal(await stored('v4/created.txt'), 'created');

    const redirect = 'https://app.example.com/uploaded?from=form';
    const moved = await postV4({ key: 'v4/moved.txt', content: 'moved', conditions: [['starts-with', '$success_action_redirect', 'https://app.example.com/']], fields: { success_action_redirect: redirect, success_action_status: '201' } });
    assert.equal(moved.res.status, 303, 'the redirect wins over success_action_status');
    const location = new URL(moved.res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, 'https://app.example.com/uploaded');
    assert.deepEqual([...location.searchParams], [['from', 'form'], ['bucket', bucket], ['key', 'v4/moved.txt'], ['etag', `"${md5(Buffer.from('moved'))}"`]]);
    assert.equal(await stored('v4/moved.txt'), 'moved');

    const odd = await postV4({ key: 'v4/odd.txt', fields: { success_action_status: '302' } });
    assert.equal(odd.res.status, 204, 'a status OSS does not offer is 204');
  });

  test('a wrong signature, an expired policy, a failed condition or another region is refused, and nothing is stored', async () => {
    const forged = await postV4({ key: 'v4/forged.txt', tamper: (f) => f.set('x-oss-signature', '0'.repeat(64)) });
    assert.deepEqual([forged.res.status, await code(forged.res)], [403, 'SignatureDoesNotMatch']);
    // The policy is what is signed: another policy with the same signature does not verify.
    const swapped = await postV4({
      key: 'v4/swapped.txt',
      conditions: [['starts-with', '$key', 'v4/only-this/']],
      tamper: (f) => {
        const policy = JSON.parse(Buffer.from(f.get('policy') ?? '', 'base64').toString()) as { conditions: unknown[] };
        policy.conditions.pop();
        f.set('policy', Buffer.from(JSON.stringify(policy)).toString('base64'));
      },
    });
    assert.deepEqual([swapped.res.status, await code(swapped.res)], [403, 'SignatureDoesNotMatch']);

    const expired = await postV4({ key: 'v4/expired.txt', expiration: new Date(Date.now() - 1000) });
    assert.equal(expired.res.status, 403);
    assert.match(await expired.res.text(), /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy expired\.<\/Message>/);

    const outside = await postV4({ key: 'elsewhere/x.txt', conditions: [['starts-with', '$key', 'v4/']] });
    assert.equal(outside.res.status, 403);
    assert.match(await outside.res.text(), /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed/);
    const tooBig = await postV4({ key: 'v4/big.txt', content: 'more than ten bytes', conditions: [['content-length-range', 1, 10]] });
    assert.deepEqual([tooBig.res.status, await code(tooBig.res)], [400, 'EntityTooLarge']);

    // Scoped to cn-beijing, for a bucket in cn-hangzhou.
    const region = await postV4({ key: 'v4/region.txt', region: 'oss-cn-beijing' });
    assert.equal(region.res.status, 400);
    assert.match(await region.res.text(), /<Code>InvalidArgument<\/Code><Message>Invalid signing region/);
    for (const key of ['forged', 'swapped', 'expired', 'big', 'region']) await absent(`v4/${key}.txt`);
    await absent('elsewhere/x.txt');
  });

  test('the signature fields must be pinned by the policy; x-oss-date is held to its window and its credential day', async () => {
    const unpinned = await postV4({ key: 'v4/unpinned.txt', unpinned: ['x-oss-date'] });
    assert.deepEqual([unpinned.res.status, await code(unpinned.res)], [400, 'InvalidPolicyDocument']);
    // The date field changed after signing: the policy pins the one signed.
    const redated = await postV4({
      key: 'v4/redated.txt',
      tamper: (f) => f.set('x-oss-date', (f.get('x-oss-date') ?? '').replace(/\d{2}Z$/, (s) => `${String((Number(s.slice(0, 2)) + 1) % 60).padStart(2, '0')}Z`)),
    });
    assert.deepEqual([redated.res.status, await code(redated.res)], [403, 'AccessDenied']);
    const future = await postV4({ key: 'v4/future.txt', date: new Date(Date.now() + 60 * 60 * 1000) });
    assert.deepEqual([future.res.status, await code(future.res)], [403, 'RequestTimeTooSkewed']);
    // Older than seven days: refused, whatever the policy's expiration says.
    const stale = await postV4({ key: 'v4/stale.txt', date: new Date(Date.now() - 8 * 24 * 3600 * 1000) });
    assert.deepEqual([stale.res.status, await code(stale.res)], [403, 'AccessDenied']);
    const anotherDay = await postV4({ key: 'v4/day.txt', tamper: (f) => f.set('x-oss-credential', (f.get('x-oss-credential') ?? '').replace(/\/\d{8}\//, '/20200101/')) });
    assert.equal(anotherDay.res.status, 400);
    assert.match(await anotherDay.res.text(), /Invalid signing date/);
    const version = await postV4({ key: 'v4/version.txt', tamper: (f) => f.set('x-oss-signature-version', 'OSS4-HMAC-SHA1') });
    assert.deepEqual([version.res.status, await code(version.res)], [400, 'InvalidArgument']);
    const both = await postV4({ key: 'v4/both.txt', fields: { OSSAccessKeyId: ROOT.accessKeyId, Signature: 'x' } });
    assert.deepEqual([both.res.status, await code(both.res)], [400, 'InvalidArgument']);
    for (const key of ['unpinned', 'redated', 'future', 'stale', 'day', 'version', 'both']) await absent(`v4/${key}.txt`);
  });

  test('an STS token form: the token is in the form and pinned by the policy', async () => {
    await root('CreateUser', { UserName: 'form-server' });
    await root('AttachPolicyToUser', { UserName: 'form-server', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
    const ak = (await root('CreateAccessKey', { UserName: 'form-server' }))['AccessKey'] as Record<string, string>;
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
    await root('CreateRole', { RoleName: 'form-uploader', AssumeRolePolicyDocument: trust });
    await root('AttachPolicyToRole', { RoleName: 'form-uploader', PolicyType: 'System', PolicyName: 'AliyunOSSFullAccess' });
    const session = sessionOf(
      await stsV3(server.apiHost, { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' }).assumeRole({
        RoleArn: `acs:ram::${ROOT.accountId}:role/form-uploader`,
        RoleSessionName: 'browser',
        Policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: `acs:oss:*:*:${bucket}/sts/*` }] }),
      }),
    );
    assert.ok(session.securityToken);
    const ok = await postV4({ key: 'sts/ok.txt', content: 'by token', creds: session });
    assert.equal(ok.res.status, 204, await ok.res.clone().text());
    assert.equal(await stored('sts/ok.txt'), 'by token');
    const narrowed = await postV4({ key: 'other/no.txt', creds: session });
    assert.deepEqual([narrowed.res.status, await code(narrowed.res)], [403, 'AccessDenied']);
    const unpinned = await postV4({ key: 'sts/unpinned.txt', creds: session, unpinned: ['x-oss-security-token'] });
    assert.deepEqual([unpinned.res.status, await code(unpinned.res)], [400, 'InvalidPolicyDocument']);
    const tokenless = await postV4({ key: 'sts/tokenless.txt', creds: session, tamper: (f) => f.delete('x-oss-security-token') });
    assert.equal(tokenless.res.status, 403, 'temporary keys without their token');
    for (const key of ['sts/unpinned.txt', 'sts/tokenless.txt', 'other/no.txt']) await absent(key);
  });

  test('x-oss-forbid-overwrite, x-oss-object-acl and x-oss-tagging fields; a callback or another option is refused', async () => {
    await owner().put('opt/taken.txt', Buffer.from('original'));
    const taken = await postV4({ key: 'opt/taken.txt', fields: { 'x-oss-forbid-overwrite': 'true' } });
    assert.deepEqual([taken.res.status, await code(taken.res)], [409, 'FileAlreadyExists']);
    assert.equal(await stored('opt/taken.txt'), 'original');
    const fresh = await postV4({ key: 'opt/fresh.txt', content: 'fresh', fields: { 'x-oss-forbid-overwrite': 'true' } });
    assert.equal(fresh.res.status, 204);
    const replaced = await postV4({ key: 'opt/taken.txt', content: 'replaced', fields: { 'x-oss-forbid-overwrite': 'false' } });
    assert.equal(replaced.res.status, 204);
    assert.equal(await stored('opt/taken.txt'), 'replaced');

    // A device allowed only to upload cannot make its upload public or tag it.
    const uploader = await user('form-uploader-only', [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: `acs:oss:*:*:${bucket}/opt/*` }]);
    const plain = await postV4({ key: 'opt/device.txt', creds: uploader });
    assert.equal(plain.res.status, 204);
    const publicAcl = await postV4({ key: 'opt/public.txt', creds: uploader, fields: { 'x-oss-object-acl': 'public-read' } });
    assert.deepEqual([publicAcl.res.status, await code(publicAcl.res)], [403, 'AccessDenied']);
    const tagged = await postV4({ key: 'opt/tagged.txt', creds: uploader, fields: { 'x-oss-tagging': 'a=1' } });
    assert.deepEqual([tagged.res.status, await code(tagged.res)], [403, 'AccessDenied']);
    await absent('opt/public.txt');
    await absent('opt/tagged.txt');
    const acl = await postV4({ key: 'opt/public.txt', fields: { 'x-oss-object-acl': 'public-read' } });
    assert.equal(acl.res.status, 204);
    assert.equal((await owner().getACL('opt/public.txt')).acl, 'public-read');
    assert.equal((await fetch(`${server.endpoints.oss}/${bucket}/opt/public.txt`)).status, 200, 'anyone may read it now');
    const badAcl = await postV4({ key: 'opt/bad-acl.txt', fields: { 'x-oss-object-acl': 'public' } });
    assert.deepEqual([badAcl.res.status, await code(badAcl.res)], [400, 'InvalidArgument']);

    // A V4 form's callback is honoured (oss-callback tests): one whose app server cannot be reached is
    // 203 CallbackFailed with the object kept, as OSS answers.
    const callback = Buffer.from(JSON.stringify({ callbackUrl: 'http://127.0.0.1:1/cb', callbackBody: 'bucket=${bucket}' })).toString('base64');
    const unreachable = await postV4({ key: 'opt/callback.txt', fields: { callback } });
    assert.deepEqual([unreachable.res.status, await code(unreachable.res)], [203, 'CallbackFailed']);
    assert.equal((await owner().get('opt/callback.txt')).res.status, 200);
    const storageClass = await postV4({ key: 'opt/archive.txt', fields: { 'x-oss-storage-class': 'Archive' } });
    assert.deepEqual([storageClass.res.status, await code(storageClass.res)], [501, 'NotImplemented']);
    for (const key of ['opt/archive.txt', 'opt/bad-acl.txt']) await absent(key);
  });

  test('V1 forms keep working, and no signature field reaches the audit trail', async () => {
    const policy = Buffer.from(JSON.stringify({ expiration: new Date(Date.now() + 600_000).toISOString(), conditions: [{ bucket }, ['starts-with', '$key', 'v1/']] })).toString('base64');
    const v1Signature = createHmac('sha1', ROOT.accessKeySecret).update(policy).digest('base64');
    const form = new FormData();
    for (const [k, v] of Object.entries({ key: 'v1/form.txt', policy, OSSAccessKeyId: ROOT.accessKeyId, Signature: v1Signature, success_action_status: '201' })) form.set(k, v);
    form.set('file', new Blob(['v1 bytes']), 'a.txt');
    const v1 = await fetch(`${server.endpoints.oss}/${bucket}`, { method: 'POST', body: form });
    assert.equal(v1.status, 201, await v1.clone().text());
    assert.match(await v1.text(), /<Key>v1\/form\.txt<\/Key>/);
    assert.equal(await stored('v1/form.txt'), 'v1 bytes');

    const { res, fields } = await postV4({ key: 'v4/audited.txt' });
    assert.equal(res.status, 204);
    const events = server.audited.filter((r) => r.eventName === 'PostObject');
    assert.ok(events.length > 0, 'form uploads are audited');
    const trail = JSON.stringify(events);
    for (const secret of [fields.get('x-oss-signature') ?? '', v1Signature, fields.get('policy') ?? '']) assert.ok(!trail.includes(secret), 'no signature or policy in the audit trail');
  });
});

describe('UploadPartCopy', () => {
  const source = 'copy-source';
  const target = 'copy-target';
  const data = Buffer.alloc(300 * 1024 + 123);
  for (let i = 0; i + 4 <= data.length; i += 4) data.writeUInt32LE(i, i);
  const c = (bucket: string, creds: Creds = ROOT) => ossClient(server.endpoints.oss, creds, { bucket });
  before(async () => {
    await ossClient(server.endpoints.oss, ROOT).putBucket(source);
    await ossClient(server.endpoints.oss, ROOT).putBucket(target);
    await c(source).put('big.bin', data);
  });

  test('multipartUploadCopy copies a 300 KiB object from another bucket in ranged parts, byte for byte', async () => {
    const result = await c(target).multipartUploadCopy('copied.bin', { sourceKey: 'big.bin', sourceBucketName: source, startOffset: 0, endOffset: data.length }, { partSize: 100 * 1024 });
    assert.equal(result.res.status, 200);
    const got = await c(target).get('copied.bin');
    assert.ok(Buffer.compare(got.content as Buffer, data) === 0, 'the bytes are the source\'s');
    // Each part's ETag is the MD5 of its range: the object's ETag is the MD5 of those, then -<parts>.
    const partMd5s = [0, 1, 2, 3].map((i) => createHash('md5').update(data.subarray(i * 100 * 1024, Math.min((i + 1) * 100 * 1024, data.length))).digest());
    const expected = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex').toUpperCase()}-4"`;
    assert.equal((got.res.headers as Record<string, string>)['etag'], expected);
    assert.equal((got.res.headers as Record<string, string>)['x-oss-object-type'], 'Multipart');
  });

  test('uploadPartCopy: a range, then the whole source; the answer is CopyPartResult with the part\'s ETag', async () => {
    const { uploadId } = await c(target).initMultipartUpload('assembled.bin');
    const first = await c(target).uploadPartCopy('assembled.bin', uploadId, 1, '1000-103399', { sourceKey: 'big.bin', sourceBucketName: source }, {});
    const range = data.subarray(1000, 103400);
    assert.equal(first.etag, `"${md5(range)}"`);
    const headers = first.res.headers as Record<string, string>;
    assert.equal(headers['content-range'], `bytes 1000-103399/${data.length}`);
    const body = String((first.res as unknown as { data?: Buffer }).data ?? '');
    assert.match(body, /<CopyPartResult>\s*<LastModified>\d{4}-\d{2}-\d{2}T[^<]+<\/LastModified>\s*<ETag>[^<]+<\/ETag>\s*<\/CopyPartResult>/);
    // No range: the whole source.
    const second = await c(target).uploadPartCopy('assembled.bin', uploadId, 2, '', { sourceKey: 'big.bin', sourceBucketName: source }, {});
    assert.equal(second.etag, `"${md5(data)}"`);
    // A range not of the form bytes=first-last copies the whole source, and says no Content-Range (as OSS documents).
    const loose = await c(target).uploadPartCopy('assembled.bin', uploadId, 3, '5-', { sourceKey: 'big.bin', sourceBucketName: source }, {});
    assert.equal(loose.etag, `"${md5(data)}"`);
    assert.equal((loose.res.headers as Record<string, string>)['content-range'], undefined);
    // Copying part 1 again replaces it.
    const again = await c(target).uploadPartCopy('assembled.bin', uploadId, 1, '0-102399', { sourceKey: 'big.bin', sourceBucketName: source }, {});
    await c(target).completeMultipartUpload('assembled.bin', uploadId, [{ number: 1, etag: again.etag }, { number: 2, etag: second.etag }]);
    const got = await c(target).get('assembled.bin');
    assert.ok(Buffer.compare(got.content as Buffer, Buffer.concat([data.subarray(0, 102400), data])) === 0);
  });

  test('a range past the end, a failed precondition, an unrestored archive or another region\'s source is refused and stores no part', async () => {
    const { uploadId } = await c(target).initMultipartUpload('refused.bin');
    const copy = (range: string, sourceKey = 'big.bin', sourceBucketName = source, options: object = {}) =>
      c(target).uploadPartCopy('refused.bin', uploadId, 1, range, { sourceKey, sourceBucketName }, options);
    const beyond = await ossError(copy(`0-${data.length}`));
    assert.deepEqual([beyond.status, beyond.code], [400, 'InvalidArgument']);
    assert.match(beyond.message ?? '', /beyond the end of the source/);
    const startBeyond = await ossError(copy(`${data.length + 10}-${data.length + 20}`));
    assert.deepEqual([startBeyond.status, startBeyond.code], [400, 'InvalidArgument']);
    const condition = await ossError(copy('0-99', 'big.bin', source, { headers: { 'x-oss-copy-source-if-match': '"00000000000000000000000000000000"' } }));
    assert.deepEqual([condition.status, condition.code], [412, 'PreconditionFailed']);
    assert.equal((await ossError(copy('0-99', 'missing.bin'))).code, 'NoSuchKey');
    assert.equal((await ossError(copy('0-99', 'big.bin', 'no-such-source'))).code, 'NoSuchBucket');

    await c(source).put('cold.bin', Buffer.from('archived bytes'), { headers: { 'x-oss-storage-class': 'Archive' } });
    const cold = await ossError(copy('', 'cold.bin'));
    assert.deepEqual([cold.status, cold.code], [403, 'InvalidObjectState']);

    // A bucket in cn-beijing (its region from the Host ali-oss sends for an IP endpoint).
    const port = new URL(server.endpoints.oss).port;
    await ossClient(server.endpoints.oss, ROOT, { endpoint: `http://127.0.0.1:${port}`, sldEnable: false, region: 'oss-cn-beijing' }).putBucket('copy-beijing');
    await ossClient(server.endpoints.oss, ROOT, { bucket: 'copy-beijing', endpoint: `http://127.0.0.1:${port}`, sldEnable: false, region: 'oss-cn-beijing' }).put('far.bin', Buffer.from('far away'));
    const far = await ossError(copy('', 'far.bin', 'copy-beijing'));
    assert.equal(far.code, 'InvalidArgument');
    assert.match(far.message ?? '', /same region/);

    const parts = await c(target).listParts('refused.bin', uploadId, {} as never);
    assert.equal((parts.parts ?? []).length, 0, 'no part was stored');
    await c(target).abortMultipartUpload('refused.bin', uploadId);
  });

  test('a RAM user needs oss:GetObject on the source as well as oss:PutObject on the target', async () => {
    const copier = await user('part-copier', [{ Effect: 'Allow', Action: ['oss:PutObject', 'oss:ListParts'], Resource: `acs:oss:*:*:${target}/*` }]);
    const { uploadId } = await c(target).initMultipartUpload('by-user.bin');
    const refused = await ossError(c(target, copier).uploadPartCopy('by-user.bin', uploadId, 1, '0-99', { sourceKey: 'big.bin', sourceBucketName: source }, {}));
    assert.deepEqual([refused.status, refused.code], [403, 'AccessDenied']);
    assert.equal(((await c(target).listParts('by-user.bin', uploadId, {} as never)).parts ?? []).length, 0);
    await root('CreatePolicy', { PolicyName: 'read-copy-source', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: `acs:oss:*:*:${source}/big.bin` }] }) });
    await root('AttachPolicyToUser', { UserName: 'part-copier', PolicyType: 'Custom', PolicyName: 'read-copy-source' });
    const done = await c(target, copier).uploadPartCopy('by-user.bin', uploadId, 1, '0-99', { sourceKey: 'big.bin', sourceBucketName: source }, {});
    assert.equal(done.etag, `"${md5(data.subarray(0, 100))}"`);
    // Reading the source does not let it write elsewhere: PutObject is on the target only.
    const { uploadId: other } = await c(source).initMultipartUpload('into-source.bin');
    assert.equal((await ossError(c(source, copier).uploadPartCopy('into-source.bin', other, 1, '0-99', { sourceKey: 'big.bin', sourceBucketName: source }, {}))).code, 'AccessDenied');
    await c(target).abortMultipartUpload('by-user.bin', uploadId);
    await c(source).abortMultipartUpload('into-source.bin', other);
  });
});
