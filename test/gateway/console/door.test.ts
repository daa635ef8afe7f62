// The console listener over HTTP: sign-in (root AccessKey, RAM user password), sessions, CSRF and
// origin checks, calls through the one lifecycle (authorized as the signed-in principal, audited
// as ConsoleOperation), the static pages' headers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { totp } from '../../../src/auth/totp.js';
import { ConsoleClient } from '../../helpers/console.js';
import { ROOT, startTestServer, type TestServer } from '../../helpers/server.js';

const PASSWORD = 'Correct-Horse-9';

describe('console listener', () => {
  let server: TestServer;
  let base: string;
  let admin: ConsoleClient;

  before(async () => {
    server = await startTestServer({ console: { host: '127.0.0.1', port: 0 } });
    base = server.endpoints.console!;
    admin = new ConsoleClient(base);
    assert.equal((await admin.signInRoot()).status, 200);
    for (const [action, params] of [
      ['CreateUser', { UserName: 'alice' }],
      ['CreateLoginProfile', { UserName: 'alice', Password: PASSWORD }],
      ['CreateUser', { UserName: 'mallory' }],
      ['CreateLoginProfile', { UserName: 'mallory', Password: PASSWORD }],
    ] as const) {
      const r = await admin.call('ram', action, params);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
  });
  after(() => server.stop());

  it('signs the root in with its AccessKey and answers who it is, never with the secret', async () => {
    const c = new ConsoleClient(base);
    const r = await c.signInRoot();
    assert.equal(r.status, 200);
    assert.deepEqual(r.body['Identity'], { Type: 'Account', AccountId: ROOT.accountId, Arn: `acs:ram::${ROOT.accountId}:root` });
    assert.ok(!JSON.stringify(r.body).includes(ROOT.accessKeySecret));
    const cookie = r.headers.get('set-cookie')!;
    assert.match(cookie, /^rampart_console=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/);
    const again = await c.send('/api/session');
    assert.equal(again.status, 200);
    assert.equal(again.body['CsrfToken'], r.body['CsrfToken']);
  });

  it('refuses a wrong secret, an unknown key and a RAM user\'s key alike, and records the failure', async () => {
    const key = await admin.call('ram', 'CreateAccessKey', { UserName: 'alice' });
    const aliceKey = key.body['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
    for (const [id, secret] of [
      [ROOT.accessKeyId, 'wrong'],
      ['LTAI5tNoSuchKey000000000', ROOT.accessKeySecret],
      [aliceKey.AccessKeyId, aliceKey.AccessKeySecret],
    ] as const) {
      const r = await new ConsoleClient(base).signInRoot(id, secret);
      assert.equal(r.status, 401);
      assert.equal(r.body['Code'], 'SignIn.Failed');
      assert.equal(r.headers.get('set-cookie'), null);
    }
    const failed = server.audited.filter((e) => e.eventName === 'ConsoleSignin' && e.errorCode === 'SignIn.Failed' && e.caller.type === 'Account');
    assert.ok(failed.length >= 1);
    assert.equal(failed[0]!.eventType, 'ConsoleSignin');
    assert.ok(!JSON.stringify(server.audited).includes(aliceKey.AccessKeySecret), 'no secret in the trail');
  });

  it('signs a RAM user in with its password; its calls run as it, refused where no policy allows', async () => {
    const c = new ConsoleClient(base);
    const r = await c.signInUser(ROOT.accountId, 'alice', PASSWORD);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal((r.body['Identity'] as { UserName: string }).UserName, 'alice');
    // The account may be named by its alias too.
    assert.equal((await admin.call('ram', 'SetAccountAlias', { AccountAlias: 'door-test' })).status, 200);
    assert.equal((await new ConsoleClient(base).signInUser('door-test', 'alice', PASSWORD)).status, 200);
    assert.equal((await new ConsoleClient(base).signInUser('no-such-alias', 'alice', PASSWORD)).body['Code'], 'SignIn.Failed');
    const denied = await c.call('ram', 'ListUsers');
    assert.equal(denied.status, 403);
    assert.equal(denied.body['Code'], 'NoPermission');
    assert.ok(denied.body['AccessDeniedDetail'], 'the refusal explains itself');
    const event = server.audited.findLast((e) => e.eventName === 'ListUsers')!;
    assert.equal(event.eventType, 'ConsoleOperation');
    assert.equal(event.caller.type, 'RAMUser');
    assert.equal(event.errorCode, 'NoPermission');

    assert.equal((await admin.call('ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess', UserName: 'alice' })).status, 200);
    const allowed = await c.call('ram', 'ListUsers');
    assert.equal(allowed.status, 200);
    assert.ok(JSON.stringify(allowed.body).includes('mallory'));
    const success = server.audited.filter((e) => e.eventName === 'ConsoleSignin' && e.caller.type === 'RAMUser' && e.errorCode === undefined);
    assert.ok(success.length >= 1);
    assert.ok(!JSON.stringify(server.audited).includes(PASSWORD), 'no password in the trail, from CreateLoginProfile or a sign-in');
  });

  it('refuses a change without the session\'s CSRF token or from another origin, and changes nothing', async () => {
    const c = new ConsoleClient(base);
    await c.signInRoot();
    const token = c.csrf;
    c.csrf = '';
    const none = await c.call('ram', 'CreateUser', { UserName: 'csrf-victim' });
    assert.equal(none.status, 403);
    assert.equal(none.body['Code'], 'ConsoleSession.CsrfTokenMismatch');
    c.csrf = `${token.slice(0, -2)}xx`;
    assert.equal((await c.call('ram', 'CreateUser', { UserName: 'csrf-victim' })).body['Code'], 'ConsoleSession.CsrfTokenMismatch');
    c.csrf = token;
    const foreign = await c.send('/api/call', { body: { Product: 'ram', Version: '2015-05-01', Action: 'CreateUser', Params: { UserName: 'csrf-victim' } }, headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body['Code'], 'ConsoleSession.CrossOrigin');
    const signin = await new ConsoleClient(base).send('/api/signin', { body: { Kind: 'root', AccessKeyId: ROOT.accessKeyId, AccessKeySecret: ROOT.accessKeySecret }, headers: { origin: 'https://evil.example' } });
    assert.equal(signin.status, 403);
    const users = await admin.call('ram', 'ListUsers');
    assert.ok(!JSON.stringify(users.body).includes('csrf-victim'));
  });

  it('throttles a user after repeated failures, even with the right password, and says so', async () => {
    const c = new ConsoleClient(base);
    for (let i = 0; i < 5; i++) assert.equal((await c.signInUser(ROOT.accountId, 'mallory', `wrong-${i}`)).body['Code'], 'SignIn.Failed');
    const r = await c.signInUser(ROOT.accountId, 'mallory', PASSWORD);
    assert.equal(r.status, 429);
    assert.equal(r.body['Code'], 'SignIn.Throttled');
    assert.equal(r.headers.get('set-cookie'), null);
    assert.equal((await new ConsoleClient(base).signInUser(ROOT.accountId, 'alice', PASSWORD)).status, 200, 'another user from the same address still may');
  });

  it('ends the session when its key is disabled or its user deleted, and at sign-out', async () => {
    const c = new ConsoleClient(base);
    assert.equal((await c.signInUser(ROOT.accountId, 'alice', PASSWORD)).status, 200);
    assert.equal((await c.send('/api/signout', { body: {} })).status, 200);
    const after = await c.call('ram', 'ListUsers');
    assert.equal(after.status, 401);
    assert.equal(after.body['Code'], 'ConsoleSession.Required');
    assert.ok(server.audited.some((e) => e.eventName === 'ConsoleSignout'));

    await admin.call('ram', 'CreateUser', { UserName: 'temp' });
    await admin.call('ram', 'CreateLoginProfile', { UserName: 'temp', Password: PASSWORD });
    const t = new ConsoleClient(base);
    assert.equal((await t.signInUser(ROOT.accountId, 'temp', PASSWORD)).status, 200);
    await admin.call('ram', 'DeleteLoginProfile', { UserName: 'temp' });
    assert.equal((await t.send('/api/session')).body['SignedIn'], false, 'no login profile, no session');
    assert.equal((await t.call('ram', 'GetUser', { UserName: 'temp' })).body['Code'], 'ConsoleSession.Required');
  });

  it('switches into a role without handing its credentials to the page, and a revoked role session ends the switch', async () => {
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
    assert.equal((await admin.call('ram', 'CreateRole', { RoleName: 'reader', AssumeRolePolicyDocument: trust })).status, 200);
    await admin.call('ram', 'AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess', RoleName: 'reader' });
    // As in the real STS, a root may not assume roles: a RAM user switches.
    await admin.call('ram', 'CreateUser', { UserName: 'switcher' });
    await admin.call('ram', 'CreateLoginProfile', { UserName: 'switcher', Password: PASSWORD });
    await admin.call('ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'switcher' });
    const c = new ConsoleClient(base);
    assert.equal((await c.signInUser(ROOT.accountId, 'switcher', PASSWORD)).status, 200);
    const notAssume = await c.send('/api/call', { body: { Product: 'ram', Version: '2015-05-01', Action: 'ListUsers', Params: {}, Switch: true } });
    assert.equal(notAssume.status, 400);
    const switched = await c.send('/api/call', { body: { Product: 'sts', Version: '2015-04-01', Action: 'AssumeRole', Params: { RoleArn: `acs:ram::${ROOT.accountId}:role/reader`, RoleSessionName: 'console-test' }, Switch: true } });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.deepEqual(Object.keys(switched.body).sort(), ['Identity', 'RequestId']);
    assert.equal((switched.body['Identity'] as { RoleName: string }).RoleName, 'reader');
    const session = await c.send('/api/session');
    assert.equal((session.body['SignedInAs'] as { UserName: string }).UserName, 'switcher');
    assert.equal((await c.call('ram', 'ListUsers')).status, 200, 'the role may read users; switcher itself may not');
    assert.equal((await c.call('ram', 'CreateUser', { UserName: 'via-role' })).body['Code'], 'NoPermission');

    // Revoking the role's sessions ends the console's too: the next call says so, then runs as switcher again.
    assert.equal((await admin.call('ram', 'RevokeRoleSessions', { RoleName: 'reader' })).status, 200);
    const ended = await c.call('ram', 'ListUsers');
    assert.equal(ended.status, 401);
    assert.equal(ended.body['Code'], 'ConsoleSession.RoleSessionEnded');
    assert.equal(((await c.send('/api/session')).body['Identity'] as { Type: string }).Type, 'RAMUser');

    await c.send('/api/call', { body: { Product: 'sts', Version: '2015-04-01', Action: 'AssumeRole', Params: { RoleArn: `acs:ram::${ROOT.accountId}:role/reader`, RoleSessionName: 'again' }, Switch: true } });
    const back = await c.send('/api/switch-back', { body: {} });
    assert.equal((back.body['Identity'] as { Type: string }).Type, 'RAMUser');
    assert.equal(back.body['SignedInAs'], undefined);
  });

  it('holds a user whose password must be reset to ChangePassword, then lets it on with the new one', async () => {
    await admin.call('ram', 'CreateUser', { UserName: 'newbie' });
    await admin.call('ram', 'CreateLoginProfile', { UserName: 'newbie', Password: PASSWORD, PasswordResetRequired: 'true' });
    await admin.call('ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess', UserName: 'newbie' });
    const c = new ConsoleClient(base);
    const signedIn = await c.signInUser(ROOT.accountId, 'newbie', PASSWORD);
    assert.equal(signedIn.body['PasswordResetRequired'], true);
    assert.equal((await c.call('ram', 'ListUsers')).body['Code'], 'ConsoleSession.PasswordResetRequired');
    assert.equal((await c.call('ram', 'ChangePassword', { OldPassword: 'not-it', NewPassword: 'Brand-New-Pass2' })).body['Code'], 'InvalidParameter.OldPassword');
    assert.equal((await c.call('ram', 'ChangePassword', { OldPassword: PASSWORD, NewPassword: 'weak' })).body['Code'], 'InvalidParameter.Password.TooWeak');
    assert.equal((await c.call('ram', 'ChangePassword', { OldPassword: PASSWORD, NewPassword: 'Brand-New-Pass2' })).status, 200);
    assert.equal((await c.call('ram', 'ListUsers')).status, 200, 'the session goes on, with the user\'s own rights');
    assert.equal((await c.send('/api/session')).body['PasswordResetRequired'], false);
    const profile = await admin.call('ram', 'GetLoginProfile', { UserName: 'newbie' });
    assert.equal((profile.body['LoginProfile'] as { PasswordResetRequired: boolean }).PasswordResetRequired, false);
    assert.equal((await new ConsoleClient(base).signInUser(ROOT.accountId, 'newbie', PASSWORD)).status, 401, 'the old password is gone');
    assert.equal((await new ConsoleClient(base).signInUser(ROOT.accountId, 'newbie', 'Brand-New-Pass2')).status, 200);
    assert.equal((await admin.call('ram', 'ChangePassword', { OldPassword: 'x', NewPassword: 'Brand-New-Pass2' })).body['Code'], 'NoPermission', 'for RAM users only');
    assert.ok(!JSON.stringify(server.audited).includes('Brand-New-Pass2'), 'never in the trail');
  });

  it('asks a user with a bound MFA device for its code; the session then has acs:MFAPresent, and a code works once', async () => {
    await admin.call('ram', 'CreateUser', { UserName: 'careful' });
    await admin.call('ram', 'CreateLoginProfile', { UserName: 'careful', Password: PASSWORD });
    const doc = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*', Condition: { Bool: { 'acs:MFAPresent': 'true' } } }] });
    await admin.call('ram', 'CreatePolicy', { PolicyName: 'ListWithMfa', PolicyDocument: doc });
    await admin.call('ram', 'AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'ListWithMfa', UserName: 'careful' });

    // Before a device is bound: no code asked, and no MFA in the session.
    const before = new ConsoleClient(base);
    assert.equal((await before.signInUser(ROOT.accountId, 'careful', PASSWORD)).body['MFAPresent'], false);
    assert.equal((await before.call('ram', 'ListUsers')).body['Code'], 'NoPermission');

    const made = (await admin.call('ram', 'CreateVirtualMFADevice', { VirtualMFADeviceName: 'careful' })).body['VirtualMFADevice'] as Record<string, string>;
    const seed = made['Base32StringSeed']!;
    const now = Date.now();
    const bound = await admin.call('ram', 'BindMFADevice', { SerialNumber: made['SerialNumber']!, UserName: 'careful', AuthenticationCode1: totp(seed, now - 30_000), AuthenticationCode2: totp(seed, now) });
    assert.equal(bound.status, 200, JSON.stringify(bound.body));

    const c = new ConsoleClient(base);
    const asked = await c.signInUser(ROOT.accountId, 'careful', PASSWORD);
    assert.equal(asked.status, 401);
    assert.equal(asked.body['Code'], 'SignIn.MFARequired');
    assert.equal(asked.headers.get('set-cookie'), null);
    const send = (code: string) => c.send('/api/signin', { body: { Kind: 'user', Account: ROOT.accountId, UserName: 'careful', Password: PASSWORD, MFACode: code } });
    const wrong = totp(seed, now + 3_600_000);
    assert.equal((await send(wrong === totp(seed, Date.now()) ? '000000' : wrong)).body['Code'], 'SignIn.Failed');
    const code = totp(seed, Date.now());
    const ok = await send(code);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body['MFAPresent'], true);
    assert.equal((await c.call('ram', 'ListUsers')).status, 200, 'the MFA condition holds for this session');
    assert.equal((await new ConsoleClient(base).send('/api/signin', { body: { Kind: 'user', Account: ROOT.accountId, UserName: 'careful', Password: PASSWORD, MFACode: code } })).body['Code'], 'SignIn.Failed', 'a code signs in once');
    const signins = server.audited.filter((e) => e.eventName === 'ConsoleSignin' && e.caller.type === 'RAMUser' && e.caller.userName === 'careful' && e.errorCode === undefined);
    assert.equal(signins.at(-1)?.additionalEventData?.['isMFAChecked'], 'true');
    assert.ok(!JSON.stringify(server.audited).includes(seed));
  });

  it('runs OSS operations as the signed-in principal: buckets, objects, listing; downloads never run in the console', async () => {
    const oss = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => admin.send(`/api/oss${path}`, { method: init.method ?? 'GET', ...(init.body !== undefined ? { body: init.body } : {}), ...(init.headers ? { headers: init.headers } : {}) });
    assert.equal((await oss('/console-bucket', { method: 'PUT' })).status, 200);
    const put = await oss('/console-bucket/docs/readme.html', { method: 'PUT', body: '<script>alert(1)</script>', headers: { 'content-type': 'text/html' } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const got = await admin.send('/api/oss/console-bucket/docs/readme.html');
    assert.equal(got.body['text'], '<script>alert(1)</script>');
    assert.equal(got.headers.get('content-disposition'), 'attachment');
    assert.match(got.headers.get('content-security-policy')!, /sandbox/);
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    const listed = String((await oss('/console-bucket?list-type=2&prefix=docs%2F&delimiter=%2F')).body['text']);
    assert.match(listed, /<Key>docs\/readme\.html<\/Key>/);
    const event = server.audited.findLast((e) => e.eventName === 'PutObject')!;
    assert.equal(event.eventType, 'ConsoleOperation');

    // A change without the CSRF token changes nothing; a user without OSS rights is refused in OSS's words.
    const token = admin.csrf;
    admin.csrf = '';
    const refused = await oss('/console-bucket/docs/readme.html', { method: 'DELETE' });
    admin.csrf = token;
    assert.equal(refused.status, 403);
    assert.match(String(refused.body['text']), /<Code>ConsoleSession\.CsrfTokenMismatch<\/Code>/);
    assert.equal((await admin.send('/api/oss/console-bucket/docs/readme.html')).status, 200, 'still there');
    const alice = new ConsoleClient(base);
    await alice.signInUser(ROOT.accountId, 'alice', PASSWORD);
    const denied = await alice.send('/api/oss/console-bucket/docs/readme.html');
    assert.equal(denied.status, 403);
    assert.match(String(denied.body['text']), /<Code>AccessDenied<\/Code>/);

    // A shareable link: anyone may read the object with it, until it expires, as its maker may.
    const made = await admin.send('/api/oss-link', { body: { Bucket: 'console-bucket', Key: 'docs/readme.html', Expires: 300 } });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const url = String(made.body['Url']);
    assert.ok(url.startsWith(`${base}/api/oss-link/`));
    const followed = await fetch(url);
    assert.equal(followed.status, 200);
    assert.equal(await followed.text(), '<script>alert(1)</script>');
    assert.equal(followed.headers.get('content-disposition'), 'attachment');
    const tampered = await fetch(`${url.slice(0, -3)}${url.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    assert.equal(tampered.status, 403);
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 403, 'a link only reads');
    assert.equal((await admin.send('/api/oss-link', { body: { Bucket: 'console-bucket', Key: 'docs/readme.html', Expires: 999_999_999 } })).status, 400);
    const aliceLink = await alice.send('/api/oss-link', { body: { Bucket: 'console-bucket', Key: 'docs/readme.html', Expires: 300 } });
    assert.equal((await fetch(String(aliceLink.body['Url']))).status, 403, 'the maker may not read it, so neither may the link');

    assert.equal((await oss('/console-bucket/docs/readme.html', { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(url)).status, 404, 'the link reads what is there now');
    assert.equal((await admin.send('/api/oss/console-bucket/docs/readme.html')).status, 404);
  });

  it('answers malformed calls and unknown actions with the API\'s errors', async () => {
    const bad = await admin.send('/api/call', { body: '{"Version":' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body['Code'], 'InvalidParameter');
    assert.ok(bad.body['RequestId']);
    const unknown = await admin.call('ram', 'NoSuchAction');
    assert.equal(unknown.body['Code'], 'InvalidAction.NotFound');
    const extra = await admin.call('ram', 'ListUsers', { Unheard: 'x' });
    assert.equal(extra.status, 400);
    const route = await admin.send('/api/nothing');
    assert.equal(route.status, 404);
    assert.equal(route.body['Code'], 'NotFound');
  });

  it('serves the built pages with a strict CSP, long caching for hashed assets and none for the page', async () => {
    const page = await fetch(base);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /script-src 'self'; /);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(new URL(asset, base));
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(new URL('/users/alice', base))).headers.get('content-type'), 'text/html;charset=utf-8', 'app paths get the page');
    assert.equal((await fetch(new URL('/missing.js', base))).status, 404);
    assert.equal((await fetch(base, { method: 'DELETE' })).status, 405);
  });
});
