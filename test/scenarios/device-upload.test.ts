// The device story: an AppServer vends each device a token scoped by a session policy to its own
// prefix; the device talks to object storage directly (ali-oss, and a browser-style form upload).
// Taking the policy away from the role stops the device at its very next upload.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ossClient, ossError } from '../sdk/oss-client.js';
import { ramClient, type Creds, type RamCall } from '../sdk/ram-client.js';
import { sessionOf, stsV3, type Session } from '../sdk/sts-client.js';

let server: TestServer;
let admin: RamCall;
let appServer: Creds;

const devicePolicy = (device: string) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: `acs:oss:*:*:thevideos/${device}/*` }] });

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
  admin = ramClient(server.apiHost, ROOT);
  await ossClient(server.endpoints.oss, ROOT).putBucket('thevideos');
  await admin('CreateUser', { UserName: 'app-server' });
  await admin('AttachPolicyToUser', { UserName: 'app-server', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
  const ak = (await admin('CreateAccessKey', { UserName: 'app-server' }))['AccessKey'] as Record<string, string>;
  appServer = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
  const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
  await admin('CreateRole', { RoleName: 'video-uploader', AssumeRolePolicyDocument: trust });
  await admin('AttachPolicyToRole', { RoleName: 'video-uploader', PolicyType: 'System', PolicyName: 'AliyunOSSFullAccess' });
});
after(() => server.stop());

/** What the AppServer does when device <id> asks for a token. */
async function vend(device: string): Promise<Session> {
  return sessionOf(
    await stsV3(server.apiHost, appServer).assumeRole({
      RoleArn: `acs:ram::${ROOT.accountId}:role/video-uploader`,
      RoleSessionName: device,
      Policy: devicePolicy(device),
      DurationSeconds: 900,
    }),
  );
}

test('device-001 uploads to d-001/, not to d-002/, and cannot read; detaching the role policy stops it at once', async () => {
  const token = await vend('d-001');
  const device = ossClient(server.endpoints.oss, token, { bucket: 'thevideos' });
  await device.put('d-001/clip-0001.mp4', Buffer.from('frame data'));
  const other = await ossError(device.put('d-002/clip-0001.mp4', Buffer.from('frame data')));
  assert.deepEqual([other.code, other.status], ['AccessDenied', 403]);
  assert.equal((await ossError(device.get('d-001/clip-0001.mp4'))).code, 'AccessDenied');
  assert.equal((await ossError(device.list({ prefix: 'd-001/', 'max-keys': 10 }, {}))).code, 'AccessDenied');
  // The upload really landed, and nothing else did.
  const listed = await ossClient(server.endpoints.oss, ROOT, { bucket: 'thevideos' }).list({ prefix: '', 'max-keys': 100 }, {});
  assert.deepEqual(listed.objects.map((o) => o.name), ['d-001/clip-0001.mp4']);

  await admin('DetachPolicyFromRole', { RoleName: 'video-uploader', PolicyType: 'System', PolicyName: 'AliyunOSSFullAccess' });
  try {
    assert.equal((await ossError(device.put('d-001/clip-0002.mp4', Buffer.from('more')))).code, 'AccessDenied');
  } finally {
    await admin('AttachPolicyToRole', { RoleName: 'video-uploader', PolicyType: 'System', PolicyName: 'AliyunOSSFullAccess' });
  }
  await device.put('d-001/clip-0002.mp4', Buffer.from('more'));
});

test('a browser-style form upload (PostObject) with the device token and a signed policy', async () => {
  const token = await vend('d-003');
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(Date.now() + 10 * 60 * 1000).toISOString(),
      conditions: [['starts-with', '$key', 'd-003/'], ['content-length-range', 1, 1024 * 1024], { bucket: 'thevideos' }],
    }),
  ).toString('base64');
  const signature = createHmac('sha1', token.accessKeySecret).update(policy).digest('base64');
  const post = async (key: string, content: string) => {
    const form = new FormData();
    form.set('key', key);
    form.set('policy', policy);
    form.set('OSSAccessKeyId', token.accessKeyId);
    form.set('Signature', signature);
    form.set('x-oss-security-token', token.securityToken ?? '');
    form.set('success_action_status', '201');
    form.set('x-oss-meta-device', 'd-003');
    form.set('file', new Blob([content]), 'clip.mp4');
    return fetch(`${server.endpoints.oss}/thevideos`, { method: 'POST', body: form });
  };
  const ok = await post('d-003/${filename}', 'form bytes');
  assert.equal(ok.status, 201, await ok.text());
  const stored = await ossClient(server.endpoints.oss, ROOT, { bucket: 'thevideos' }).get('d-003/clip.mp4');
  assert.equal(stored.content.toString(), 'form bytes');
  assert.equal((stored.res.headers as Record<string, string>)['x-oss-meta-device'], 'd-003');

  const outside = await post('d-004/clip.mp4', 'x');
  assert.equal(outside.status, 403);
  assert.match(await outside.text(), /<Code>AccessDenied<\/Code>/);
  const empty = await post('d-003/empty.mp4', '');
  assert.equal(empty.status, 400);
  assert.match(await empty.text(), /<Code>EntityTooSmall<\/Code>/);
  const forged = new FormData();
  forged.set('key', 'd-003/forged.mp4');
  forged.set('policy', policy);
  forged.set('OSSAccessKeyId', token.accessKeyId);
  forged.set('Signature', 'AAAA');
  forged.set('x-oss-security-token', token.securityToken ?? '');
  forged.set('file', new Blob(['x']), 'f');
  const refused = await fetch(`${server.endpoints.oss}/thevideos`, { method: 'POST', body: forged });
  assert.equal(refused.status, 403);
  assert.match(await refused.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
});

test('device-001 uploads with a callback: the app server learns the key and size, and forbid-overwrite keeps the first upload', async () => {
  // The app server: it records each callback and answers with JSON, which OSS relays to the device.
  const received: { body: string; signed: boolean }[] = [];
  const app = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ body, signed: typeof req.headers['authorization'] === 'string' && typeof req.headers['x-oss-pub-key-url'] === 'string' });
      // OSS takes an answer only with a Content-Length (and at most 1 MB).
      const answer = JSON.stringify({ accepted: true });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  try {
    const callback = {
      url: `http://127.0.0.1:${(app.address() as AddressInfo).port}/uploaded`,
      body: 'bucket=${bucket}&object=${object}&size=${size}&device=${x:device}',
      contentType: 'application/x-www-form-urlencoded',
      customValue: { device: 'd-001' },
    };
    const device = ossClient(server.endpoints.oss, await vend('d-001'), { bucket: 'thevideos' });
    const first = await device.put('d-001/reading-0001.json', Buffer.from('{"t":21.5}'), { callback, headers: { 'x-oss-forbid-overwrite': 'true' } });
    assert.deepEqual((first as unknown as { data: unknown }).data, { accepted: true }, "the app server's answer reaches the device");
    assert.equal(received.length, 1);
    assert.ok(received[0]?.signed, 'the callback is signed, with the public key URL');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(received[0]?.body ?? '')), { bucket: 'thevideos', object: 'd-001/reading-0001.json', size: '10', device: 'd-001' });

    const again = await ossError(device.put('d-001/reading-0001.json', Buffer.from('{"t":99}'), { callback, headers: { 'x-oss-forbid-overwrite': 'true' } }));
    assert.deepEqual([again.status, again.code], [409, 'FileAlreadyExists']);
    assert.equal(received.length, 1, 'no callback for a refused upload');
    const kept = await ossClient(server.endpoints.oss, ROOT, { bucket: 'thevideos' }).get('d-001/reading-0001.json');
    assert.equal(kept.content.toString(), '{"t":21.5}');
  } finally {
    app.close();
  }
});
