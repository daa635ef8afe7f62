// The escalation matrix: every way found so far for a principal to get more than it has, one row
// each (who, what they try, the refusal they must get), driven through the official SDKs or the
// very requests they send. A row also names what must be unchanged afterwards, where the attempt
// would have written. A new way in becomes a new row.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { rpcSignature, rpcStringToSign } from '../../src/auth/index.js';
import { createAccount } from '../../src/server/index.js';
import { capture, replay } from '../helpers/capture.js';
import { encodeParams, isoSeconds, postForm } from '../helpers/rpc-client.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import type { Creds, RamCall } from '../sdk/ram-client.js';
import { sessionOf, stsRpc, stsV3 } from '../sdk/sts-client.js';
import { allow, deny, doc, ecsClient, instanceCredentials, ramClient, refusal, revokeSessions, trustAccount, trustEcs, userWithKey } from './fixture.js';

const require = createRequire(import.meta.url);
const OpenApiUtil = require('@alicloud/openapi-core/dist/utils.js').default as {
  getAuthorization(request: { pathname: string; method: string; query: Record<string, string>; headers: Record<string, string> }, algorithm: string, payload: string, accessKeyId: string, secret: string): string;
};

const A = ROOT.accountId;
const roleArn = (name: string) => `acs:ram::${A}:role/${name}`;

interface World {
  server: TestServer;
  root: RamCall;
  alice: Creds;
  operator: Creds;
  opsHz: Creds;
  assumer: Creds;
  selfie: Creds;
  partner: Creds;
  dormant: Creds;
  beijingInstance: string;
  reattached: { instanceId: string; creds: Creds };
  recreated: { creds: Creds };
  narrowed: Creds;
}
let w: World;

async function session(creds: Creds, role: string, extra: Record<string, unknown> = {}): Promise<Creds> {
  return sessionOf(await stsV3(w.server.apiHost, creds).assumeRole({ RoleArn: roleArn(role), RoleSessionName: 'matrix', ...extra }));
}

before(async () => {
  const server = await startTestServer({ assumeRoleRate: 0 });
  const root = ramClient(server.apiHost, ROOT);
  const ecs = ecsClient(server, ROOT);
  await root('CreateRole', { RoleName: 'Admin', AssumeRolePolicyDocument: trustAccount(A) });
  await root('AttachPolicyToRole', { RoleName: 'Admin', PolicyType: 'System', PolicyName: 'AdministratorAccess' });
  await root('CreateUser', { UserName: 'helpdesk' });
  await root('CreatePolicy', { PolicyName: 'Guard-X', PolicyDocument: doc(allow('ram:GetUser')) });
  const alice = await userWithKey(root, 'alice', {
    system: ['AdministratorAccess'],
    custom: {
      guard: doc(
        deny(['ram:UpdateRole', 'ram:DeleteRole', 'sts:AssumeRole'], roleArn('Admin')),
        deny('ram:AttachPolicyToUser', `acs:ram::${A}:user/helpdesk`),
        deny(['ram:DeletePolicy', 'ram:CreatePolicyVersion'], `acs:ram::${A}:policy/Guard-X`),
      ),
    },
  });
  await root('CreateRole', { RoleName: 'EcsAppRole', AssumeRolePolicyDocument: trustEcs });
  await root('AttachPolicyToRole', { RoleName: 'EcsAppRole', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  const operator = await userWithKey(root, 'operator', { system: ['AliyunECSFullAccess'] });
  const opsHz = await userWithKey(root, 'ops-hz', { system: ['AliyunECSFullAccess'], custom: { 'no-beijing': doc(deny('ecs:*', 'acs:ecs:cn-beijing:*:instance/*')) } });
  const beijingInstance = String((await ecs('CreateInstance', { RegionId: 'cn-beijing', ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.31' }))['InstanceId']);

  const assumer = await userWithKey(root, 'assumer', { system: ['AliyunSTSAssumeRoleAccess'] });
  for (const [role, policy] of [['Reader', 'AliyunRAMReadOnlyAccess'], ['RamAdmin', 'AliyunRAMFullAccess'], ['Flip', 'AliyunRAMReadOnlyAccess'], ['Hop1', 'AliyunSTSAssumeRoleAccess'], ['Hop2', 'AliyunRAMReadOnlyAccess'], ['Phoenix', 'AliyunRAMReadOnlyAccess']] as const) {
    await root('CreateRole', { RoleName: role, AssumeRolePolicyDocument: trustAccount(A) });
    await root('AttachPolicyToRole', { RoleName: role, PolicyType: 'System', PolicyName: policy });
  }
  // Hop2 could be held for 12 hours by a user; a chained session may not be.
  await root('UpdateRole', { RoleName: 'Hop2', NewMaxSessionDuration: 43200 });
  const selfie = await userWithKey(root, 'selfie', { custom: { 'manage-other': doc(allow(['ram:AttachPolicyToUser', 'ram:CreateAccessKey'], `acs:ram::${A}:user/other`)) } });
  const dormant = await userWithKey(root, 'dormant', { system: ['AliyunRAMReadOnlyAccess'] });
  await root('UpdateAccessKey', { UserName: 'dormant', UserAccessKeyId: dormant.accessKeyId, Status: 'Inactive' });

  const b = await createAccount(server.store, new Date());
  const partner = await userWithKey(ramClient(server.apiHost, { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret }), 'partner', { system: ['AliyunSTSAssumeRoleAccess'] });

  // An instance whose role was detached and attached again: its first credentials are from then.
  const reattachedId = String((await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.32', RamRoleName: 'EcsAppRole' }))['InstanceId']);
  const reattachedCreds = await instanceCredentials(server, '127.0.0.32', 'EcsAppRole');

  // An instance whose role was deleted and created again under the same name.
  await root('CreateRole', { RoleName: 'Reborn', AssumeRolePolicyDocument: trustEcs });
  const rebornId = String((await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.33', RamRoleName: 'Reborn' }))['InstanceId']);
  const rebornCreds = await instanceCredentials(server, '127.0.0.33', 'Reborn');
  await ecs('DetachInstanceRamRole', { InstanceIds: JSON.stringify([rebornId]) });
  await root('DeleteRole', { RoleName: 'Reborn' });
  await root('CreateRole', { RoleName: 'Reborn', AssumeRolePolicyDocument: trustEcs });
  await root('AttachPolicyToRole', { RoleName: 'Reborn', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  await ecs('AttachInstanceRamRole', { RamRoleName: 'Reborn', InstanceIds: JSON.stringify([rebornId]) });

  // An instance attached with a session policy that takes ram:ListUsers away.
  const narrowedId = String((await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.34' }))['InstanceId']);
  await ecs('AttachInstanceRamRole', { RamRoleName: 'EcsAppRole', InstanceIds: JSON.stringify([narrowedId]), Policy: doc(allow('ram:*'), deny('ram:ListUsers')) });
  const narrowed = await instanceCredentials(server, '127.0.0.34', 'EcsAppRole');

  w = {
    server,
    root,
    alice,
    operator,
    opsHz,
    assumer,
    selfie,
    partner,
    dormant,
    beijingInstance,
    reattached: { instanceId: reattachedId, creds: reattachedCreds },
    recreated: { creds: rebornCreds },
    narrowed,
  };
});
after(() => w.server.stop());

interface Row {
  who: string;
  attempt: string;
  expect: string;
  /** Makes the attempt; its refusal code is compared with `expect`. */
  run(): Promise<unknown>;
  /** Read before and after: the attempt must not have changed it. */
  unchanged?(): Promise<unknown>;
}

const whoAmI = (creds: Creds) => stsRpc(w.server.endpoints.api, creds).whoAmI();

const ROWS: Row[] = [
  // Names are one name whatever their case (policy/resource.ts).
  {
    who: 'alice (Deny UpdateRole on role/Admin)',
    attempt: 'UpdateRole RoleName=admin',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.alice)('UpdateRole', { RoleName: 'admin', NewDescription: 'mine now' }),
    unchanged: async () => ((await w.root('GetRole', { RoleName: 'Admin' }))['Role'] as Record<string, unknown>)['Description'],
  },
  {
    who: 'alice (Deny AssumeRole on role/Admin)',
    attempt: 'AssumeRole RoleArn=…:role/ADMIN',
    expect: 'NoPermission',
    run: () => stsV3(w.server.apiHost, w.alice).assumeRole({ RoleArn: roleArn('ADMIN'), RoleSessionName: 'escape' }),
  },
  {
    who: 'alice (Deny AttachPolicyToUser on user/helpdesk)',
    attempt: 'AttachPolicyToUser UserName=HELPDESK AdministratorAccess',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.alice)('AttachPolicyToUser', { UserName: 'HELPDESK', PolicyType: 'System', PolicyName: 'AdministratorAccess' }),
    unchanged: () => w.root('ListPoliciesForUser', { UserName: 'helpdesk' }),
  },
  {
    who: 'alice (Deny DeletePolicy on policy/Guard-X)',
    attempt: 'DeletePolicy PolicyName=guard-x',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.alice)('DeletePolicy', { PolicyName: 'guard-x' }),
    unchanged: async () => ((await w.root('GetPolicy', { PolicyType: 'Custom', PolicyName: 'Guard-X' }))['Policy'] as Record<string, unknown>)['PolicyName'],
  },
  {
    who: 'operator (no ram:PassRole)',
    attempt: 'AttachInstanceRamRole RamRoleName=ecsapprole',
    expect: 'InvalidUser.PassRoleForbidden',
    run: () => ecsClient(w.server, w.operator)('AttachInstanceRamRole', { RamRoleName: 'ecsapprole', InstanceIds: JSON.stringify([w.beijingInstance]) }),
  },
  // Only the root manages the root's AccessKeys.
  {
    who: 'a session of a role with AliyunRAMFullAccess',
    attempt: 'CreateAccessKey without UserName (a root key)',
    expect: 'MissingUserName',
    run: async () => ramClient(w.server.apiHost, await session(w.assumer, 'RamAdmin'))('CreateAccessKey'),
    unchanged: () => w.root('ListAccessKeys'),
  },
  {
    who: 'a session of a role with AliyunRAMFullAccess',
    attempt: "UpdateAccessKey of the root's key to Inactive",
    expect: 'MissingUserName',
    run: async () => ramClient(w.server.apiHost, await session(w.assumer, 'RamAdmin'))('UpdateAccessKey', { UserAccessKeyId: ROOT.accessKeyId, Status: 'Inactive' }),
    unchanged: () => w.root('ListAccessKeys'),
  },
  // What runs is what the signature covers.
  {
    who: 'whoever captured a signed AssumeRole with a session policy',
    attempt: 'the same request with DurationSeconds=3600&Policy merged into one parameter name',
    expect: 'SignatureDoesNotMatch',
    run: async () => {
      const policy = doc(deny('*'));
      const sent = await capture((host) => stsV3(host, w.assumer).assumeRole({ RoleArn: roleArn('Reader'), RoleSessionName: 'narrow', DurationSeconds: 3600, Policy: policy }));
      const url = new URL(sent.url, 'http://x');
      assert.ok(url.searchParams.has('Policy') && url.searchParams.has('DurationSeconds'), 'the SDK puts both in the query');
      const rest = [...url.searchParams].filter(([k]) => k !== 'Policy' && k !== 'DurationSeconds');
      const smuggled = `/?${[`${encodeURIComponent('DurationSeconds=3600&Policy')}=${encodeURIComponent(policy)}`, ...rest.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&')}`;
      const answer = await replay(w.server.endpoints.api, sent, { url: smuggled });
      if (answer.status !== 200) throw Object.assign(new Error(String(answer.body['Message'])), { code: answer.body['Code'] });
      return answer;
    },
  },
  {
    who: 'a client that signed an RPC request without Action',
    attempt: 'the action named in the unsigned x-acs-action header',
    expect: 'MissingAction',
    run: async () => {
      const params = new Map(Object.entries({ Version: '2015-05-01', Format: 'JSON', AccessKeyId: w.alice.accessKeyId, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: randomUUID(), Timestamp: isoSeconds(), UserName: 'smuggled' }));
      params.set('Signature', rpcSignature(w.alice.accessKeySecret, rpcStringToSign('POST', params)));
      const answer = (await postForm(w.server.endpoints.api, encodeParams(params), { 'x-acs-action': 'CreateUser', 'x-acs-version': '2015-05-01' })).json();
      throw Object.assign(new Error(String(answer['Message'])), { code: answer['Code'] });
    },
    unchanged: async () => refusal(w.root('GetUser', { UserName: 'smuggled' })),
  },
  {
    who: 'a client that signed a V3 body without its Content-Type',
    attempt: 'the body read as form parameters',
    expect: 'IncompleteSignature',
    run: async () => {
      const body = Buffer.from('UserName=smuggled-v3');
      const host = new URL(w.server.endpoints.api).host;
      const headers: Record<string, string> = {
        host,
        'x-acs-action': 'CreateUser',
        'x-acs-version': '2015-05-01',
        'x-acs-date': isoSeconds(),
        'x-acs-signature-nonce': randomUUID().replace(/-/g, ''),
        'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
      };
      headers['authorization'] = OpenApiUtil.getAuthorization({ pathname: '/', method: 'POST', query: {}, headers }, 'ACS3-HMAC-SHA256', headers['x-acs-content-sha256'] ?? '', w.alice.accessKeyId, w.alice.accessKeySecret);
      const answer = await replay(w.server.endpoints.api, { method: 'POST', url: '/', headers, body }, { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      throw Object.assign(new Error(String(answer.body['Message'])), { code: answer.body['Code'] });
    },
    unchanged: async () => refusal(w.root('GetUser', { UserName: 'smuggled-v3' })),
  },
  // Resources are named by what is stored, not by what the caller says.
  {
    who: 'ops-hz (Deny ecs:* on cn-beijing instances)',
    attempt: 'DeleteInstance of a cn-beijing instance (no RegionId)',
    expect: 'NoPermission',
    run: () => ecsClient(w.server, w.opsHz)('DeleteInstance', { InstanceId: w.beijingInstance, RegionId: undefined }),
    unchanged: () => ecsClient(w.server, ROOT)('DescribeInstances', { RegionId: 'cn-beijing' }),
  },
  {
    who: 'ops-hz (Deny ecs:* on cn-beijing instances)',
    attempt: 'ModifyInstanceMetadataOptions of it, naming cn-hangzhou',
    expect: 'InvalidInstanceId.NotFound',
    run: () => ecsClient(w.server, w.opsHz)('ModifyInstanceMetadataOptions', { RegionId: 'cn-hangzhou', InstanceId: w.beijingInstance, HttpEndpoint: 'disabled' }),
    unchanged: () => ecsClient(w.server, ROOT)('DescribeInstances', { RegionId: 'cn-beijing' }),
  },
  {
    who: 'ops-hz (Deny ecs:* on cn-beijing instances)',
    attempt: 'ModifyInstanceMetadataOptions of it, naming cn-beijing',
    expect: 'NoPermission',
    run: () => ecsClient(w.server, w.opsHz)('ModifyInstanceMetadataOptions', { RegionId: 'cn-beijing', InstanceId: w.beijingInstance, HttpEndpoint: 'disabled' }),
    unchanged: () => ecsClient(w.server, ROOT)('DescribeInstances', { RegionId: 'cn-beijing' }),
  },
  // What was ended stays ended.
  {
    who: 'a session of Flip',
    attempt: 'its next call after the trust policy was narrowed and then restored',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const s = await session(w.assumer, 'Flip');
      await whoAmI(s);
      await w.root('UpdateRole', { RoleName: 'Flip', NewAssumeRolePolicyDocument: trustEcs });
      await w.root('UpdateRole', { RoleName: 'Flip', NewAssumeRolePolicyDocument: trustAccount(A) });
      return whoAmI(s);
    },
  },
  {
    who: "an instance's first credentials",
    attempt: 'a call after the role was detached and attached again',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const ecs = ecsClient(w.server, ROOT);
      await whoAmI(w.reattached.creds);
      await ecs('DetachInstanceRamRole', { InstanceIds: JSON.stringify([w.reattached.instanceId]) });
      await ecs('AttachInstanceRamRole', { RamRoleName: 'EcsAppRole', InstanceIds: JSON.stringify([w.reattached.instanceId]) });
      const handedOut = await instanceCredentials(w.server, '127.0.0.32', 'EcsAppRole');
      assert.notEqual(handedOut.accessKeyId, w.reattached.creds.accessKeyId, 'the metadata service hands out a new set');
      return whoAmI(w.reattached.creds);
    },
  },
  {
    who: "an instance's credentials from a role since deleted and created again",
    attempt: 'a call, and what the metadata service hands out',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const handedOut = await instanceCredentials(w.server, '127.0.0.33', 'Reborn');
      assert.notEqual(handedOut.accessKeyId, w.recreated.creds.accessKeyId, 'not the dead set');
      await whoAmI(handedOut);
      return whoAmI(w.recreated.creds);
    },
  },
  {
    who: 'an instance attached with a Policy denying ram:ListUsers',
    attempt: 'ListUsers with its credentials',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.narrowed)('ListUsers'),
  },
  {
    who: 'a session of Hop2 assumed by a session of Hop1',
    attempt: "a call after Hop1's sessions were revoked",
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const hop1 = await session(w.assumer, 'Hop1');
      const hop2 = await session(hop1, 'Hop2');
      await whoAmI(hop2);
      await revokeSessions(w.server, ROOT, 'Hop1');
      return whoAmI(hop2);
    },
  },
  {
    who: 'a session of Hop1',
    attempt: 'AssumeRole Hop2 for 12 hours (chaining renews past its origin)',
    expect: 'InvalidParameter.DurationSeconds',
    run: async () => session(await session(w.assumer, 'Hop1'), 'Hop2', { DurationSeconds: 43200 }),
  },
  // The rest of the table: what must never have worked.
  {
    who: 'selfie (may attach policies to user/other)',
    attempt: 'AttachPolicyToUser AdministratorAccess to itself',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.selfie)('AttachPolicyToUser', { UserName: 'selfie', PolicyType: 'System', PolicyName: 'AdministratorAccess' }),
    unchanged: () => w.root('ListPoliciesForUser', { UserName: 'selfie' }),
  },
  {
    who: 'selfie (may create keys for user/other)',
    attempt: "CreateAccessKey for alice, and for the account root",
    expect: 'NoPermission',
    run: async () => {
      assert.equal(await refusal(ramClient(w.server.apiHost, w.selfie)('CreateAccessKey')), 'NoPermission');
      return ramClient(w.server.apiHost, w.selfie)('CreateAccessKey', { UserName: 'alice' });
    },
    unchanged: () => w.root('ListAccessKeys', { UserName: 'alice' }),
  },
  {
    who: "another account's user with AliyunSTSAssumeRoleAccess",
    attempt: 'AssumeRole of a role that trusts only its own account',
    expect: 'NoPermission',
    run: () => stsV3(w.server.apiHost, w.partner).assumeRole({ RoleArn: roleArn('Reader'), RoleSessionName: 'visit' }),
  },
  {
    who: 'a session of Reader (read-only) with a session policy allowing *',
    attempt: 'CreateUser',
    expect: 'NoPermission',
    run: async () => ramClient(w.server.apiHost, await session(w.assumer, 'Reader', { Policy: doc(allow('*')) }))('CreateUser', { UserName: 'widened' }),
  },
  {
    who: 'operator (AliyunECSFullAccess, no ram:PassRole)',
    attempt: 'RunInstances with RamRoleName=EcsAppRole',
    expect: 'InvalidUser.PassRoleForbidden',
    run: () => ecsClient(w.server, w.operator)('RunInstances', { ImageId: 'img', InstanceType: 't', RamRoleName: 'EcsAppRole' }),
  },
  {
    who: 'dormant (its AccessKey disabled)',
    attempt: 'ListUsers',
    expect: 'InvalidAccessKeyId.Inactive',
    run: () => ramClient(w.server.apiHost, w.dormant)('ListUsers'),
  },
  {
    who: 'a session of Reader',
    attempt: 'a call after RevokeRoleSessions',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const s = await session(w.assumer, 'Reader');
      await whoAmI(s);
      await revokeSessions(w.server, ROOT, 'Reader');
      return whoAmI(s);
    },
  },
  {
    who: 'a session of Phoenix',
    attempt: 'a call after the role was deleted and created again',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const s = await session(w.assumer, 'Phoenix');
      await w.root('DetachPolicyFromRole', { RoleName: 'Phoenix', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
      await w.root('DeleteRole', { RoleName: 'Phoenix' });
      await w.root('CreateRole', { RoleName: 'Phoenix', AssumeRolePolicyDocument: trustAccount(A) });
      return whoAmI(s);
    },
  },
  {
    who: 'a new user of a deleted administrator\'s name',
    attempt: 'ListUsers',
    expect: 'NoPermission',
    run: async () => {
      await userWithKey(w.root, 'bob', { system: ['AdministratorAccess'] }).then(async (old) => {
        await w.root('DetachPolicyFromUser', { UserName: 'bob', PolicyType: 'System', PolicyName: 'AdministratorAccess' });
        await w.root('DeleteAccessKey', { UserName: 'bob', UserAccessKeyId: old.accessKeyId });
        await w.root('DeleteUser', { UserName: 'bob' });
      });
      return ramClient(w.server.apiHost, await userWithKey(w.root, 'BOB'))('ListUsers');
    },
  },
  {
    who: 'a session whose SecurityToken was re-spelt (standard base64 alphabet, trailing junk)',
    attempt: 'GetCallerIdentity',
    expect: 'InvalidSecurityToken.Malformed',
    run: async () => {
      const s = await session(w.assumer, 'Reader');
      const token = s.securityToken ?? '';
      const respelt = token.replace(/-/g, '+').replace(/_/g, '/');
      const padded = `${token}A`;
      if (respelt !== token) assert.equal(await refusal(whoAmI({ ...s, securityToken: respelt })), 'InvalidSecurityToken.Malformed');
      return whoAmI({ ...s, securityToken: padded });
    },
  },
  {
    who: "a session presenting another session's token",
    attempt: 'GetCallerIdentity',
    expect: 'InvalidSecurityToken.MismatchWithAccessKey',
    run: async () => {
      const one = await session(w.assumer, 'Reader');
      const two = await session(w.assumer, 'Reader');
      return whoAmI({ ...one, securityToken: two.securityToken ?? '' });
    },
  },
];

/** A read's answer without its request id, which differs between two reads of the same state. */
async function state(row: Row): Promise<unknown> {
  const answer = await row.unchanged?.();
  return JSON.parse(JSON.stringify(answer ?? null, (k, v: unknown) => (k === 'RequestId' ? undefined : v)));
}

for (const row of ROWS) {
  test(`${row.who}: ${row.attempt} → ${row.expect}`, async () => {
    const before = await state(row);
    assert.equal(await refusal(row.run()), row.expect);
    assert.deepEqual(await state(row), before, 'the refused attempt changed nothing');
  });
}

test('what the matrix refuses is not everything: the same principals still do what they may', async () => {
  // Alibaba writes role ARNs in lower case; such a policy names the mixed-case role.
  await w.root('CreatePolicy', { PolicyName: 'pass-ecs-app-role', PolicyDocument: doc(allow('ram:PassRole', 'acs:ram:*:*:role/ecsapprole')) });
  await w.root('AttachPolicyToUser', { UserName: 'operator', PolicyType: 'Custom', PolicyName: 'pass-ecs-app-role' });
  const ecs = ecsClient(w.server, w.operator);
  const { InstanceId } = await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.35' });
  assert.equal((await ecs('AttachInstanceRamRole', { RamRoleName: 'EcsAppRole', InstanceIds: JSON.stringify([InstanceId]) }))['FailCount'], 0);
  await ramClient(w.server.apiHost, w.alice)('UpdateRole', { RoleName: 'Reader', NewDescription: 'alice may' });
  await ramClient(w.server.apiHost, await session(w.assumer, 'Admin'))('ListUsers');
  await w.root('CreateUser', { UserName: 'other' });
  await ramClient(w.server.apiHost, w.selfie)('CreateAccessKey', { UserName: 'other' });
});
