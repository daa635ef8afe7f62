// The seed's console workflows in a real browser against a real Rampart: the console is driven the
// way a person drives it (labels, buttons), and what it made is then used by an official SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserMissing, launchChromium, pageErrors, screenshot } from '../helpers/browser.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { sessionOf, stsV3 } from '../sdk/sts-client.js';

const missing = browserMissing();

describe('console in Chromium: the seed flows', { skip: missing }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  before(async () => {
    server = await startTestServer({ console: { host: '127.0.0.1', port: 0 } });
    browser = await launchChromium();
    page = await browser.newPage();
    errors = pageErrors(page);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signInAsRoot(): Promise<void> {
    await page.goto(server.endpoints.console!);
    await page.getByRole('tab', { name: 'Account root (AccessKey)' }).click();
    await page.getByLabel('AccessKey ID').fill(ROOT.accessKeyId);
    await page.getByLabel('AccessKey secret').fill(ROOT.accessKeySecret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('identity').waitFor();
  }

  async function attach(policy: string): Promise<void> {
    const form = page.getByRole('form', { name: 'Attach policy' });
    await form.getByLabel('Policy to attach').selectOption(`System:${policy}`);
    await form.getByRole('button', { name: 'Attach' }).click();
    await page.getByRole('cell', { name: policy, exact: true }).waitFor();
  }

  it('(a) a user with an AccessKey, a role trusting the account, the policies; the SDK then assumes the role', async () => {
    await signInAsRoot();
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
    await attach('AliyunOSSFullAccess');
    await screenshot(page, 'role-detail');
    await page.goto(`${server.endpoints.console!}#/users/appserver`);
    await attach('AliyunSTSAssumeRoleAccess');
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
    const { ConsoleClient } = await import('../helpers/console.js');
    const admin = new ConsoleClient(server.endpoints.console!);
    await admin.signInRoot();
    assert.equal((await admin.call('ram', 'CreateLoginProfile', { UserName: 'appserver', Password: 'Appserver-Pass1' })).status, 200);

    await page.getByLabel('Account ID').fill(ROOT.accountId);
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
});
