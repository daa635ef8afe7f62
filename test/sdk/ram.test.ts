// RAM through the unmodified @alicloud/ram20150501 (V3) and @alicloud/pop-core (RPC): every
// action family, the real shapes and error codes, paging, quotas and version rotation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type RamCall } from './ram-client.js';
import { PopCore } from './sdk-clients.js';

let server: TestServer;
let ram: RamCall;
before(async () => {
  server = await startTestServer({ quotas: { users: 12, versionsPerPolicy: 5, customPoliciesPerPrincipal: 2 } });
  ram = ramClient(server.apiHost, ROOT);
});
after(() => server.stop());

const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const trust = (principal: object) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }] });
const allow = (action: string | string[], resource = '*') => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });

async function expectCode(call: Promise<unknown>, status: number, code: string): Promise<Record<string, unknown>> {
  const e = await ramError(call);
  assert.equal(e.code, code, e.message);
  assert.equal(e.statusCode, status, e.message);
  return e.data ?? {};
}

describe('users', () => {
  test('create, get, update (rename), list and delete', async () => {
    const created = await ram('CreateUser', { UserName: 'alice', DisplayName: 'Alice', Email: 'alice@example.com', MobilePhone: '86-18600000000', Comments: 'eng' });
    const user = created['User'] as Record<string, unknown>;
    assert.match(String(user['UserId']), /^\d{16}$/);
    assert.match(String(user['CreateDate']), DATE);
    assert.deepEqual({ ...user, UserId: 0, CreateDate: 0 }, { UserId: 0, UserName: 'alice', DisplayName: 'Alice', MobilePhone: '86-18600000000', Email: 'alice@example.com', Comments: 'eng', CreateDate: 0 });
    assert.equal(((await ram('GetUser', { UserName: 'alice' }))['User'] as Record<string, unknown>)['UserId'], user['UserId']);
    const renamed = (await ram('UpdateUser', { UserName: 'alice', NewUserName: 'alice2', NewComments: 'lead' }))['User'] as Record<string, unknown>;
    assert.deepEqual([renamed['UserName'], renamed['Comments'], renamed['UserId']], ['alice2', 'lead', user['UserId']]);
    assert.match(String(renamed['UpdateDate']), DATE);
    await expectCode(ram('GetUser', { UserName: 'alice' }), 404, 'EntityNotExist.User');
    await ram('DeleteUser', { UserName: 'alice2' });
    await expectCode(ram('GetUser', { UserName: 'alice2' }), 404, 'EntityNotExist.User');
  });

  test('the real errors: duplicates, bad names, missing names', async () => {
    await ram('CreateUser', { UserName: 'dup' });
    const body = await expectCode(ram('CreateUser', { UserName: 'DUP' }), 409, 'EntityAlreadyExists.User');
    assert.equal(body['Message'], 'The user does already EXIST.');
    await expectCode(ram('CreateUser', { UserName: 'bad name!' }), 400, 'InvalidParameter.UserName.InvalidChars');
    await expectCode(ram('CreateUser', { UserName: 'x'.repeat(65) }), 400, 'InvalidParameter.UserName.Length');
    await expectCode(ram('CreateUser', { UserName: 'ok', Email: 'not-an-email' }), 400, 'InvalidParameter.Email.Format');
    await expectCode(ram('CreateUser', {}), 400, 'MissingUserName');
    await expectCode(ram('DeleteUser', { UserName: 'nobody' }), 404, 'EntityNotExist.User');
    await ram('DeleteUser', { UserName: 'dup' });
  });

  test('ListUsers pages with Marker and MaxItems', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await ram('CreateUser', { UserName: n });
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await ram('ListUsers', { MaxItems: 2, ...(marker ? { Marker: marker } : {}) });
      const users = (page['Users'] as { User: { UserName: string }[] }).User;
      assert.ok(users.length <= 2);
      seen.push(...users.map((u) => u.UserName));
      marker = page['IsTruncated'] ? String(page['Marker']) : undefined;
      if (!page['IsTruncated']) assert.equal(page['Marker'], undefined);
      pages++;
    } while (marker);
    assert.deepEqual(seen.filter((n) => n.startsWith('p')), ['p1', 'p2', 'p3', 'p4', 'p5']);
    assert.equal(pages, Math.ceil(seen.length / 2));
    await expectCode(ram('ListUsers', { MaxItems: 0 }), 400, 'InvalidParameter.MaxItems.Format');
    await expectCode(ram('ListUsers', { Marker: 'garbage' }), 400, 'InvalidParameter.Marker');
    for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await ram('DeleteUser', { UserName: n });
  });

  test('the user quota is refused with LimitExceeded.User', async () => {
    const count = ((await ram('ListUsers', { MaxItems: 1000 }))['Users'] as { User: unknown[] }).User.length;
    const made: string[] = [];
    for (let i = count; i < 12; i++) {
      made.push(`q${i}`);
      await ram('CreateUser', { UserName: `q${i}` });
    }
    await expectCode(ram('CreateUser', { UserName: 'one-too-many' }), 409, 'LimitExceeded.User');
    for (const n of made) await ram('DeleteUser', { UserName: n });
  });
});

describe('AccessKeys', () => {
  test('a user key signs at once, lists without its secret, is limited to two, and stops when disabled or deleted', async () => {
    await ram('CreateUser', { UserName: 'keyholder' });
    const ak = (await ram('CreateAccessKey', { UserName: 'keyholder' }))['AccessKey'] as Record<string, string>;
    assert.match(ak['AccessKeyId'] ?? '', /^LTAI/);
    assert.equal(ak['Status'], 'Active');
    assert.match(ak['AccessKeySecret'] ?? '', /^[A-Za-z0-9]{30}$/);
    const creds = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
    const rpc = new PopCore({ ...creds, endpoint: server.endpoints.api, apiVersion: '2015-04-01' });
    const who = await rpc.request('GetCallerIdentity', {}, { method: 'POST' });
    assert.equal(who['IdentityType'], 'RAMUser');
    assert.equal(who['Arn'], `acs:ram::${ROOT.accountId}:user/keyholder`);

    const listed = (await ram('ListAccessKeys', { UserName: 'keyholder' }))['AccessKeys'] as { AccessKey: Record<string, string>[] };
    assert.deepEqual(Object.keys(listed.AccessKey[0] ?? {}).sort(), ['AccessKeyId', 'CreateDate', 'Status']);
    await ram('CreateAccessKey', { UserName: 'keyholder' });
    await expectCode(ram('CreateAccessKey', { UserName: 'keyholder' }), 409, 'LimitExceeded.User.AccessKey');
    await expectCode(ram('DeleteUser', { UserName: 'keyholder' }), 409, 'DeleteConflict.User.AccessKey');

    await ram('UpdateAccessKey', { UserName: 'keyholder', UserAccessKeyId: creds.accessKeyId, Status: 'Inactive' });
    await assert.rejects(rpc.request('GetCallerIdentity', {}, { method: 'POST' }), { code: 'InvalidAccessKeyId.Inactive' });
    await ram('UpdateAccessKey', { UserName: 'keyholder', UserAccessKeyId: creds.accessKeyId, Status: 'Active' });
    await rpc.request('GetCallerIdentity', {}, { method: 'POST' });
    await ram('DeleteAccessKey', { UserName: 'keyholder', UserAccessKeyId: creds.accessKeyId });
    await assert.rejects(rpc.request('GetCallerIdentity', {}, { method: 'POST' }), { code: 'InvalidAccessKeyId.NotFound' });
    await expectCode(ram('DeleteAccessKey', { UserName: 'keyholder', UserAccessKeyId: creds.accessKeyId }), 404, 'EntityNotExist.User.AccessKey');
    await expectCode(ram('UpdateAccessKey', { UserName: 'keyholder', UserAccessKeyId: 'LTAI5tnope', Status: 'Paused' }), 400, 'InvalidParameter.Status.Format');
  });
});

describe('login profiles and the password policy', () => {
  test('passwords are checked against the policy; profiles are created once and can be changed', async () => {
    await ram('CreateUser', { UserName: 'console' });
    await expectCode(ram('CreateLoginProfile', { UserName: 'console', Password: 'short' }), 400, 'InvalidParameter.Password.TooWeak');
    await expectCode(ram('CreateLoginProfile', { UserName: 'console', Password: 'alllowercase1' }), 400, 'InvalidParameter.Password.TooWeak');
    const profile = (await ram('CreateLoginProfile', { UserName: 'console', Password: 'Str0ngPassword', PasswordResetRequired: true }))['LoginProfile'] as Record<string, unknown>;
    assert.deepEqual({ ...profile, CreateDate: 0 }, { UserName: 'console', PasswordResetRequired: true, MFABindRequired: false, CreateDate: 0 });
    await expectCode(ram('CreateLoginProfile', { UserName: 'console', Password: 'Str0ngPassword' }), 409, 'EntityAlreadyExists.User.LoginProfile');
    await ram('UpdateLoginProfile', { UserName: 'console', PasswordResetRequired: false });
    assert.equal(((await ram('GetLoginProfile', { UserName: 'console' }))['LoginProfile'] as Record<string, unknown>)['PasswordResetRequired'], false);
    await expectCode(ram('DeleteUser', { UserName: 'console' }), 409, 'DeleteConflict.User.LoginProfile');
    await ram('DeleteLoginProfile', { UserName: 'console' });
    await expectCode(ram('GetLoginProfile', { UserName: 'console' }), 404, 'EntityNotExist.User.LoginProfile');
    await ram('DeleteUser', { UserName: 'console' });

    const policy = (await ram('SetPasswordPolicy', { MinimumPasswordLength: 12, RequireSymbols: true }))['PasswordPolicy'] as Record<string, unknown>;
    assert.equal(policy['MinimumPasswordLength'], 12);
    assert.equal(policy['RequireSymbols'], true);
    assert.ok('MaxLoginAttemps' in policy);
    assert.deepEqual((await ram('GetPasswordPolicy'))['PasswordPolicy'], policy);
    await expectCode(ram('SetPasswordPolicy', { MinimumPasswordLength: 4 }), 400, 'InvalidParameter.MinimumPasswordLength.Range');
    await ram('SetPasswordPolicy', { MinimumPasswordLength: 8, RequireSymbols: false });
  });
});

describe('groups', () => {
  test('create, members, listing both ways, and the delete conflicts', async () => {
    const group = (await ram('CreateGroup', { GroupName: 'devs', Comments: 'developers' }))['Group'] as Record<string, unknown>;
    assert.match(String(group['GroupId']), /^g-/);
    await ram('CreateUser', { UserName: 'gina' });
    await ram('AddUserToGroup', { GroupName: 'devs', UserName: 'gina' });
    await expectCode(ram('AddUserToGroup', { GroupName: 'devs', UserName: 'gina' }), 409, 'EntityAlreadyExists.User.Group');
    const forUser = ((await ram('ListGroupsForUser', { UserName: 'gina' }))['Groups'] as { Group: Record<string, unknown>[] }).Group;
    assert.deepEqual(forUser.map((g) => g['GroupName']), ['devs']);
    assert.match(String(forUser[0]?.['JoinDate']), DATE);
    const members = ((await ram('ListUsersForGroup', { GroupName: 'devs' }))['Users'] as { User: Record<string, unknown>[] }).User;
    assert.deepEqual(members.map((u) => u['UserName']), ['gina']);
    await expectCode(ram('DeleteGroup', { GroupName: 'devs' }), 409, 'DeleteConflict.Group.User');
    await expectCode(ram('DeleteUser', { UserName: 'gina' }), 409, 'DeleteConflict.User.Group');
    const updated = (await ram('UpdateGroup', { GroupName: 'devs', NewGroupName: 'developers', NewComments: 'all' }))['Group'] as Record<string, unknown>;
    assert.equal(updated['GroupName'], 'developers');
    assert.deepEqual(((await ram('ListGroups'))['Groups'] as { Group: Record<string, unknown>[] }).Group.map((g) => g['GroupName']), ['developers']);
    await ram('RemoveUserFromGroup', { GroupName: 'developers', UserName: 'gina' });
    await expectCode(ram('RemoveUserFromGroup', { GroupName: 'developers', UserName: 'gina' }), 404, 'EntityNotExist.User.Group');
    await ram('DeleteGroup', { GroupName: 'developers' });
    await expectCode(ram('GetGroup', { GroupName: 'developers' }), 404, 'EntityNotExist.Group');
    await ram('DeleteUser', { UserName: 'gina' });
  });
});

describe('roles', () => {
  test('create with a trust policy, read, update, list, and refuse what is wrong', async () => {
    const doc = trust({ RAM: [`acs:ram::${ROOT.accountId}:root`] });
    const role = (await ram('CreateRole', { RoleName: 'deployer', AssumeRolePolicyDocument: doc, Description: 'CI', MaxSessionDuration: 7200 }))['Role'] as Record<string, unknown>;
    assert.match(String(role['RoleId']), /^\d{19}$/);
    assert.equal(role['Arn'], `acs:ram::${ROOT.accountId}:role/deployer`);
    assert.equal(role['MaxSessionDuration'], 7200);
    assert.equal(role['AssumeRolePolicyDocument'], doc);
    await expectCode(ram('CreateRole', { RoleName: 'deployer', AssumeRolePolicyDocument: doc }), 409, 'EntityAlreadyExists.Role');
    await expectCode(ram('CreateRole', { RoleName: 'bad_name', AssumeRolePolicyDocument: doc }), 400, 'InvalidParameter.RoleName.InvalidChars');
    const malformed = await expectCode(ram('CreateRole', { RoleName: 'r2', AssumeRolePolicyDocument: allow('oss:*') }), 400, 'MalformedPolicyDocument');
    assert.match(String(malformed['Message']), /Statement\[0\]\.Principal/);
    await expectCode(ram('CreateRole', { RoleName: 'r3', AssumeRolePolicyDocument: doc, MaxSessionDuration: 100 }), 400, 'InvalidParameter.MaxSessionDuration.Format');
    const updated = (await ram('UpdateRole', { RoleName: 'deployer', NewMaxSessionDuration: 43200, NewDescription: 'deploys' }))['Role'] as Record<string, unknown>;
    assert.deepEqual([updated['MaxSessionDuration'], updated['Description']], [43200, 'deploys']);
    await expectCode(ram('UpdateRole', { RoleName: 'deployer', NewAssumeRolePolicyDocument: '{"Version":"1"}' }), 400, 'MalformedPolicyDocument');
    const listed = ((await ram('ListRoles'))['Roles'] as { Role: Record<string, unknown>[] }).Role;
    assert.equal(listed.find((r) => r['RoleName'] === 'deployer')?.['AssumeRolePolicyDocument'], undefined, 'lists carry no trust policy');
    await ram('AttachPolicyToRole', { RoleName: 'deployer', PolicyType: 'System', PolicyName: 'AliyunOSSReadOnlyAccess' });
    await expectCode(ram('DeleteRole', { RoleName: 'deployer' }), 409, 'DeleteConflict.Role.Policy');
    await ram('DetachPolicyFromRole', { RoleName: 'deployer', PolicyType: 'System', PolicyName: 'AliyunOSSReadOnlyAccess' });
    await ram('DeleteRole', { RoleName: 'deployer' });
    await expectCode(ram('GetRole', { RoleName: 'deployer' }), 404, 'EntityNotExist.Role');
  });
});

describe('policies and versions', () => {
  test('system policies are listed and readable with their documents', async () => {
    const listed = ((await ram('ListPolicies', { PolicyType: 'System', MaxItems: 1000 }))['Policies'] as { Policy: Record<string, unknown>[] }).Policy;
    const names = listed.map((p) => p['PolicyName']);
    for (const n of ['AdministratorAccess', 'ReadOnlyAccess', 'AliyunRAMFullAccess', 'AliyunRAMReadOnlyAccess', 'AliyunSTSAssumeRoleAccess', 'AliyunOSSFullAccess', 'AliyunOSSReadOnlyAccess', 'AliyunECSFullAccess', 'AliyunECSReadOnlyAccess', 'AliyunActionTrailFullAccess']) {
      assert.ok(names.includes(n), n);
    }
    const got = await ram('GetPolicy', { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
    assert.deepEqual(JSON.parse(String((got['DefaultPolicyVersion'] as Record<string, unknown>)['PolicyDocument'])), {
      Version: '1',
      Statement: [{ Action: 'sts:AssumeRole', Resource: '*', Effect: 'Allow' }],
    });
    await expectCode(ram('GetPolicy', { PolicyType: 'Managed', PolicyName: 'AdministratorAccess' }), 400, 'InvalidParameter.PolicyType');
    await expectCode(ram('GetPolicy', { PolicyType: 'System', PolicyName: 'NoSuchPolicy' }), 404, 'EntityNotExist.Policy');
  });

  test('custom policies: create, versions up to five, rotation, default handling, delete rules', async () => {
    const created = (await ram('CreatePolicy', { PolicyName: 'bucket-rw', PolicyDocument: allow('oss:*', 'acs:oss:*:*:b/*'), Description: 'rw' }))['Policy'] as Record<string, unknown>;
    assert.deepEqual([created['PolicyType'], created['DefaultVersion']], ['Custom', 'v1']);
    await expectCode(ram('CreatePolicy', { PolicyName: 'bucket-rw', PolicyDocument: allow('oss:*') }), 409, 'EntityAlreadyExists.Policy');
    const bad = await expectCode(ram('CreatePolicy', { PolicyName: 'bad', PolicyDocument: '{"Version":"1","Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}' }), 400, 'MalformedPolicyDocument');
    assert.match(String(bad['Message']), /Statement\[0\]\.Effect/);
    await expectCode(ram('CreatePolicy', { PolicyName: 'long', PolicyDocument: allow(Array(400).fill('oss:GetObject')) }), 400, 'InvalidParameter.PolicyDocument.Length');
    await expectCode(ram('CreatePolicy', { PolicyName: 'bad_name', PolicyDocument: allow('oss:*') }), 400, 'InvalidParameter.PolicyName.InvalidChars');

    for (let v = 2; v <= 5; v++) {
      const version = (await ram('CreatePolicyVersion', { PolicyName: 'bucket-rw', PolicyDocument: allow(`oss:Get${v}`) }))['PolicyVersion'] as Record<string, unknown>;
      assert.deepEqual([version['VersionId'], version['IsDefaultVersion']], [`v${v}`, false]);
    }
    await expectCode(ram('CreatePolicyVersion', { PolicyName: 'bucket-rw', PolicyDocument: allow('oss:Get6') }), 409, 'LimitExceeded.Policy.Version');
    const rotated = (await ram('CreatePolicyVersion', { PolicyName: 'bucket-rw', PolicyDocument: allow('oss:Get6'), RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded', SetAsDefault: true }))['PolicyVersion'] as Record<string, unknown>;
    assert.deepEqual([rotated['VersionId'], rotated['IsDefaultVersion']], ['v6', true]);
    const versions = ((await ram('ListPolicyVersions', { PolicyType: 'Custom', PolicyName: 'bucket-rw' }))['PolicyVersions'] as { PolicyVersion: Record<string, unknown>[] }).PolicyVersion;
    assert.deepEqual(versions.map((v) => v['VersionId']), ['v1', 'v3', 'v4', 'v5', 'v6'], 'the oldest non-default (v2) was rotated out');
    assert.equal((await ram('GetPolicy', { PolicyType: 'Custom', PolicyName: 'bucket-rw' }))['Policy'] !== undefined, true);
    assert.equal(((await ram('GetPolicyVersion', { PolicyType: 'Custom', PolicyName: 'bucket-rw', VersionId: 'v4' }))['PolicyVersion'] as Record<string, unknown>)['PolicyDocument'], allow('oss:Get4'));
    await expectCode(ram('GetPolicyVersion', { PolicyType: 'Custom', PolicyName: 'bucket-rw', VersionId: 'v2' }), 404, 'EntityNotExist.Policy.Version');
    await expectCode(ram('GetPolicyVersion', { PolicyType: 'Custom', PolicyName: 'bucket-rw', VersionId: 'latest' }), 400, 'InvalidParameter.VersionId.Format');
    await expectCode(ram('DeletePolicyVersion', { PolicyName: 'bucket-rw', VersionId: 'v6' }), 409, 'DeleteConflict.Policy.Version.Default');
    await ram('SetDefaultPolicyVersion', { PolicyName: 'bucket-rw', VersionId: 'v1' });
    await ram('DeletePolicyVersion', { PolicyName: 'bucket-rw', VersionId: 'v6' });
    await expectCode(ram('DeletePolicy', { PolicyName: 'bucket-rw' }), 409, 'DeleteConflict.Policy.Version');

    await ram('CreateUser', { UserName: 'pol-user' });
    await ram('AttachPolicyToUser', { UserName: 'pol-user', PolicyType: 'Custom', PolicyName: 'bucket-rw' });
    await expectCode(ram('DeletePolicy', { PolicyName: 'bucket-rw', CascadingDelete: true }), 409, 'DeleteConflict.Policy.User');
    const got = await ram('GetPolicy', { PolicyType: 'Custom', PolicyName: 'bucket-rw' });
    assert.equal((got['Policy'] as Record<string, unknown>)['AttachmentCount'], 1);
    assert.equal((got['DefaultPolicyVersion'] as Record<string, unknown>)['VersionId'], 'v1');
    await ram('DetachPolicyFromUser', { UserName: 'pol-user', PolicyType: 'Custom', PolicyName: 'bucket-rw' });
    await ram('DeletePolicy', { PolicyName: 'bucket-rw', CascadingDelete: true });
    await expectCode(ram('GetPolicy', { PolicyType: 'Custom', PolicyName: 'bucket-rw' }), 404, 'EntityNotExist.Policy');
    await ram('DeleteUser', { UserName: 'pol-user' });
  });

  test('attachments to users, groups and roles; listing both ways; duplicates and quotas', async () => {
    await ram('CreateUser', { UserName: 'att' });
    await ram('CreateGroup', { GroupName: 'att-g' });
    await ram('CreateRole', { RoleName: 'att-r', AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }) });
    await ram('CreatePolicy', { PolicyName: 'c1', PolicyDocument: allow('ecs:Describe*') });
    await ram('CreatePolicy', { PolicyName: 'c2', PolicyDocument: allow('ecs:Start*') });
    await ram('CreatePolicy', { PolicyName: 'c3', PolicyDocument: allow('ecs:Stop*') });
    await ram('AttachPolicyToUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: 'c1' });
    await ram('AttachPolicyToGroup', { GroupName: 'att-g', PolicyType: 'Custom', PolicyName: 'c1' });
    await ram('AttachPolicyToRole', { RoleName: 'att-r', PolicyType: 'Custom', PolicyName: 'c1' });
    await ram('AttachPolicyToUser', { UserName: 'att', PolicyType: 'System', PolicyName: 'ReadOnlyAccess' });
    await expectCode(ram('AttachPolicyToUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: 'c1' }), 409, 'EntityAlreadyExists.User.Policy');
    await expectCode(ram('AttachPolicyToGroup', { GroupName: 'att-g', PolicyType: 'Custom', PolicyName: 'c1' }), 409, 'EntityAlreadyExists.Group.Policy');
    await ram('AttachPolicyToUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: 'c2' });
    await expectCode(ram('AttachPolicyToUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: 'c3' }), 409, 'LimitExceeded.User.Policy');
    await expectCode(ram('AttachPolicyToUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: 'nope' }), 404, 'EntityNotExist.Policy');
    await expectCode(ram('AttachPolicyToUser', { UserName: 'nobody', PolicyType: 'Custom', PolicyName: 'c1' }), 404, 'EntityNotExist.User');

    const forUser = ((await ram('ListPoliciesForUser', { UserName: 'att' }))['Policies'] as { Policy: Record<string, unknown>[] }).Policy;
    assert.deepEqual(forUser.map((p) => `${p['PolicyType']}:${p['PolicyName']}`).sort(), ['Custom:c1', 'Custom:c2', 'System:ReadOnlyAccess']);
    assert.match(String(forUser[0]?.['AttachDate']), DATE);
    assert.equal(((await ram('ListPoliciesForGroup', { GroupName: 'att-g' }))['Policies'] as { Policy: unknown[] }).Policy.length, 1);
    assert.equal(((await ram('ListPoliciesForRole', { RoleName: 'att-r' }))['Policies'] as { Policy: unknown[] }).Policy.length, 1);
    const entities = await ram('ListEntitiesForPolicy', { PolicyType: 'Custom', PolicyName: 'c1' });
    assert.deepEqual((entities['Users'] as { User: Record<string, unknown>[] }).User.map((u) => u['UserName']), ['att']);
    assert.deepEqual((entities['Groups'] as { Group: Record<string, unknown>[] }).Group.map((g) => g['GroupName']), ['att-g']);
    assert.deepEqual((entities['Roles'] as { Role: Record<string, unknown>[] }).Role.map((r) => r['RoleName']), ['att-r']);

    await expectCode(ram('DeleteUser', { UserName: 'att' }), 409, 'DeleteConflict.User.Policy');
    await expectCode(ram('DeleteGroup', { GroupName: 'att-g' }), 409, 'DeleteConflict.Group.Policy');
    for (const p of ['c1', 'c2']) await ram('DetachPolicyFromUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: p });
    await ram('DetachPolicyFromUser', { UserName: 'att', PolicyType: 'System', PolicyName: 'ReadOnlyAccess' });
    await expectCode(ram('DetachPolicyFromUser', { UserName: 'att', PolicyType: 'Custom', PolicyName: 'c1' }), 404, 'EntityNotExist.User.Policy');
    await ram('DetachPolicyFromGroup', { GroupName: 'att-g', PolicyType: 'Custom', PolicyName: 'c1' });
    await expectCode(ram('DetachPolicyFromGroup', { GroupName: 'att-g', PolicyType: 'Custom', PolicyName: 'c1' }), 404, 'EntityNotExist.Group.Policy');
    await ram('DetachPolicyFromRole', { RoleName: 'att-r', PolicyType: 'Custom', PolicyName: 'c1' });
    await expectCode(ram('DetachPolicyFromRole', { RoleName: 'att-r', PolicyType: 'Custom', PolicyName: 'c1' }), 404, 'EntityNotExist.Role.Policy');
    await ram('DeleteUser', { UserName: 'att' });
    await ram('DeleteGroup', { GroupName: 'att-g' });
    await ram('DeleteRole', { RoleName: 'att-r' });
    for (const p of ['c1', 'c2', 'c3']) await ram('DeletePolicy', { PolicyName: p });
  });

  test('GetAccountSummary counts the account and reports its quotas (RAM and IMS versions)', async () => {
    await ram('CreateUser', { UserName: 'counted' });
    // The RAM SDK has no GetAccountSummary: the real service documents it under IMS (2019-08-15).
    const rpc = (version: string) => new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: version });
    const summary = (await rpc('2019-08-15').request('GetAccountSummary', {}, { method: 'POST' }))['SummaryMap'] as Record<string, number>;
    assert.deepEqual((await rpc('2015-05-01').request('GetAccountSummary', {}, { method: 'POST' }))['SummaryMap'], summary);
    assert.equal(summary['UsersQuota'], 12);
    assert.equal(summary['AccessKeysPerUserQuota'], 2);
    assert.equal(summary['VersionsPerPolicyQuota'], 5);
    assert.equal(summary['RolesQuota'], 1000);
    assert.ok((summary['Users'] ?? 0) >= 1);
    await ram('DeleteUser', { UserName: 'counted' });
  });
});

describe('the RPC signature through pop-core', () => {
  test('RAM actions and their errors work the same over RPC', async () => {
    const rpc = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2015-05-01' });
    const created = await rpc.request('CreateUser', { UserName: 'via-rpc' }, { method: 'POST' });
    assert.equal((created['User'] as Record<string, unknown>)['UserName'], 'via-rpc');
    const listed = await rpc.request('ListUsers', { MaxItems: 1000 }, { method: 'POST' });
    assert.ok(((listed['Users'] as { User: { UserName: string }[] }).User).some((u) => u.UserName === 'via-rpc'));
    await assert.rejects(rpc.request('CreateUser', { UserName: 'via-rpc' }, { method: 'POST' }), { code: 'EntityAlreadyExists.User' });
    await assert.rejects(rpc.request('GetRole', { RoleName: 'none' }, { method: 'GET' }), { code: 'EntityNotExist.Role' });
    await rpc.request('DeleteUser', { UserName: 'via-rpc' }, { method: 'POST' });
  });
});
