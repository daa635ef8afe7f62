// The escalation matrix: every way found so far for a principal to get more than it has, one row
// each (who, what they try, the refusal they must get), driven through the official SDKs or the
// very requests they send. A row also names what must be unchanged afterwards, where the attempt
// would have written. A new way in becomes a new row.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { rpcSignature, rpcStringToSign } from '../../src/auth/index.js';
import { totp } from '../../src/auth/totp.js';
import { createAccount } from '../../src/server/index.js';
import { capture, replay } from '../helpers/capture.js';
import { runCli } from '../helpers/cli.js';
import { AUDIENCE, startTestIdp, type TestIdp } from '../helpers/oidc-idp.js';
import { encodeParams, isoSeconds, postForm } from '../helpers/rpc-client.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { imsClient } from '../sdk/ims-client.js';
import { ossClient } from '../sdk/oss-client.js';
import type { Creds, RamCall } from '../sdk/ram-client.js';
import { base64, createIdp, encodedMetadata, ROLE_SSO_ACS, signedResponse, type Idp } from '../sdk/saml-idp.js';
import { PopCore } from '../sdk/sdk-clients.js';
import { sessionOf, stsRpc, stsV3, type Session } from '../sdk/sts-client.js';
import { assumeRoleWithOIDC, assumeRoleWithSAML } from './federation.js';
import { allow, deny, doc, ecsClient, instanceCredentials, ramClient, refusal, revokeSessions, trustAccount, trustEcs, userWithKey } from './fixture.js';

const require = createRequire(import.meta.url);
const OpenApiUtil = require('@alicloud/openapi-core/dist/utils.js').default as {
  getAuthorization(request: { pathname: string; method: string; query: Record<string, string>; headers: Record<string, string> }, algorithm: string, payload: string, accessKeyId: string, secret: string): string;
};

const A = ROOT.accountId;
const roleArn = (name: string) => `acs:ram::${A}:role/${name}`;
const oidcProvider = (name: string, account: string = A) => `acs:ram::${account}:oidc-provider/${name}`;
const samlProvider = (name: string) => `acs:ram::${A}:saml-provider/${name}`;
const trustFederated = (providers: string[], condition?: object) =>
  doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: providers }, ...(condition ? { Condition: condition } : {}) });
const SAML_ENTITY = 'https://idp.matrix.example/saml';

/** The server's clock runs this far from the test's; moved only inside a row, and put back. */
let skew = 0;
async function atSkew<T>(ms: number, run: () => Promise<T>): Promise<T> {
  skew = ms;
  try {
    return await run();
  } finally {
    skew = 0;
  }
}

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
  /** Another account: its id, root keys, and a RAM user with OSS and RAM read-only but no sts:AssumeRole. */
  b: { accountId: string; root: Creds; noAssume: Creds };
  idpA: TestIdp;
  idpB: TestIdp;
  saml: Idp;
  versioner: Creds;
  mfaBound: Creds;
  ramFull: Creds;
  lowerDeny: Creds;
  passReader: Creds;
  keyholder: Creds;
  carol: Creds;
  ossAdmin: Creds;
  ossDenied: Creds;
}
let w: World;

async function session(creds: Creds, role: string, extra: Record<string, unknown> = {}): Promise<Session> {
  return sessionOf(await stsV3(w.server.apiHost, creds).assumeRole({ RoleArn: roleArn(role), RoleSessionName: 'matrix', ...extra }));
}

before(async () => {
  const idpA = await startTestIdp();
  const idpB = await startTestIdp();
  const server = await startTestServer({ assumeRoleRate: 0, now: () => Date.now() + skew, oidc: { caCertificates: [idpA.ca.certPem, idpB.ca.certPem] } });
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

  // Self-granting: a policy of one's own to widen, a login profile and an MFA device to shed, the root's key.
  await root('CreatePolicy', { PolicyName: 'team-shared', PolicyDocument: doc(allow('ram:GetUser')) });
  const versioner = await userWithKey(root, 'versioner', {
    custom: { 'versioner-own': doc(allow(['ram:CreatePolicyVersion', 'ram:SetDefaultPolicyVersion'], `acs:ram::${A}:policy/team-shared`), allow('ram:GetPolicy*')) },
  });
  // A wider version of its own policy, made by the root and not the default.
  await root('CreatePolicyVersion', { PolicyName: 'versioner-own', PolicyDocument: doc(allow('*')) });
  const mfaBound = await userWithKey(root, 'mfa-bound', {
    custom: { 'manage-other-login': doc(allow(['ram:UpdateLoginProfile', 'ram:DeleteLoginProfile', 'ram:UnbindMFADevice'], `acs:ram::${A}:user/other`)) },
  });
  await root('CreateLoginProfile', { UserName: 'mfa-bound', Password: 'Matrix-Passw0rd!', MFABindRequired: true });
  const device = (await root('CreateVirtualMFADevice', { VirtualMFADeviceName: 'mfa-bound' }))['VirtualMFADevice'] as Record<string, string>;
  const seed = device['Base32StringSeed'] ?? '';
  await root('BindMFADevice', { SerialNumber: device['SerialNumber'], UserName: 'mfa-bound', AuthenticationCode1: totp(seed, Date.now() - 30_000), AuthenticationCode2: totp(seed, Date.now()) });
  const ramFull = await userWithKey(root, 'ram-full', { system: ['AliyunRAMFullAccess'] });

  // Names: a Deny written as Alibaba writes role ARNs (any region, any account, lower case).
  const lowerDeny = await userWithKey(root, 'lower-deny', { system: ['AdministratorAccess'], custom: { 'no-admin-lower': doc(deny('sts:AssumeRole', 'acs:ram:*:*:role/admin')) } });
  const passReader = await userWithKey(root, 'pass-reader', { system: ['AliyunECSFullAccess'], custom: { 'pass-reader-only': doc(allow('ram:PassRole', roleArn('Reader'))) } });

  // Sessions that must end with what they came from.
  for (const role of ['Sentinel', 'Cut', 'Short', 'Chain']) {
    await root('CreateRole', { RoleName: role, AssumeRolePolicyDocument: trustAccount(A) });
    await root('AttachPolicyToRole', { RoleName: role, PolicyType: 'System', PolicyName: role === 'Chain' ? 'AliyunSTSAssumeRoleAccess' : 'AliyunRAMReadOnlyAccess' });
  }
  const keyholder = await userWithKey(root, 'keyholder', { system: ['AliyunSTSAssumeRoleAccess'] });
  await root('CreateRole', { RoleName: 'ForCarol', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${A}:user/carol`] } }) });
  await root('AttachPolicyToRole', { RoleName: 'ForCarol', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  const carol = await userWithKey(root, 'carol', { system: ['AliyunSTSAssumeRoleAccess'] });

  // Another account: a role of ours that trusts its root, its user without sts:AssumeRole, its own OIDC provider.
  const bRoot = { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret };
  const noAssume = await userWithKey(ramClient(server.apiHost, bRoot), 'no-assume', { system: ['AliyunOSSFullAccess', 'AliyunRAMReadOnlyAccess'] });
  await root('CreateRole', { RoleName: 'TrustsB', AssumeRolePolicyDocument: trustAccount(b.AccountId) });
  await root('AttachPolicyToRole', { RoleName: 'TrustsB', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  const oidcOf = (idp: TestIdp) => ({ IssuerUrl: idp.issuer, Fingerprints: idp.caFingerprint, ClientIds: AUDIENCE });
  await imsClient(server.apiHost, bRoot)('CreateOIDCProvider', { OIDCProviderName: 'b-idp', ...oidcOf(idpB) });

  // Federation: two outside OIDC IdPs, Rampart's own issuer, a SAML IdP; roles trusting each.
  const ims = imsClient(server.apiHost, ROOT);
  await ims('CreateOIDCProvider', { OIDCProviderName: 'idp-a', ...oidcOf(idpA) });
  await ims('CreateOIDCProvider', { OIDCProviderName: 'idp-b', ...oidcOf(idpB) });
  // Rampart's issuer is http here, which IMS refuses: the provider is made in the store, as an operator would.
  const at = new Date();
  await server.store.federation.createOidcProvider({ accountId: A, name: 'rampart', issuerUrl: server.oidcIssuer, clientIds: [AUDIENCE], fingerprints: [], issuanceLimitTime: 12, description: '', createdAt: at, updatedAt: at });
  const saml = createIdp(SAML_ENTITY);
  await ims('CreateSAMLProvider', { SAMLProviderName: 'corp', EncodedSAMLMetadataDocument: encodedMetadata(SAML_ENTITY, [{ base64: saml.certBase64, use: 'signing' }]) });
  const fedRoles: [string, string][] = [
    ['FedA', trustFederated([oidcProvider('idp-a')])],
    ['FedB', trustFederated([oidcProvider('idp-b')])],
    // Forgets oidc:sub: only the audience is checked.
    ['FedRampart', trustFederated([oidcProvider('rampart')], { StringEquals: { 'oidc:aud': AUDIENCE } })],
    ['FedForeign', trustFederated([oidcProvider('b-idp', b.AccountId)])],
    ['SamlX', trustFederated([samlProvider('corp')], { StringEquals: { 'saml:recipient': ROLE_SSO_ACS } })],
    ['SamlY', trustFederated([samlProvider('corp')], { StringEquals: { 'saml:recipient': ROLE_SSO_ACS } })],
  ];
  for (const [role, trust] of fedRoles) {
    await root('CreateRole', { RoleName: role, AssumeRolePolicyDocument: trust });
    await root('AttachPolicyToRole', { RoleName: role, PolicyType: 'System', PolicyName: role === 'SamlY' ? 'AliyunRAMFullAccess' : 'AliyunRAMReadOnlyAccess' });
  }

  // OSS: a private bucket, and one whose policy denies an OSS administrator and allows a user its own policy denies.
  const ossAdmin = await userWithKey(root, 'oss-admin', { system: ['AliyunOSSFullAccess'] });
  const ossDenied = await userWithKey(root, 'oss-denied', { custom: { 'no-guarded-reads': doc(deny('oss:GetObject', 'acs:oss:*:*:a-guarded/*')) } });
  const uid = async (name: string) => String(((await root('GetUser', { UserName: name }))['User'] as Record<string, unknown>)['UserId']);
  const rootOss = ossClient(server.endpoints.oss, ROOT);
  for (const bucket of ['a-private', 'a-guarded']) {
    await rootOss.putBucket(bucket);
    await ossClient(server.endpoints.oss, ROOT, { bucket }).put('secret.txt', Buffer.from('secret'));
  }
  await rootOss.putBucketPolicy('a-guarded', {
    Version: '1',
    Statement: [
      { Effect: 'Deny', Action: ['oss:GetObject'], Principal: [await uid('oss-admin')], Resource: ['acs:oss:*:*:a-guarded/*'] },
      { Effect: 'Allow', Action: ['oss:GetObject'], Principal: [await uid('oss-denied')], Resource: ['acs:oss:*:*:a-guarded/*'] },
    ],
  } as never);

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
    b: { accountId: b.AccountId, root: bRoot, noAssume },
    idpA,
    idpB,
    saml,
    versioner,
    mfaBound,
    ramFull,
    lowerDeny,
    passReader,
    keyholder,
    carol,
    ossAdmin,
    ossDenied,
  };
});
after(async () => {
  await w.server.stop();
  await w.idpA.stop();
  await w.idpB.stop();
});

interface Row {
  who: string;
  attempt: string;
  expect: string;
  /** Makes the attempt; its refusal code is compared with `expect`. */
  run(): Promise<unknown>;
  /** Read before and after: the attempt must not have changed it. */
  unchanged?(): Promise<unknown>;
  /** A known defect: the row says what must happen, and is reported (not failed) until it does. */
  defect?: string;
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
  // Session policies narrow, never widen.
  {
    who: 'an instance of EcsAppRole (read-only) attached with a Policy allowing *',
    attempt: 'CreateUser with its metadata credentials',
    expect: 'NoPermission',
    run: async () => {
      const ecs = ecsClient(w.server, ROOT);
      const { InstanceId } = await ecs('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.36' });
      await ecs('AttachInstanceRamRole', { RamRoleName: 'EcsAppRole', InstanceIds: JSON.stringify([InstanceId]), Policy: doc(allow('*')) });
      return ramClient(w.server.apiHost, await instanceCredentials(w.server, '127.0.0.36', 'EcsAppRole'))('CreateUser', { UserName: 'widened-instance' });
    },
    unchanged: async () => refusal(w.root('GetUser', { UserName: 'widened-instance' })),
  },
  {
    who: 'an OIDC session of FedA (read-only) with a session policy allowing *',
    attempt: 'CreateUser',
    expect: 'NoPermission',
    run: async () => {
      const body = await assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('idp-a'), RoleArn: roleArn('FedA'), OIDCToken: await w.idpA.token(), Policy: doc(allow('*')) });
      return ramClient(w.server.apiHost, sessionOf(body))('CreateUser', { UserName: 'widened-oidc' });
    },
    unchanged: async () => refusal(w.root('GetUser', { UserName: 'widened-oidc' })),
  },
  // Chains are bounded, in length and in time.
  {
    who: 'a session of Chain at the end of a chain of 8 sessions',
    attempt: 'AssumeRole Chain once more',
    expect: 'NoPermission',
    run: async () => {
      let s = await session(w.assumer, 'Chain');
      for (let link = 2; link <= 8; link++) s = await session(s, 'Chain', { DurationSeconds: 900 });
      await whoAmI(s);
      return session(s, 'Chain', { DurationSeconds: 900 });
    },
  },
  {
    who: 'a session of Hop2 assumed for an hour by a 15-minute session of Hop1',
    attempt: "a call once the clock has passed Hop1's expiry",
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      // Issued with the server's clock 899 s behind, so the origin ends a second from now.
      const [origin, chained] = await atSkew(-899_000, async () => {
        const hop1 = await session(w.assumer, 'Hop1', { DurationSeconds: 900 });
        return [hop1, (await stsV3(w.server.apiHost, hop1).assumeRole({ RoleArn: roleArn('Hop2'), RoleSessionName: 'matrix', DurationSeconds: 3600 }))] as const;
      });
      assert.equal(sessionOf(chained).expiration, origin.expiration, 'the chained session ends with its origin');
      await whoAmI(sessionOf(chained));
      return atSkew(2_000, () => whoAmI(sessionOf(chained)));
    },
  },
  // PassRole is for the role passed, not any role.
  {
    who: 'pass-reader (AliyunECSFullAccess, ram:PassRole on role/Reader only)',
    attempt: 'AttachInstanceRamRole RamRoleName=EcsAppRole',
    expect: 'InvalidUser.PassRoleForbidden',
    run: () => ecsClient(w.server, w.passReader)('AttachInstanceRamRole', { RamRoleName: 'EcsAppRole', InstanceIds: JSON.stringify([w.beijingInstance]), RegionId: 'cn-beijing' }),
    unchanged: () => ecsClient(w.server, ROOT)('DescribeInstances', { RegionId: 'cn-beijing' }),
  },
  // Nobody widens their own grants.
  {
    who: 'versioner (may version policy/team-shared)',
    attempt: 'CreatePolicyVersion of its own policy allowing *, SetAsDefault=true',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.versioner)('CreatePolicyVersion', { PolicyName: 'versioner-own', PolicyDocument: doc(allow('*')), SetAsDefault: true }),
    unchanged: () => w.root('ListPolicyVersions', { PolicyType: 'Custom', PolicyName: 'versioner-own' }),
  },
  {
    who: 'versioner (may set default versions of policy/team-shared)',
    attempt: 'SetDefaultPolicyVersion of its own policy to the wider v2',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.versioner)('SetDefaultPolicyVersion', { PolicyName: 'VERSIONER-OWN', VersionId: 'v2' }),
    unchanged: () => w.root('ListPolicyVersions', { PolicyType: 'Custom', PolicyName: 'versioner-own' }),
  },
  {
    who: 'mfa-bound (MFABindRequired; may update the login profile of user/other)',
    attempt: 'UpdateLoginProfile of itself MFABindRequired=false',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.mfaBound)('UpdateLoginProfile', { UserName: 'mfa-bound', MFABindRequired: false, Password: 'Chosen-Passw0rd!' }),
    unchanged: () => w.root('GetLoginProfile', { UserName: 'mfa-bound' }),
  },
  {
    who: 'mfa-bound (may unbind the MFA device of user/other)',
    attempt: 'UnbindMFADevice of itself',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.mfaBound)('UnbindMFADevice', { UserName: 'mfa-bound' }),
    unchanged: () => w.root('GetUserMFAInfo', { UserName: 'mfa-bound' }),
  },
  {
    who: 'mfa-bound (may delete the login profile of user/other)',
    attempt: 'DeleteLoginProfile of itself (to create one without MFA)',
    expect: 'NoPermission',
    run: () => ramClient(w.server.apiHost, w.mfaBound)('DeleteLoginProfile', { UserName: 'mfa-bound' }),
    unchanged: () => w.root('GetLoginProfile', { UserName: 'mfa-bound' }),
  },
  {
    who: 'ram-full (a RAM user with AliyunRAMFullAccess)',
    attempt: "UpdateAccessKey of the root's key to Inactive, without UserName",
    expect: 'EntityNotExist.User.AccessKey',
    run: () => ramClient(w.server.apiHost, w.ramFull)('UpdateAccessKey', { UserAccessKeyId: ROOT.accessKeyId, Status: 'Inactive' }),
    unchanged: () => w.root('ListAccessKeys'),
  },
  {
    who: 'ram-full (a RAM user with AliyunRAMFullAccess)',
    attempt: "DeleteAccessKey of the root's key, naming itself",
    expect: 'EntityNotExist.User.AccessKey',
    run: () => ramClient(w.server.apiHost, w.ramFull)('DeleteAccessKey', { UserName: 'ram-full', UserAccessKeyId: ROOT.accessKeyId }),
    unchanged: () => w.root('ListAccessKeys'),
  },
  // Another account is another account.
  {
    who: "another account's user without sts:AssumeRole",
    attempt: "AssumeRole of TrustsB, whose trust names that account's root",
    expect: 'NoPermission',
    run: () => stsV3(w.server.apiHost, w.b.noAssume).assumeRole({ RoleArn: roleArn('TrustsB'), RoleSessionName: 'visit' }),
  },
  {
    who: "another account's user with AliyunOSSFullAccess",
    attempt: 'GetObject from a private bucket with no bucket policy',
    expect: 'AccessDenied',
    run: () => ossClient(w.server.endpoints.oss, w.b.noAssume, { bucket: 'a-private' }).get('secret.txt'),
  },
  {
    who: "another account's user with AliyunOSSFullAccess",
    attempt: 'PutObject over an object of a private bucket with no bucket policy',
    expect: 'AccessDenied',
    run: () => ossClient(w.server.endpoints.oss, w.b.noAssume, { bucket: 'a-private' }).put('secret.txt', Buffer.from('mine now')),
    unchanged: async () => String((await ossClient(w.server.endpoints.oss, ROOT, { bucket: 'a-private' }).get('secret.txt')).content),
  },
  // A bucket policy and the caller's policies: an explicit Deny in either wins.
  {
    who: 'oss-admin (AliyunOSSFullAccess), denied by the bucket policy',
    attempt: 'GetObject from a-guarded',
    expect: 'AccessDenied',
    run: () => ossClient(w.server.endpoints.oss, w.ossAdmin, { bucket: 'a-guarded' }).get('secret.txt'),
  },
  {
    who: 'oss-denied (its own policy denies a-guarded reads), allowed by the bucket policy',
    attempt: 'GetObject from a-guarded',
    expect: 'AccessDenied',
    run: () => ossClient(w.server.endpoints.oss, w.ossDenied, { bucket: 'a-guarded' }).get('secret.txt'),
  },
  // What was ended stays ended (continued).
  {
    who: 'a session of Cut',
    attempt: 'a call after `rampart role revoke-sessions` beside the running server',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const s = await session(w.assumer, 'Cut');
      await whoAmI(s);
      const out = await runCli(['role', 'revoke-sessions', '--account', A, '--role', 'cut', '--data', w.server.dataDir]);
      assert.equal(out.code, 0, out.stderr);
      return whoAmI(s);
    },
  },
  {
    who: 'a session of Sentinel assumed with the AccessKey of keyholder',
    attempt: 'a call after that AccessKey was made Inactive',
    expect: 'InvalidSecurityToken.Expired',
    // Alibaba documents only that a disabled key "can no longer be used to make API calls"; AWS
    // documents that sessions outlive it. Disabling is the incident response: the session ends
    // with the key (its link records the key and its user).
    run: async () => {
      const s = await session(w.keyholder, 'Sentinel');
      await whoAmI(s);
      await w.root('UpdateAccessKey', { UserName: 'keyholder', UserAccessKeyId: w.keyholder.accessKeyId, Status: 'Inactive' });
      assert.equal(await refusal(whoAmI(w.keyholder)), 'InvalidAccessKeyId.Inactive', 'the key itself stops');
      return whoAmI(s);
    },
  },
  {
    who: 'a session of ForCarol (trust names user/carol) assumed by carol',
    attempt: 'a call after carol was deleted and a new carol created',
    expect: 'InvalidSecurityToken.Expired',
    // The link records the UserId and the AccessKey: a namesake revives neither.
    run: async () => {
      const s = await session(w.carol, 'ForCarol');
      await whoAmI(s);
      await w.root('DetachPolicyFromUser', { UserName: 'carol', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
      await w.root('DeleteAccessKey', { UserName: 'carol', UserAccessKeyId: w.carol.accessKeyId });
      await w.root('DeleteUser', { UserName: 'carol' });
      w.carol = await userWithKey(w.root, 'carol', { system: ['AliyunSTSAssumeRoleAccess'] });
      return whoAmI(s);
    },
  },
  // Tokens are what was issued, unaltered, in time.
  {
    who: 'a session whose SecurityToken has one character changed in the middle',
    attempt: 'GetCallerIdentity',
    expect: 'InvalidSecurityToken.Malformed',
    run: async () => {
      const s = await session(w.assumer, 'Short');
      const token = s.securityToken ?? '';
      const at = Math.floor(token.length / 2);
      const flipped = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      return whoAmI({ ...s, securityToken: flipped });
    },
  },
  {
    who: 'a 15-minute session of Short',
    attempt: 'GetCallerIdentity once the server clock has passed its expiry',
    expect: 'InvalidSecurityToken.Expired',
    run: async () => {
      const s = await atSkew(-899_000, () => session(w.assumer, 'Short', { DurationSeconds: 900 }));
      await whoAmI(s);
      return atSkew(2_000, () => whoAmI(s));
    },
  },
  {
    who: "a long-term AccessKey presented with a session's SecurityToken",
    attempt: 'GetCallerIdentity',
    expect: 'InvalidSecurityToken.MismatchWithAccessKey',
    run: async () => whoAmI({ ...w.assumer, securityToken: (await session(w.assumer, 'Short')).securityToken ?? '' }),
  },
  // Spellings of a name that are not the name.
  {
    who: 'alice (Deny AssumeRole on acs:ram::…:role/Admin)',
    attempt: 'AssumeRole RoleArn=acs:ram:*:…:role/Admin',
    expect: 'NoPermission',
    run: () => stsV3(w.server.apiHost, w.alice).assumeRole({ RoleArn: `acs:ram:*:${A}:role/Admin`, RoleSessionName: 'escape' }),
  },
  {
    who: 'lower-deny (Deny AssumeRole on acs:ram:*:*:role/admin)',
    attempt: 'AssumeRole RoleArn=acs:ram::…:role/Admin',
    expect: 'NoPermission',
    run: () => stsV3(w.server.apiHost, w.lowerDeny).assumeRole({ RoleArn: roleArn('Admin'), RoleSessionName: 'escape' }),
  },
  {
    who: 'alice (Deny AssumeRole on role/Admin)',
    attempt: 'AssumeRole RoleArn=…:role/Ad%6Din (percent-encoded)',
    expect: 'InvalidParameter.RoleArn',
    run: () => stsV3(w.server.apiHost, w.alice).assumeRole({ RoleArn: roleArn('Ad%6Din'), RoleSessionName: 'escape' }),
  },
  {
    who: 'alice (Deny UpdateRole on role/Admin)',
    attempt: 'UpdateRole RoleName=Ad%6Din (percent-encoded)',
    expect: 'InvalidParameter.RoleName.InvalidChars',
    run: () => ramClient(w.server.apiHost, w.alice)('UpdateRole', { RoleName: 'Ad%6Din', NewDescription: 'mine now' }),
    unchanged: () => w.root('GetRole', { RoleName: 'Admin' }),
  },
  {
    who: 'alice (Deny UpdateRole on role/Admin)',
    attempt: 'UpdateRole RoleName="Admin " (trailing space)',
    expect: 'InvalidParameter.RoleName.InvalidChars',
    run: () => ramClient(w.server.apiHost, w.alice)('UpdateRole', { RoleName: 'Admin ', NewDescription: 'mine now' }),
    unchanged: () => w.root('GetRole', { RoleName: 'Admin' }),
  },
  {
    who: 'alice (Deny UpdateRole on role/Admin)',
    attempt: 'UpdateRole RoleName=Admin. (trailing dot)',
    expect: 'EntityNotExist.Role',
    run: () => ramClient(w.server.apiHost, w.alice)('UpdateRole', { RoleName: 'Admin.', NewDescription: 'mine now' }),
    unchanged: () => w.root('GetRole', { RoleName: 'Admin' }),
  },
  {
    who: 'alice (Deny UpdateRole on role/Admin)',
    attempt: 'UpdateRole RoleName=Аdmin (Cyrillic А)',
    expect: 'InvalidParameter.RoleName.InvalidChars',
    run: () => ramClient(w.server.apiHost, w.alice)('UpdateRole', { RoleName: '\u0410dmin', NewDescription: 'mine now' }),
    unchanged: () => w.root('GetRole', { RoleName: 'Admin' }),
  },
  {
    who: 'alice (Deny AttachPolicyToUser on user/helpdesk)',
    attempt: 'AttachPolicyToUser UserName=help%64esk AdministratorAccess',
    expect: 'InvalidParameter.UserName.InvalidChars',
    run: () => ramClient(w.server.apiHost, w.alice)('AttachPolicyToUser', { UserName: 'help%64esk', PolicyType: 'System', PolicyName: 'AdministratorAccess' }),
    unchanged: () => w.root('ListPoliciesForUser', { UserName: 'helpdesk' }),
  },
  {
    who: 'alice (Deny AttachPolicyToUser on user/helpdesk)',
    attempt: 'AttachPolicyToUser UserName="helpdesk " AdministratorAccess',
    expect: 'InvalidParameter.UserName.InvalidChars',
    run: () => ramClient(w.server.apiHost, w.alice)('AttachPolicyToUser', { UserName: 'helpdesk ', PolicyType: 'System', PolicyName: 'AdministratorAccess' }),
    unchanged: () => w.root('ListPoliciesForUser', { UserName: 'helpdesk' }),
  },
  // Federation: a token or an assertion is good for what it names, and for its own account.
  {
    who: "a holder of IdP A's OIDC token",
    attempt: "AssumeRoleWithOIDC of FedB, naming provider idp-b's ARN",
    // Its kid names no key of idp-b (both IdPs call theirs key-1): refused before iss is compared.
    expect: 'AuthenticationFail.OIDCToken.InvalidSignature',
    run: async () => assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('idp-b'), RoleArn: roleArn('FedB'), OIDCToken: await w.idpA.token() }),
  },
  {
    who: "a holder of IdP A's OIDC token",
    attempt: 'AssumeRoleWithOIDC of FedB (trusts only idp-b), naming idp-a',
    expect: 'AuthenticationFail.NoPermission',
    run: async () => assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('idp-a'), RoleArn: roleArn('FedB'), OIDCToken: await w.idpA.token() }),
  },
  {
    who: 'a holder of a SAML assertion naming role SamlX',
    attempt: 'AssumeRoleWithSAML of SamlY (which trusts the same provider)',
    expect: 'NoPermission',
    run: () =>
      assumeRoleWithSAML(w.server.apiHost, {
        SAMLProviderArn: samlProvider('corp'),
        RoleArn: roleArn('SamlY'),
        SAMLAssertion: base64(signedResponse({ issuer: SAML_ENTITY, roles: [`${roleArn('SamlX')},${samlProvider('corp')}`], sessionName: 'alice.sso' }, w.saml)),
      }),
  },
  {
    who: "another account's Rampart-issued OIDC token (IssueOIDCToken)",
    attempt: "AssumeRoleWithOIDC of FedRampart, which trusts this account's provider for Rampart's issuer and forgets oidc:sub",
    expect: 'AuthenticationFail.NoPermission',
    run: async () => {
      const issued = await new PopCore({ ...w.b.root, endpoint: w.server.endpoints.api, apiVersion: '2026-11-01' }).request('IssueOIDCToken', { Subject: 'deployer', Audience: AUDIENCE }, { method: 'POST' });
      return assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('rampart'), RoleArn: roleArn('FedRampart'), OIDCToken: String(issued['OIDCToken']) });
    },
  },
  {
    who: "a holder of a token of another account's IMS OIDC provider",
    attempt: 'AssumeRoleWithOIDC of FedForeign, whose trust policy names that provider',
    expect: 'AuthenticationFail.NoPermission',
    run: async () => assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('b-idp', w.b.accountId), RoleArn: roleArn('FedForeign'), OIDCToken: await w.idpB.token() }),
  },
];

/** A read's answer without its request id, which differs between two reads of the same state. */
async function state(row: Row): Promise<unknown> {
  const answer = await row.unchanged?.();
  return JSON.parse(JSON.stringify(answer ?? null, (k, v: unknown) => (k === 'RequestId' ? undefined : v)));
}

for (const row of ROWS) {
  test(`${row.who}: ${row.attempt} → ${row.expect}`, row.defect ? { todo: row.defect } : {}, async () => {
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
  await ramClient(w.server.apiHost, w.versioner)('CreatePolicyVersion', { PolicyName: 'team-shared', PolicyDocument: doc(allow('ram:GetUser')), SetAsDefault: true });
  await stsV3(w.server.apiHost, w.partner).assumeRole({ RoleArn: roleArn('TrustsB'), RoleSessionName: 'visit' });
  // The federation rows were refused for what they named, not for a broken provider or role.
  await assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('idp-b'), RoleArn: roleArn('FedB'), OIDCToken: await w.idpB.token() });
  const own = await new PopCore({ ...ROOT, endpoint: w.server.endpoints.api, apiVersion: '2026-11-01' }).request('IssueOIDCToken', { Subject: 'deployer', Audience: AUDIENCE }, { method: 'POST' });
  await assumeRoleWithOIDC(w.server.apiHost, { OIDCProviderArn: oidcProvider('rampart'), RoleArn: roleArn('FedRampart'), OIDCToken: String(own['OIDCToken']) });
  const assertion = base64(signedResponse({ issuer: SAML_ENTITY, roles: [`${roleArn('SamlY')},${samlProvider('corp')}`], sessionName: 'alice.sso' }, w.saml));
  await assumeRoleWithSAML(w.server.apiHost, { SAMLProviderArn: samlProvider('corp'), RoleArn: roleArn('SamlY'), SAMLAssertion: assertion });
  await ossClient(w.server.endpoints.oss, w.ossAdmin, { bucket: 'a-private' }).get('secret.txt');
});
