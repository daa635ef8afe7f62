// The seed's console workflows in a real browser against a real Rampart: the console is driven the
// way a person drives it (labels, buttons), and what it made is then used by an official SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { totp } from '../../src/auth/totp.js';
import { createAccount } from '../../src/server/index.js';
import { browserMissing, launchChromium, pageErrors, screenshot } from '../helpers/browser.js';
import { ConsoleClient } from '../helpers/console.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { sessionOf, stsV3 } from '../sdk/sts-client.js';

const missing = browserMissing();

/** A new browser context signed in as the account root through the sign-in page. */
async function rootPage(browser: Browser, consoleUrl: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const errors = pageErrors(page);
  await page.goto(consoleUrl);
  await page.getByRole('tab', { name: 'Account root (AccessKey)' }).click();
  await page.getByLabel('AccessKey ID').fill(ROOT.accessKeyId);
  await page.getByLabel('AccessKey secret').fill(ROOT.accessKeySecret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('identity').waitFor();
  return { page, errors };
}

/** Attaches a system policy with the "Attach policy" form of a user, group or role page. */
async function attachPolicy(page: Page, policy: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Attach policy' });
  await form.getByLabel('Policy to attach').selectOption(`System:${policy}`);
  await form.getByRole('button', { name: 'Attach' }).click();
  await page.getByRole('cell', { name: policy, exact: true }).waitFor();
}

describe('console in Chromium: the seed flows', { skip: missing }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    server = await startTestServer({ console: { host: '127.0.0.1', port: 0 } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });


  it('(a) a user with an AccessKey, a role trusting the account, the policies; the SDK then assumes the role', async () => {
    ({ page, errors } = await rootPage(browser, server.endpoints.console!));
    assert.equal(await page.getByTestId('identity').textContent(), `root @ ${ROOT.accountId}`);

    // The user, with an AccessKey whose secret the page shows once.
    const create = page.getByRole('form', { name: 'Create user' });
    await create.getByLabel('User name').fill('appserver');
    await create.getByRole('button', { name: 'Create user' }).click();
    const accessKeyId = (await page.getByTestId('new-access-key-id').textContent())!;
    const accessKeySecret = (await page.getByTestId('new-access-key-secret').textContent())!;
    assert.match(accessKeyId, /^LTAI/);
    await screenshot(page, 'users-new-key');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    assert.equal(await page.getByTestId('new-access-key-secret').count(), 0, 'the secret is gone from the page once dismissed');
    assert.ok(!(await page.content()).includes(accessKeySecret));

    // The role, trusting this account, with its ARN to copy.
    await page.getByRole('link', { name: 'Roles' }).click();
    const wizard = page.getByRole('form', { name: 'Create role' });
    await wizard.getByLabel('Role name').fill('appserverrole');
    await wizard.getByRole('button', { name: 'Create role' }).click();
    const roleArn = (await page.getByTestId('new-role-arn').textContent())!;
    assert.equal(roleArn, `acs:ram::${ROOT.accountId}:role/appserverrole`);
    await screenshot(page, 'roles-created');

    // AliyunOSSFullAccess on the role, AliyunSTSAssumeRoleAccess on the user.
    await page.getByRole('link', { name: 'appserverrole' }).click();
    await attachPolicy(page, 'AliyunOSSFullAccess');
    await screenshot(page, 'role-detail');
    await page.goto(`${server.endpoints.console!}#/users/appserver`);
    await attachPolicy(page, 'AliyunSTSAssumeRoleAccess');
    await screenshot(page, 'user-detail');

    // The official SDK, with the AccessKey copied from the page.
    const sts = stsV3(server.apiHost, { accessKeyId, accessKeySecret });
    const session = sessionOf(await sts.assumeRole({ RoleArn: roleArn, RoleSessionName: 'appserver' }));
    assert.match(session.accessKeyId, /^STS\./);
    assert.equal(session.assumedRoleUser.Arn, `acs:ram::${ROOT.accountId}:role/appserverrole/appserver`);

    // Each console action was audited as a console operation by the root.
    const ops = server.audited.filter((e) => e.eventType === 'ConsoleOperation').map((e) => e.eventName);
    for (const name of ['CreateUser', 'CreateAccessKey', 'CreateRole', 'AttachPolicyToRole', 'AttachPolicyToUser']) assert.ok(ops.includes(name), `${name} audited`);
    assert.deepEqual(errors, [], 'no console errors');
  });

  it('shows the operation records, and a RAM user sees the refusal with its explanation', async () => {
    await page.getByRole('link', { name: 'Operation records' }).click();
    await page.getByRole('button', { name: /Ram CreateRole/ }).first().waitFor();
    await screenshot(page, 'audit');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();

    // A password for appserver, set by the root through the API; appserver may not list users.
    const admin = new ConsoleClient(server.endpoints.console!);
    await admin.signInRoot();
    assert.equal((await admin.call('ram', 'CreateLoginProfile', { UserName: 'appserver', Password: 'Appserver-Pass1' })).status, 200);

    await page.getByLabel('Account alias or ID').fill(ROOT.accountId);
    await page.getByLabel('User name').fill('appserver');
    await page.getByLabel('Password').fill('Appserver-Pass1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.equal(await page.getByTestId('identity').textContent(), `appserver @ ${ROOT.accountId}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = (await alert.textContent())!;
    assert.match(text, /You are not authorized/);
    assert.match(text, /NoPermission/);
    await screenshot(page, 'denied');
  });

  it('buckets: create one, upload with progress, browse by prefix, download, delete', async () => {
    ({ page, errors } = await rootPage(browser, server.endpoints.console!));
    await page.getByRole('link', { name: 'Buckets' }).click();
    const create = page.getByRole('form', { name: 'Create bucket' });
    await create.getByLabel('Bucket name').fill('device-drops');
    await create.getByRole('button', { name: 'Create bucket' }).click();
    await page.getByRole('link', { name: 'device-drops' }).click();
    await page.getByLabel('Upload a file here').setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from the browser') });
    await page.getByRole('cell', { name: 'hello.txt', exact: true }).waitFor();
    assert.equal(await page.getByLabel('Upload progress').getAttribute('value'), '1');

    // An object under a prefix (put with the API), reached by opening its folder.
    const admin = new ConsoleClient(server.endpoints.console!);
    await admin.signInRoot();
    assert.equal((await admin.send('/api/oss/device-drops/d-001/photo.jpg', { method: 'PUT', body: 'jpeg bytes' })).status, 200);
    await page.reload();
    await page.getByRole('button', { name: 'd-001/' }).click();
    await page.getByTestId('prefix').filter({ hasText: 'In d-001/' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download' }).click()]);
    const { readFile } = await import('node:fs/promises');
    assert.equal(await readFile((await download.path())!, 'utf8'), 'jpeg bytes');
    await page.getByRole('button', { name: 'Link to photo.jpg' }).click();
    const link = (await page.getByTestId('object-link').textContent())!;
    assert.equal(await (await fetch(link)).text(), 'jpeg bytes', 'the link reads the object with no session');
    await screenshot(page, 'bucket-browser');
    await page.getByRole('button', { name: 'Delete photo.jpg' }).click();
    await page.getByRole('cell', { name: 'photo.jpg', exact: true }).waitFor({ state: 'detached' });
    assert.equal((await admin.send('/api/oss/device-drops/d-001/photo.jpg')).status, 404);
    assert.ok(server.audited.some((e) => e.eventName === 'PutObject' && e.eventType === 'ConsoleOperation' && e.caller.type === 'Account'));
    assert.deepEqual(errors, []);
  });

  it('works by keyboard alone and on a phone-sized screen', async () => {
    const small = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await small.newPage();
    const phoneErrors = pageErrors(phone);
    await phone.goto(server.endpoints.console!);
    // The root tab chosen with Enter, the form filled by typing and Tab, and sent with Enter.
    await phone.getByRole('tab', { name: 'Account root (AccessKey)' }).focus();
    await phone.keyboard.press('Enter');
    await phone.getByLabel('AccessKey ID').focus();
    await phone.keyboard.type(ROOT.accessKeyId);
    await phone.keyboard.press('Tab');
    await phone.keyboard.type(ROOT.accessKeySecret);
    await phone.keyboard.press('Enter');
    await phone.getByTestId('identity').waitFor();
    const width = await phone.locator('html').evaluate((html) => (html as unknown as { scrollWidth: number }).scrollWidth);
    assert.ok(width <= 400, `no sideways scrolling on a phone (${width}px)`);
    await screenshot(phone, 'phone');
    assert.deepEqual(phoneErrors, []);
    await small.close();
  });
});

describe('console in Chromium: instances and switching roles', { skip: missing }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let admin: ConsoleClient;
  const PASSWORD = 'Operator-Pass1';

  before(async () => {
    server = await startTestServer({ console: { host: '127.0.0.1', port: 0 } });
    browser = await launchChromium();
    page = await browser.newPage();
    errors = pageErrors(page);
    admin = new ConsoleClient(server.endpoints.console!);
    await admin.signInRoot();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function ok(client: ConsoleClient, product: string, action: string, params: Record<string, string>) {
    const r = await client.call(product, action, params);
    assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async function signInAsUser(account: string, userName: string, password: string): Promise<void> {
    const context = await browser.newContext();
    page = await context.newPage();
    errors = pageErrors(page);
    await page.goto(server.endpoints.console!);
    await page.getByLabel('Account alias or ID').fill(account);
    await page.getByLabel('User name').fill(userName);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Signed in: the header, or first the change of password a new user may be asked for.
    await page.getByTestId('identity').or(page.getByRole('form', { name: 'Change password' })).waitFor();
  }

  it('(b) an operator without PassRole is refused attaching a role to an instance; given it, succeeds', async () => {
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] });
    await ok(admin, 'ram', 'CreateRole', { RoleName: 'webrole', AssumeRolePolicyDocument: trust });
    await ok(admin, 'ram', 'CreateUser', { UserName: 'operator' });
    await ok(admin, 'ram', 'CreateLoginProfile', { UserName: 'operator', Password: PASSWORD });
    await ok(admin, 'ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunECSFullAccess', UserName: 'operator' });
    await ok(admin, 'ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess', UserName: 'operator' });

    await signInAsUser(ROOT.accountId, 'operator', PASSWORD);
    await page.getByRole('link', { name: 'ECS instances' }).click();
    const register = page.getByRole('form', { name: 'Register instance' });
    await register.getByLabel('Instance name').fill('web-1');
    await register.getByRole('button', { name: 'Register instance' }).click();
    const attach = page.getByRole('form', { name: 'Attach role to web-1' });
    await attach.getByLabel('Role').selectOption('webrole');
    await attach.getByRole('button', { name: 'Attach role' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /You are not authorized.*InvalidUser\.PassRoleForbidden/s);
    await screenshot(page, 'instances-passrole-refused');
    assert.equal(await page.getByRole('button', { name: 'Detach role' }).count(), 0, 'nothing attached');

    // The administrator gives the operator PassRole on that role, and the same click succeeds.
    const passRole = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:PassRole', Resource: `acs:ram::${ROOT.accountId}:role/webrole` }] });
    await ok(admin, 'ram', 'CreatePolicy', { PolicyName: 'PassWebRole', PolicyDocument: passRole });
    await ok(admin, 'ram', 'AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'PassWebRole', UserName: 'operator' });
    await attach.getByRole('button', { name: 'Attach role' }).click();
    await page.getByRole('button', { name: 'Detach role' }).waitFor();
    assert.match((await page.getByTestId('role-of-web-1').textContent())!, /^webrole/);
    await screenshot(page, 'instances-role-attached');
    const attachments = server.audited.filter((e) => e.eventName === 'AttachInstanceRamRole');
    assert.deepEqual(attachments.map((e) => e.errorCode), ['InvalidUser.PassRoleForbidden', undefined]);
    assert.ok(attachments[0]!.checks?.some((c) => c.permission === 'ram:PassRole' && c.effect !== 'Allow'), 'the refusal names ram:PassRole');
    assert.ok(attachments.every((e) => e.eventType === 'ConsoleOperation' && e.caller.type === 'RAMUser'));
  });

  it("(c) a partner's user switches into the role this account trusts, sees only what it allows, and the trail shows the session", async () => {
    const partner = await createAccount(server.store, new Date());
    const partnerAdmin = new ConsoleClient(server.endpoints.console!);
    assert.equal((await partnerAdmin.signInRoot(partner.AccessKeyId, partner.AccessKeySecret)).status, 200);
    await ok(partnerAdmin, 'ram', 'CreateUser', { UserName: 'dev' });
    await ok(partnerAdmin, 'ram', 'CreateLoginProfile', { UserName: 'dev', Password: PASSWORD });
    await ok(partnerAdmin, 'ram', 'AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'dev' });
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${partner.AccountId}:root`] } }] });
    await ok(admin, 'ram', 'CreateRole', { RoleName: 'partner-readonly', AssumeRolePolicyDocument: trust });
    await ok(admin, 'ram', 'AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess', RoleName: 'partner-readonly' });

    await signInAsUser(partner.AccountId, 'dev', PASSWORD);
    await page.getByRole('link', { name: 'Switch role' }).click();
    const form = page.getByRole('form', { name: 'Switch role' });
    await form.getByLabel('Account ID of the role').fill(ROOT.accountId);
    await form.getByLabel('Role name').fill('partner-readonly');
    await form.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('button', { name: 'Back to my identity' }).waitFor();
    assert.equal(await page.getByTestId('identity').textContent(), `partner-readonly @ ${ROOT.accountId} (via dev @ ${partner.AccountId})`);

    // The role may read the first account's users, not create one.
    await page.getByRole('cell', { name: 'operator', exact: true }).waitFor();
    const create = page.getByRole('form', { name: 'Create user' });
    await create.getByLabel('User name').fill('intruder');
    await create.getByLabel('Generate an AccessKey').uncheck();
    await create.getByRole('button', { name: 'Create user' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent())!, /You are not authorized.*NoPermission/s);
    await screenshot(page, 'switched-role');
    assert.ok(!JSON.stringify((await ok(admin, 'ram', 'ListUsers', {}))).includes('intruder'));

    // The first account's operation records show the session by its name.
    await page.getByRole('button', { name: 'Back to my identity' }).click();
    await page.getByTestId('identity').filter({ hasText: `dev @ ${partner.AccountId}` }).waitFor();
    const events = (await ok(admin, 'actiontrail', 'LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'AssumeRole' }))['Events'] as { userIdentity: { userName: string; accountId: string } }[];
    assert.ok(events.some((e) => e.userIdentity.accountId === partner.AccountId && e.userIdentity.userName === 'dev'), 'the assumption, by the partner\'s user');
    const refused = (await ok(admin, 'actiontrail', 'LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'CreateUser' }))['Events'] as { userIdentity: { userName: string }; errorCode?: string }[];
    assert.ok(refused.some((e) => e.userIdentity.userName === 'partner-readonly:dev' && e.errorCode === 'NoPermission'), 'the refused call, by the role session');
    assert.deepEqual(errors, []);
  });

  it('the policy editor points at the statement and element that are wrong, and a fixed document becomes a policy', async () => {
    ({ page, errors } = await rootPage(browser, server.endpoints.console!));
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByText('Create a custom policy').click();
    const form = page.getByRole('form', { name: 'Create policy' });
    await form.getByLabel('Policy name').fill('device-upload');
    const bad = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:bucket/d-001/*' }, { Effect: 'Alow', Action: 'oss:GetObject', Resource: '*' }] };
    await form.getByLabel('Policy document').fill(JSON.stringify(bad, null, 2));
    const check = page.getByTestId('policy-check');
    await check.filter({ hasText: /^Statement\[1\]\.Effect: must be "Allow" or "Deny"/ }).waitFor();
    assert.equal(await form.getByLabel('Policy document').getAttribute('aria-invalid'), 'true');
    assert.equal(await form.getByRole('button', { name: 'Create policy' }).isDisabled(), true);
    await screenshot(page, 'policy-editor-error');
    bad.Statement[1]!.Effect = 'Allow';
    await form.getByLabel('Policy document').fill(JSON.stringify(bad, null, 2));
    await check.filter({ hasText: 'The document is a valid policy.' }).waitFor();
    await form.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { name: 'device-upload (Custom)' }).waitFor();
    await page.getByTestId('default-document').filter({ hasText: 'd-001/*' }).waitFor();
    assert.deepEqual(errors, []);
  });

  it('the simulator answers with the deciding policy and statement, from the principal\'s policies', async () => {
    // Signed in as the root by the test before; operator has PassWebRole from flow (b).
    await page.getByRole('link', { name: 'Simulator' }).click();
    const form = page.getByRole('form', { name: 'Simulate' });
    await form.getByLabel('Principal name').fill('operator');
    await form.getByLabel('Action').fill('ram:PassRole');
    await form.getByLabel('Resource').fill(`acs:ram::${ROOT.accountId}:role/webrole`);
    await form.getByRole('button', { name: 'Simulate' }).click();
    const decision = page.getByTestId('decision');
    await decision.waitFor();
    assert.match((await decision.textContent())!, /^Allow/);
    assert.match((await decision.textContent())!, /Deciding policy: PassWebRole \(Custom, v1\), Statement\[0\]/);
    await screenshot(page, 'simulator');
    await form.getByLabel('Resource').fill(`acs:ram::${ROOT.accountId}:role/other`);
    await form.getByRole('button', { name: 'Simulate' }).click();
    await decision.filter({ hasText: 'ImplicitDeny' }).waitFor();
    assert.deepEqual(errors, []);
  });

  it('a user whose password must be reset is shown only the change of password, then goes on', async () => {
    await ok(admin, 'ram', 'CreateUser', { UserName: 'firstday' });
    await ok(admin, 'ram', 'CreateLoginProfile', { UserName: 'firstday', Password: PASSWORD, PasswordResetRequired: 'true' });
    await signInAsUser(ROOT.accountId, 'firstday', PASSWORD);
    const form = page.getByRole('form', { name: 'Change password' });
    await form.waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Pages' }).count(), 0, 'no other page until the password is changed');
    await form.getByLabel('Current password').fill(PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill('Second-Day-Pass3');
    await form.getByLabel('New password again').fill('Second-Day-Pass3');
    await screenshot(page, 'password-reset');
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByTestId('identity').waitFor();
    assert.equal(await page.getByTestId('identity').textContent(), `firstday @ ${ROOT.accountId}`);
    assert.deepEqual(errors, []);
  });

  it('MFA: the root binds a virtual device to a user in the browser; the user then signs in with its code', async () => {
    await ok(admin, 'ram', 'CreateUser', { UserName: 'mfa-user' });
    await ok(admin, 'ram', 'CreateLoginProfile', { UserName: 'mfa-user', Password: PASSWORD });
    ({ page, errors } = await rootPage(browser, server.endpoints.console!));
    await page.goto(`${server.endpoints.console!}#/users/mfa-user`);
    await page.getByRole('button', { name: 'Add a virtual MFA device' }).click();
    const seed = (await page.getByTestId('mfa-seed').textContent())!;
    assert.match(seed, /^[A-Z2-7]{32}$/);
    assert.equal(await page.getByAltText("QR code of the MFA device's key").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), true, 'the QR code is an image the page shows');
    await screenshot(page, 'mfa-bind');
    const form = page.getByRole('form', { name: 'Bind MFA device' });
    const now = Date.now();
    await form.getByLabel('First code').fill(totp(seed, now - 30_000));
    await form.getByLabel('Next code').fill(totp(seed, now));
    await form.getByRole('button', { name: 'Bind' }).click();
    await page.getByTestId('mfa-serial').filter({ hasText: `acs:ram::${ROOT.accountId}:mfa/mfa-user` }).waitFor();
    assert.equal(await page.getByTestId('mfa-seed').count(), 0, 'the key is gone from the page');

    const userContext = await browser.newContext();
    page = await userContext.newPage();
    errors = pageErrors(page);
    await page.goto(server.endpoints.console!);
    await page.getByLabel('Account alias or ID').fill(ROOT.accountId);
    await page.getByLabel('User name').fill('mfa-user');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('MFA code').waitFor();
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('MFA code').fill(totp(seed, Date.now()));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('identity').filter({ hasText: `mfa-user @ ${ROOT.accountId}` }).waitFor();
    const signin = server.audited.findLast((e) => e.eventName === 'ConsoleSignin' && e.caller.type === 'RAMUser' && e.caller.userName === 'mfa-user' && e.errorCode === undefined);
    assert.equal(signin?.additionalEventData?.['isMFAChecked'], 'true');
    assert.deepEqual(errors, []);
  });

  it('groups and the trust graph: members and policies of a group; who may assume which role and what it may do', async () => {
    ({ page, errors } = await rootPage(browser, server.endpoints.console!));

    await page.getByRole('link', { name: 'Groups' }).click();
    const create = page.getByRole('form', { name: 'Create group' });
    await create.getByLabel('Group name').fill('ops');
    await create.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'ops', exact: true }).click();
    const add = page.getByRole('form', { name: 'Add member' });
    await add.getByLabel('User to add').selectOption('operator');
    await add.getByRole('button', { name: 'Add' }).click();
    await page.getByRole('button', { name: 'Remove' }).waitFor();
    await attachPolicy(page, 'AliyunECSReadOnlyAccess');
    const groups = (await ok(admin, 'ram', 'ListGroupsForUser', { UserName: 'operator' }))['Groups'] as { Group: { GroupName: string }[] };
    assert.deepEqual(groups.Group.map((g) => g.GroupName), ['ops']);

    // The console login of a user: shown, then disabled, and its password no longer signs in.
    await page.goto(`${server.endpoints.console!}#/users/operator`);
    const login = page.getByRole('region', { name: 'Console login' });
    await login.getByText(/^Enabled since /).waitFor();
    await login.getByRole('button', { name: 'Disable console login' }).click();
    await login.getByText('Not enabled: the user cannot sign in to the console.').waitFor();
    assert.equal((await new ConsoleClient(server.endpoints.console!).signInUser(ROOT.accountId, 'operator', PASSWORD)).status, 401);

    await page.getByRole('link', { name: 'Trust graph' }).click();
    const list = page.getByTestId('trust-list');
    await list.getByText(/^partner-readonly: /).waitFor();
    const text = (await list.textContent())!;
    assert.match(text, new RegExp(`partner-readonly: assumed by acs:ram::\\d+:root; may do AliyunRAMReadOnlyAccess`));
    assert.match(text, /webrole: assumed by service ecs\.aliyuncs\.com; may do nothing/);
    assert.equal(await page.getByTestId('trust-graph').locator('text.role').count(), 2);
    await screenshot(page, 'trust-graph');
    assert.deepEqual(errors, []);
  });
});

describe('console in Chromium: sessions end', { skip: missing }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer({ console: { host: '127.0.0.1', port: 0 }, consoleSessions: { idleMs: 1_500 } });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an idle session ends: the next action brings back the sign-in, saying why', async () => {
    const { page, errors } = await rootPage(browser, server.endpoints.console!);
    await new Promise((r) => setTimeout(r, 2_000));
    await page.getByRole('link', { name: 'Roles' }).click();
    await page.getByText('Your session has ended. Sign in again to go on.').waitFor();
    await screenshot(page, 'session-ended');
    assert.equal(await page.getByTestId('identity').count(), 0);
    assert.deepEqual(errors, []);
  });

  it('repeated failed sign-ins are throttled, and the page says so', async () => {
    const page = await browser.newPage();
    await page.goto(server.endpoints.console!);
    await page.getByRole('tab', { name: 'Account root (AccessKey)' }).click();
    for (let i = 0; i < 6; i++) {
      await page.getByLabel('AccessKey ID').fill(ROOT.accessKeyId);
      await page.getByLabel('AccessKey secret').fill(`wrong-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: i < 5 ? 'SignIn.Failed' : 'SignIn.Throttled' }).waitFor();
    }
    assert.match((await page.getByRole('alert').textContent())!, /Too many failed sign-ins/);
    await screenshot(page, 'signin-throttled');
  });
});
