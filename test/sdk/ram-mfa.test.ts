// Virtual MFA devices and the account alias through the unmodified @alicloud/ram20150501: made with a seed and a QR code,
// bound by two consecutive codes an authenticator app would show, looked up, unbound, deleted.
// An AccessKey's calls never have acs:MFAPresent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { totp } from '../../src/auth/totp.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type RamCall } from './ram-client.js';

let server: TestServer;
let ram: RamCall;
before(async () => {
  server = await startTestServer();
  ram = ramClient(server.apiHost, ROOT);
});
after(() => server.stop());

async function expectCode(call: Promise<unknown>, status: number, code: string): Promise<void> {
  const e = await ramError(call);
  assert.equal(e.code, code, e.message);
  assert.equal(e.statusCode, status, e.message);
}

test('a virtual MFA device is made, bound by two consecutive codes, looked up, unbound and deleted', async () => {
  const made = (await ram('CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice-phone' }))['VirtualMFADevice'] as Record<string, string>;
  assert.equal(made['SerialNumber'], `acs:ram::${ROOT.accountId}:mfa/alice-phone`);
  const seed = made['Base32StringSeed']!;
  assert.match(seed, /^[A-Z2-7]{32}$/);
  assert.deepEqual([...Buffer.from(made['QRCodePNG']!, 'base64').subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  await expectCode(ram('CreateVirtualMFADevice', { VirtualMFADeviceName: 'alice-phone' }), 409, 'EntityAlreadyExists.VirtualMFADevice');
  assert.ok(!JSON.stringify(server.audited).includes(seed), 'the seed never reaches the trail');

  await ram('CreateUser', { UserName: 'alice' });
  const serial = made['SerialNumber']!;
  const now = Date.now();
  await expectCode(ram('BindMFADevice', { SerialNumber: serial, UserName: 'alice', AuthenticationCode1: totp(seed, now), AuthenticationCode2: totp(seed, now) }), 400, 'InvalidParameter.AuthenticationCode');
  await expectCode(ram('BindMFADevice', { SerialNumber: serial, UserName: 'alice', AuthenticationCode1: '12345', AuthenticationCode2: '123456' }), 400, 'InvalidParameter');
  await ram('BindMFADevice', { SerialNumber: serial, UserName: 'alice', AuthenticationCode1: totp(seed, now - 30_000), AuthenticationCode2: totp(seed, now) });

  assert.deepEqual((await ram('GetUserMFAInfo', { UserName: 'alice' }))['MFADevice'], { SerialNumber: serial, Type: 'VMFA' });
  const listed = ((await ram('ListVirtualMFADevices'))['VirtualMFADevices'] as { VirtualMFADevice: Record<string, unknown>[] }).VirtualMFADevice;
  assert.equal(listed.length, 1);
  assert.equal((listed[0]!['User'] as { UserName: string }).UserName, 'alice');
  assert.match(String(listed[0]!['ActivateDate']), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

  await ram('CreateVirtualMFADevice', { VirtualMFADeviceName: 'spare' });
  const spare = `acs:ram::${ROOT.accountId}:mfa/spare`;
  await expectCode(ram('BindMFADevice', { SerialNumber: spare, UserName: 'alice', AuthenticationCode1: '000000', AuthenticationCode2: '000000' }), 409, 'EntityAlreadyExists.User.MFADevice');
  await expectCode(ram('DeleteVirtualMFADevice', { SerialNumber: serial }), 409, 'DeleteConflict.VirtualMFADevice.User');

  await expectCode(ram('DeleteUser', { UserName: 'alice' }), 409, 'DeleteConflict.User.MFADevice');
  assert.deepEqual((await ram('UnbindMFADevice', { UserName: 'alice' }))['MFADevice'], { SerialNumber: serial });
  await expectCode(ram('GetUserMFAInfo', { UserName: 'alice' }), 404, 'EntityNotExist.User.MFADevice');
  await ram('DeleteVirtualMFADevice', { SerialNumber: serial });
  await expectCode(ram('DeleteVirtualMFADevice', { SerialNumber: serial }), 404, 'EntityNotExist.VirtualMFADevice');
});

test('an AccessKey never has acs:MFAPresent, whatever device its user has', async () => {
  await ram('CreateUser', { UserName: 'bob' });
  const key = (await ram('CreateAccessKey', { UserName: 'bob' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
  const doc = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:ListUsers', Resource: '*', Condition: { Bool: { 'acs:MFAPresent': 'true' } } }] });
  await ram('CreatePolicy', { PolicyName: 'ListWithMfa', PolicyDocument: doc });
  await ram('AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'ListWithMfa', UserName: 'bob' });
  const made = (await ram('CreateVirtualMFADevice', { VirtualMFADeviceName: 'bob-phone' }))['VirtualMFADevice'] as Record<string, string>;
  const now = Date.now();
  await ram('BindMFADevice', { SerialNumber: made['SerialNumber'], UserName: 'bob', AuthenticationCode1: totp(made['Base32StringSeed']!, now - 30_000), AuthenticationCode2: totp(made['Base32StringSeed']!, now) });
  await expectCode(ramClient(server.apiHost, { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret })('ListUsers'), 403, 'NoPermission');
});

test('the account alias: set, read, taken by nobody else, cleared', async () => {
  const { createAccount } = await import('../../src/server/index.js');
  assert.equal((await ram('GetAccountAlias'))['AccountAlias'], '');
  await ram('SetAccountAlias', { AccountAlias: 'acme-prod' });
  assert.equal((await ram('GetAccountAlias'))['AccountAlias'], 'acme-prod');
  for (const bad of ['ab', '-acme', 'acme-', 'Acme', 'acme_prod']) {
    const e = await ramError(ram('SetAccountAlias', { AccountAlias: bad }));
    assert.equal(e.statusCode, 400, bad);
    assert.match(String(e.code), /^InvalidParameter\.AccountAlias\./, bad);
  }
  const other = await createAccount(server.store, new Date());
  const theirs = ramClient(server.apiHost, { accessKeyId: other.AccessKeyId, accessKeySecret: other.AccessKeySecret });
  await expectCode(theirs('SetAccountAlias', { AccountAlias: 'acme-prod' }), 409, 'EntityAlreadyExists.AccountAlias');
  await ram('SetAccountAlias', { AccountAlias: 'acme' });
  await theirs('SetAccountAlias', { AccountAlias: 'acme-prod' });
  assert.equal((await theirs('GetAccountAlias'))['AccountAlias'], 'acme-prod', 'an alias let go of is free again');
  await ram('ClearAccountAlias');
  assert.equal((await ram('GetAccountAlias'))['AccountAlias'], '');
  await theirs('SetAccountAlias', { AccountAlias: 'acme' });
});
