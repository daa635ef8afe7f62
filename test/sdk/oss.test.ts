// Object storage through the unmodified ali-oss: V1 and V4, virtual-host and path style,
// put/get/head/list/delete/copy, presigned URLs, multipart, append, and STS tokens refreshed by
// AssumeRole.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError, STYLES } from './oss-client.js';
import { ramClient } from './ram-client.js';
import { sessionOf, stsV3 } from './sts-client.js';

let server: TestServer;
let port = '';
let skew = 0;
before(async () => {
  server = await startTestServer({ assumeRoleRate: 0, now: () => Date.now() + skew });
  port = new URL(server.endpoints.oss).port;
});
after(() => server.stop());

describe('ali-oss in every addressing style and signature version', () => {
  for (const style of STYLES) {
    test(`${style.name}: bucket, put, get, head, list, copy, delete`, async () => {
      const bucket = `b-${style.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
      await ossClient(server.endpoints.oss, ROOT, style.options(port)).putBucket(bucket);
      const c = ossClient(server.endpoints.oss, ROOT, { ...style.options(port), bucket });
      const content = Buffer.from('hello, rampart');
      const put = await c.put('dir/hello.txt', content, { headers: { 'x-oss-meta-owner': 'dev' }, mime: 'text/plain' });
      const md5 = createHash('md5').update(content).digest('hex').toUpperCase();
      assert.equal((put.res.headers as Record<string, string>)['etag'], `"${md5}"`, 'ETag is the upper-case MD5, quoted');
      const got = await c.get('dir/hello.txt');
      assert.equal(got.content.toString(), 'hello, rampart');
      const head = await c.head('dir/hello.txt');
      assert.deepEqual(head.meta, { owner: 'dev' });
      assert.equal((head.res.headers as Record<string, string>)['content-type'], 'text/plain');
      assert.equal((head.res.headers as Record<string, string>)['content-length'], String(content.length));
      await c.copy('dir/copy.txt', 'dir/hello.txt');
      await c.put('other.txt', Buffer.from('x'));
      const listed = await c.list({ prefix: 'dir/', 'max-keys': 100 }, {});
      assert.deepEqual(listed.objects.map((o) => o.name), ['dir/copy.txt', 'dir/hello.txt']);
      assert.equal(listed.objects[1]?.etag, `"${md5}"`);
      const folded = await c.list({ delimiter: '/', 'max-keys': 100 }, {});
      assert.deepEqual(folded.prefixes, ['dir/']);
      assert.deepEqual(folded.objects.map((o) => o.name), ['other.txt']);
      await c.delete('dir/copy.txt');
      assert.equal((await ossError(c.get('dir/copy.txt'))).code, 'NoSuchKey');
      const info = await c.getBucketInfo(bucket);
      assert.equal(info.bucket.Name, bucket);
      const location = await c.getBucketLocation(bucket);
      assert.equal(location.location, 'oss-cn-hangzhou');
    });
  }
});

describe('more objects', () => {
  const bucket = 'more';
  const client = () => ossClient(server.endpoints.oss, ROOT, { bucket });
  before(async () => {
    await ossClient(server.endpoints.oss, ROOT).putBucket(bucket);
  });

  test('signatureUrl (V1, path style) lets anyone with the URL read until it expires', async () => {
    const c = client();
    await c.put('shared.txt', Buffer.from('shared content'));
    const url = c.signatureUrl('shared.txt', { expires: 60 });
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'shared content');
    assert.match(res.headers.get('x-oss-request-id') ?? '', /^[0-9A-F]{24}$/);
    const soon = c.signatureUrl('shared.txt', { expires: 1 });
    skew = 5000;
    try {
      const expired = await fetch(soon);
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /<Code>AccessDenied<\/Code>/);
    } finally {
      skew = 0;
    }
    const tampered = await fetch(url.replace('shared.txt', 'other.txt'));
    assert.equal(tampered.status, 403);
    const body = await tampered.text();
    assert.match(body, /<Code>SignatureDoesNotMatch<\/Code>/);
    assert.match(body, /<StringToSign>GET\n\n\n\d+\n\/more\/other\.txt<\/StringToSign>/);
  });

  test('signatureUrlV4 works too', async () => {
    const c = client();
    await c.put('v4.txt', Buffer.from('v4 presigned'));
    const url = await c.signatureUrlV4('GET', 60, {}, 'v4.txt');
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'v4 presigned');
  });

  test('multipartUpload of a 20 MiB file, listing V2 with continuation, deleteMulti', async () => {
    const c = client();
    const data = Buffer.alloc(20 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data.writeUInt32LE(i, i);
    await c.multipartUpload('big/file.bin', data, { partSize: 1024 * 1024 });
    const head = await c.head('big/file.bin');
    assert.match((head.res.headers as Record<string, string>)['etag'] ?? '', /^"[0-9A-F]{32}-20"$/, 'the multipart ETag: MD5 of the part MD5s, then -<parts>');
    assert.equal((head.res.headers as Record<string, string>)['content-length'], String(data.length));
    assert.equal((head.res.headers as Record<string, string>)['x-oss-object-type'], 'Multipart');
    const got = await c.get('big/file.bin');
    assert.ok(Buffer.compare(got.content as Buffer, data) === 0, 'the bytes round-trip');

    for (let i = 0; i < 5; i++) await c.put(`page/${i}`, Buffer.from(String(i)));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.listV2({ prefix: 'page/', 'max-keys': 2, ...(token ? { 'continuation-token': token } : {}) }, {});
      seen.push(...page.objects.map((o) => o.name));
      token = page.nextContinuationToken;
    } while (token);
    assert.deepEqual(seen, ['page/0', 'page/1', 'page/2', 'page/3', 'page/4']);
    const deleted = await c.deleteMulti(['page/0', 'page/1', 'page/2', 'page/3', 'page/4']);
    assert.equal(deleted.deleted?.length, 5);
    assert.equal(((await c.list({ prefix: 'page/', 'max-keys': 10 }, {})).objects ?? []).length, 0);
  });

  test('Range, conditional GET, and AppendObject', async () => {
    const c = client();
    await c.put('range.txt', Buffer.from('0123456789'));
    const part = await c.get('range.txt', { headers: { Range: 'bytes=2-5' } });
    assert.equal(part.res.status, 206);
    assert.equal(part.content.toString(), '2345');
    const tail = await c.get('range.txt', { headers: { Range: 'bytes=-3' } });
    assert.equal(tail.content.toString(), '789');
    const head = await c.head('range.txt');
    const notModified = await c.get('range.txt', { headers: { 'If-None-Match': (head.res.headers as Record<string, string>)['etag'] } }).catch((e: { status?: number }) => e);
    assert.equal((notModified as { res?: { status?: number }; status?: number }).res?.status ?? (notModified as { status?: number }).status, 304);
    assert.equal((await ossError(c.get('range.txt', { headers: { 'If-Match': '"00000000000000000000000000000000"' } }))).code, 'PreconditionFailed');
    const first = await c.append('log.txt', Buffer.from('one,'));
    const second = await c.append('log.txt', Buffer.from('two'), { position: first.nextAppendPosition });
    assert.equal(second.nextAppendPosition, '7');
    assert.equal((await c.get('log.txt')).content.toString(), 'one,two');
    assert.equal((await ossError(c.append('log.txt', Buffer.from('x'), { position: '1' }))).code, 'PositionNotEqualToLength');
  });

  test('STS credentials, with refreshSTSToken wired to AssumeRole', async () => {
    const root = ramClient(server.apiHost, ROOT);
    await root('CreateUser', { UserName: 'app-server' });
    await root('AttachPolicyToUser', { UserName: 'app-server', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
    const ak = (await root('CreateAccessKey', { UserName: 'app-server' }))['AccessKey'] as Record<string, string>;
    const appServer = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
    await root('CreateRole', { RoleName: 'oss-writer', AssumeRolePolicyDocument: trust });
    await root('AttachPolicyToRole', { RoleName: 'oss-writer', PolicyType: 'System', PolicyName: 'AliyunOSSFullAccess' });
    let refreshes = 0;
    const assume = async () => {
      refreshes++;
      return sessionOf(await stsV3(server.apiHost, appServer).assumeRole({ RoleArn: `acs:ram::${ROOT.accountId}:role/oss-writer`, RoleSessionName: `refresh-${refreshes}` }));
    };
    const first = await assume();
    const c = ossClient(server.endpoints.oss, first, {
      bucket,
      refreshSTSTokenInterval: 200,
      refreshSTSToken: async () => {
        const s = await assume();
        return { accessKeyId: s.accessKeyId, accessKeySecret: s.accessKeySecret, stsToken: s.securityToken ?? '' };
      },
    });
    await c.put('sts/1.txt', Buffer.from('first'));
    await new Promise((r) => setTimeout(r, 300));
    await c.put('sts/2.txt', Buffer.from('second'));
    assert.ok(refreshes >= 2, `refreshSTSToken was called (${refreshes - 1} times)`);
    assert.equal((await c.get('sts/2.txt')).content.toString(), 'second');
  });
});

describe('multipart bookkeeping and policy details', () => {
  const bucket = 'details';
  before(async () => {
    await ossClient(server.endpoints.oss, ROOT).putBucket(bucket);
  });

  test('ListParts, ListMultipartUploads and AbortMultipartUpload', async () => {
    const c = ossClient(server.endpoints.oss, ROOT, { bucket });
    const { uploadId } = await c.initMultipartUpload('parts/file.bin');
    await c.uploadPart('parts/file.bin', uploadId, 1, Buffer.alloc(200 * 1024, 1), 0, 200 * 1024);
    await c.uploadPart('parts/file.bin', uploadId, 2, Buffer.alloc(10, 2), 0, 10);
    // @types/ali-oss describes the query and the parts loosely; the wire carries PartNumber and Size.
    const parts = await c.listParts('parts/file.bin', uploadId, {} as never);
    assert.deepEqual((parts.parts as unknown as { PartNumber: string; Size: string }[]).map((p) => [Number(p.PartNumber), Number(p.Size)]), [[1, 200 * 1024], [2, 10]]);
    const uploads = await c.listUploads({});
    assert.deepEqual(uploads.uploads.map((u: { name: string; uploadId: string }) => [u.name, u.uploadId]), [['parts/file.bin', uploadId]]);
    await c.abortMultipartUpload('parts/file.bin', uploadId);
    assert.equal((await ossError(c.listParts('parts/file.bin', uploadId, {} as never))).code, 'NoSuchUpload');
  });

  test('oss:Prefix conditions on listing, and CopyObject needing GetObject on the source and PutObject on the target', async () => {
    const root = ramClient(server.apiHost, ROOT);
    await root('CreateUser', { UserName: 'lister' });
    const ak = (await root('CreateAccessKey', { UserName: 'lister' }))['AccessKey'] as Record<string, string>;
    const lister = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
    await root('CreatePolicy', {
      PolicyName: 'list-own-prefix',
      PolicyDocument: JSON.stringify({
        Version: '1',
        Statement: [
          { Effect: 'Allow', Action: 'oss:ListObjects', Resource: `acs:oss:*:*:${bucket}`, Condition: { StringLike: { 'oss:Prefix': 'mine/*' } } },
          { Effect: 'Allow', Action: 'oss:PutObject', Resource: `acs:oss:*:*:${bucket}/mine/*` },
        ],
      }),
    });
    await root('AttachPolicyToUser', { UserName: 'lister', PolicyType: 'Custom', PolicyName: 'list-own-prefix' });
    const owner = ossClient(server.endpoints.oss, ROOT, { bucket });
    await owner.put('mine/a.txt', Buffer.from('a'));
    await owner.put('theirs/b.txt', Buffer.from('b'));
    const c = ossClient(server.endpoints.oss, lister, { bucket });
    assert.deepEqual((await c.list({ prefix: 'mine/', 'max-keys': 10 }, {})).objects.map((o: { name: string }) => o.name), ['mine/a.txt']);
    assert.equal((await ossError(c.list({ prefix: 'theirs/', 'max-keys': 10 }, {}))).code, 'AccessDenied');
    // PutObject on mine/ is allowed, but reading theirs/ is not: the copy is refused.
    assert.equal((await ossError(c.copy('mine/copied.txt', 'theirs/b.txt'))).code, 'AccessDenied');
    await root('AttachPolicyToUser', { UserName: 'lister', PolicyType: 'System', PolicyName: 'AliyunOSSReadOnlyAccess' });
    await c.copy('mine/copied.txt', 'theirs/b.txt');
    assert.equal((await owner.get('mine/copied.txt')).content.toString(), 'b');
  });
});

describe('standard headers', () => {
  const bucket = 'std-headers';
  const STANDARD = {
    'Content-Disposition': 'attachment; filename="report.pdf"',
    'Cache-Control': 'max-age=3600',
    'Content-Encoding': 'identity',
    Expires: 'Wed, 01 Dec 2027 00:00:00 GMT',
    'Content-Language': 'zh-CN',
  };
  const served = (headers: Record<string, string>) =>
    Object.fromEntries(Object.keys(STANDARD).map((h) => [h, headers[h.toLowerCase()]]));
  before(() => ossClient(server.endpoints.oss, ROOT).putBucket(bucket));

  test('are kept as written and served on GET and HEAD, by put, multipart and copy (kept, or replaced)', async () => {
    const c = ossClient(server.endpoints.oss, ROOT, { bucket });
    await c.put('put.bin', Buffer.from('p'), { headers: STANDARD });
    assert.deepEqual(served((await c.get('put.bin')).res.headers as Record<string, string>), STANDARD);
    assert.deepEqual(served((await c.head('put.bin')).res.headers as Record<string, string>), STANDARD);

    const { uploadId } = await c.initMultipartUpload('multi.bin', { headers: STANDARD });
    const part = await c.uploadPart('multi.bin', uploadId, 1, Buffer.from('m'), 0, 1);
    await c.completeMultipartUpload('multi.bin', uploadId, [{ number: 1, etag: part.etag }]);
    assert.deepEqual(served((await c.head('multi.bin')).res.headers as Record<string, string>), STANDARD);

    await c.copy('copied.bin', 'put.bin');
    assert.deepEqual(served((await c.head('copied.bin')).res.headers as Record<string, string>), STANDARD, 'a copy keeps them');
    // Giving any of them to a copy replaces the metadata (ali-oss sets x-oss-metadata-directive: REPLACE).
    await c.copy('replaced.bin', 'put.bin', { headers: { 'Cache-Control': 'no-store' } });
    const replaced = (await c.head('replaced.bin')).res.headers as Record<string, string>;
    assert.equal(replaced['cache-control'], 'no-store');
    assert.equal(replaced['content-disposition'], undefined);
  });
});
