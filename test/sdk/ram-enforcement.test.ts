// Every RAM call is authorized: a RAM user may do only what its own and its groups' policies
// allow, changes apply to the very next request, and accounts never see each other.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAccount } from '../../src/server/index.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type Creds, type RamCall } from './ram-client.js';

let server: TestServer;
let root: RamCall;
before(async () => {
  server = await startTestServer();
  root = ramClient(server.apiHost, ROOT);
});
after(() => server.stop());

async function userWithKey(name: string): Promise<{ call: RamCall; creds: Creds }> {
  await root('CreateUser', { UserName: name });
  const ak = (await root('CreateAccessKey', { UserName: name }))['AccessKey'] as Record<string, string>;
  const creds = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
  return { call: ramClient(server.apiHost, creds), creds };
}

test('read-only RAM user: reads succeed, writes get NoPermission; attaching and detaching full access applies to the next call', async () => {
  const { call: reader } = await userWithKey('reader');
  await root('AttachPolicyToUser', { UserName: 'reader', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  assert.ok(((await reader('ListUsers'))['Users'] as { User: unknown[] }).User.length >= 1);
  await reader('GetUser', { UserName: 'reader' });

  const denied = await ramError(reader('CreateUser', { UserName: 'made-by-reader' }));
  assert.equal(denied.code, 'NoPermission');
  assert.equal(denied.statusCode, 403);
  assert.equal(denied.data?.['Message'], 'You are not authorized to do this action.');
  const detail = denied.data?.['AccessDeniedDetail'] as Record<string, string>;
  assert.deepEqual(
    { ...detail, EncodedDiagnosticMessage: undefined },
    {
      AuthAction: 'ram:CreateUser',
      AuthPrincipalType: 'SubUser',
      AuthPrincipalOwnerId: ROOT.accountId,
      AuthPrincipalDisplayName: 'reader',
      NoPermissionType: 'ImplicitDeny',
      PolicyType: 'AccountLevelIdentityBasedPolicy',
      EncodedDiagnosticMessage: undefined,
    },
  );

  await root('AttachPolicyToUser', { UserName: 'reader', PolicyType: 'System', PolicyName: 'AliyunRAMFullAccess' });
  await reader('CreateUser', { UserName: 'made-by-reader' });
  await root('DetachPolicyFromUser', { UserName: 'reader', PolicyType: 'System', PolicyName: 'AliyunRAMFullAccess' });
  assert.equal((await ramError(reader('DeleteUser', { UserName: 'made-by-reader' }))).code, 'NoPermission');
  await root('DeleteUser', { UserName: 'made-by-reader' });
});

test('group membership grants and removes rights at once', async () => {
  const { call: member } = await userWithKey('member');
  await root('CreateGroup', { GroupName: 'ram-admins' });
  await root('AttachPolicyToGroup', { GroupName: 'ram-admins', PolicyType: 'System', PolicyName: 'AliyunRAMFullAccess' });
  assert.equal((await ramError(member('ListGroups'))).code, 'NoPermission');
  await root('AddUserToGroup', { GroupName: 'ram-admins', UserName: 'member' });
  await member('ListGroups');
  await root('RemoveUserFromGroup', { GroupName: 'ram-admins', UserName: 'member' });
  assert.equal((await ramError(member('ListGroups'))).code, 'NoPermission');
});

test('a new default policy version applies to the next call; an explicit Deny is explained and decodable', async () => {
  const { call: dev } = await userWithKey('dev');
  const doc = (statements: object[]) => JSON.stringify({ Version: '1', Statement: statements });
  await root('CreatePolicy', { PolicyName: 'dev-access', PolicyDocument: doc([{ Effect: 'Allow', Action: 'ram:List*', Resource: '*' }]) });
  await root('AttachPolicyToUser', { UserName: 'dev', PolicyType: 'Custom', PolicyName: 'dev-access' });
  await dev('ListRoles');
  await root('CreatePolicyVersion', {
    PolicyName: 'dev-access',
    SetAsDefault: true,
    PolicyDocument: doc([
      { Effect: 'Allow', Action: 'ram:List*', Resource: '*' },
      { Effect: 'Deny', Action: 'ram:ListRoles', Resource: '*' },
    ]),
  });
  const denied = await ramError(dev('ListRoles'));
  assert.equal(denied.code, 'NoPermission');
  const detail = denied.data?.['AccessDeniedDetail'] as Record<string, string>;
  assert.equal(detail['NoPermissionType'], 'ExplicitDeny');
  await dev('ListUsers');

  const decoded = (await root('DecodeDiagnosticMessage', { EncodedDiagnosticMessage: detail['EncodedDiagnosticMessage'] }))['DecodedDiagnosticMessage'] as Record<string, unknown>;
  assert.equal(decoded['AuthAction'], 'ram:ListRoles');
  assert.equal(decoded['ExplicitDeny'], true);
  assert.deepEqual(decoded['AuthPrincipal'], { AuthPrincipalType: 'SubUser', AuthPrincipalOwnerId: ROOT.accountId, AuthPrincipalDisplayName: 'dev' });
  const matched = decoded['MatchedPolicies'] as Record<string, unknown>[];
  assert.deepEqual(matched[0] && { id: matched[0]['PolicyIdentifier'], v: matched[0]['PolicyVersion'], effect: matched[0]['Effect'] }, { id: 'dev-access', v: 'v2', effect: 'Deny' });

  await root('SetDefaultPolicyVersion', { PolicyName: 'dev-access', VersionId: 'v1' });
  await dev('ListRoles');
  assert.equal((await ramError(root('DecodeDiagnosticMessage', { EncodedDiagnosticMessage: 'forged' }))).code, 'InvalidParameter.EncodedDiagnosticMessage');
});

test('two accounts: neither sees nor changes the other\'s users, roles or policies', async () => {
  await root('CreateUser', { UserName: 'only-in-a' });
  await root('CreatePolicy', { PolicyName: 'a-policy', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) });
  const b = await createAccount(server.store, new Date());
  const rootB = ramClient(server.apiHost, { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret });
  assert.equal((await ramError(rootB('GetUser', { UserName: 'only-in-a' }))).code, 'EntityNotExist.User');
  assert.equal((await ramError(rootB('DeleteUser', { UserName: 'only-in-a' }))).code, 'EntityNotExist.User');
  assert.equal((await ramError(rootB('GetPolicy', { PolicyType: 'Custom', PolicyName: 'a-policy' }))).code, 'EntityNotExist.Policy');
  assert.deepEqual(((await rootB('ListUsers'))['Users'] as { User: unknown[] }).User, []);
  // B may use the same names without touching A's.
  await rootB('CreateUser', { UserName: 'only-in-a' });
  await rootB('CreatePolicy', { PolicyName: 'a-policy', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }) });
  assert.equal(((await root('GetUser', { UserName: 'only-in-a' }))['User'] as Record<string, unknown>)['UserName'], 'only-in-a');
  const aDoc = (await root('GetPolicy', { PolicyType: 'Custom', PolicyName: 'a-policy' }))['DefaultPolicyVersion'] as Record<string, string>;
  assert.match(aDoc['PolicyDocument'] ?? '', /"Allow"/);

  // An administrator user of A cannot reach B either, and B cannot decode A's denials.
  const { call: adminA } = await userWithKey('admin-a');
  await root('AttachPolicyToUser', { UserName: 'admin-a', PolicyType: 'System', PolicyName: 'AdministratorAccess' });
  const users = ((await adminA('ListUsers', { MaxItems: 1000 }))['Users'] as { User: { UserName: string }[] }).User;
  assert.ok(users.every((u) => u.UserName !== 'admin-b'));
  const { call: lonely } = await userWithKey('no-rights');
  const denied = await ramError(lonely('ListUsers'));
  const encoded = (denied.data?.['AccessDeniedDetail'] as Record<string, string>)['EncodedDiagnosticMessage'];
  assert.equal((await ramError(rootB('DecodeDiagnosticMessage', { EncodedDiagnosticMessage: encoded }))).code, 'InvalidParameter.EncodedDiagnosticMessage');
});
