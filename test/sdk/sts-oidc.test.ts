// AssumeRoleWithOIDC through the unmodified SDKs, against a loopback https identity provider the
// test runs (discovery + JWKS, RS256 keys): the response, the session it gives, its audit event,
// and every refusal — audience, issuer, expiry, IssuanceLimitTime, signature, `none` and HS256
// algorithm confusion, unknown provider and kid, trust policy, an unreachable or untrusted issuer,
// certificate fingerprints — then pinned keys, and @alicloud/credentials with a token file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import type { AssumedRolePrincipal } from '../../src/model/index.js';
import type { OidcProviderRecord } from '../../src/store/index.js';
import { RAMPART_BIN } from '../helpers/cli.js';
import { AUDIENCE, newSigningKey, publicJwks, startTestIdp, type TestIdp } from '../helpers/oidc-idp.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError, type RamCall } from './ram-client.js';
import { sessionOf, stsV3 } from './sts-client.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const StsModule = require('@alicloud/sts20150401') as Record<string, unknown> & { default: new (config: unknown) => Record<string, (req?: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>> };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };
const AssumeRoleWithOIDCRequest = StsModule['AssumeRoleWithOIDCRequest'] as new (fields: Record<string, unknown>) => unknown;

interface OidcParams {
  OIDCProviderArn: string;
  RoleArn: string;
  OIDCToken?: string;
  RoleSessionName?: string;
  DurationSeconds?: number;
  Policy?: string;
}

/** The unmodified STS SDK, with no credentials at all: AssumeRoleWithOIDC is sent unsigned. */
function oidcClient(apiHost: string) {
  const client = new StsModule.default(new OpenApi.Config({ endpoint: apiHost, protocol: 'http' }));
  return async (p: OidcParams): Promise<Record<string, unknown>> => {
    const request = new AssumeRoleWithOIDCRequest({
      OIDCProviderArn: p.OIDCProviderArn,
      OIDCToken: p.OIDCToken,
      roleArn: p.RoleArn,
      roleSessionName: p.RoleSessionName,
      durationSeconds: p.DurationSeconds,
      policy: p.Policy,
    });
    return (await client['assumeRoleWithOIDC']!(request)).body.toMap();
  };
}

const SUBJECT = 'system:serviceaccount:apps:builder';
const providerArn = (name: string, account: string = ROOT.accountId) => `acs:ram::${account}:oidc-provider/${name}`;
const roleArn = (name: string) => `acs:ram::${ROOT.accountId}:role/${name}`;
const trustFederated = (providers: string[], condition?: object) =>
  JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: providers }, ...(condition ? { Condition: condition } : {}) }] });
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const seconds = () => Math.floor(Date.now() / 1000);

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

let idp: TestIdp;
let untrusted: TestIdp;
let server: TestServer;
let root: RamCall;
let assume: ReturnType<typeof oidcClient>;
let downIssuer = '';
let skew = 0;
let workDir = '';

async function addProvider(s: TestServer, name: string, fields: Partial<OidcProviderRecord>): Promise<void> {
  const now = new Date();
  await s.store.federation.createOidcProvider({
    accountId: ROOT.accountId,
    name,
    issuerUrl: idp.issuer,
    clientIds: [AUDIENCE],
    fingerprints: [idp.caFingerprint],
    issuanceLimitTime: 1,
    description: '',
    createdAt: now,
    updatedAt: now,
    ...fields,
  });
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'rampart-oidc-'));
  idp = await startTestIdp();
  // Its own CA, which Rampart is not told to trust.
  untrusted = await startTestIdp();
  downIssuer = `https://127.0.0.1:${await closedPort()}`;
  server = await startTestServer({ assumeRoleRate: 0, now: () => Date.now() + skew, oidc: { caCertificates: [idp.ca.certPem] } });
  root = ramClient(server.apiHost, ROOT);
  assume = oidcClient(server.apiHost);

  await addProvider(server, 'ci', { clientIds: [AUDIENCE, 'second-client'] });
  // The server's own certificate's fingerprint, written as openssl prints it: also good.
  await addProvider(server, 'ci-leaf', { fingerprints: [idp.leafFingerprint.toUpperCase().replace(/(..)(?!$)/g, '$1:')] });
  await addProvider(server, 'wrong-print', { fingerprints: ['0123456789abcdef0123456789abcdef01234567'] });
  await addProvider(server, 'down', { issuerUrl: downIssuer });
  await addProvider(server, 'untrusted', { issuerUrl: untrusted.issuer, fingerprints: [untrusted.caFingerprint] });
  await addProvider(server, 'pinned', { issuerUrl: `${downIssuer}/pinned`, pinnedJwks: JSON.stringify(await publicJwks([idp.key])) });
  await addProvider(server, 'cli-pinned', { issuerUrl: `${downIssuer}/cli` });

  const ci = providerArn('ci');
  await root('CreateRole', {
    RoleName: 'ci-deployer',
    AssumeRolePolicyDocument: trustFederated([ci], { StringEquals: { 'oidc:iss': idp.issuer, 'oidc:aud': AUDIENCE, 'oidc:sub': SUBJECT } }),
    MaxSessionDuration: 7200,
  });
  await root('AttachPolicyToRole', { RoleName: 'ci-deployer', PolicyType: 'System', PolicyName: 'AliyunRAMReadOnlyAccess' });
  await root('CreateRole', { RoleName: 'ci-any', AssumeRolePolicyDocument: trustFederated([ci]) });
  await root('CreateRole', { RoleName: 'leaf-only', AssumeRolePolicyDocument: trustFederated([providerArn('ci-leaf')]) });
  await root('CreateRole', {
    RoleName: 'elsewhere',
    AssumeRolePolicyDocument: trustFederated(['wrong-print', 'down', 'untrusted', 'pinned', 'cli-pinned'].map((n) => providerArn(n))),
  });
});

after(async () => {
  await server.stop();
  await idp.stop();
  await untrusted.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** The refusal of a call that must fail: code, status, message. */
async function refusal(p: OidcParams): Promise<{ code: string; status: number; message: string }> {
  const e = await ramError(assume(p));
  return { code: e.code ?? '', status: e.statusCode ?? 0, message: String(e.data?.['Message'] ?? '') };
}

describe('AssumeRoleWithOIDC', () => {
  test('a good token: the real response shape, a session that acts as the role, an audit event with the subject and no token', async () => {
    const token = await idp.token();
    const body = await assume({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-deployer'), OIDCToken: token, RoleSessionName: 'build-42' });
    assert.deepEqual(Object.keys(body).sort(), ['AssumedRoleUser', 'Credentials', 'OIDCTokenInfo', 'RequestId']);
    const info = body['OIDCTokenInfo'] as Record<string, string>;
    assert.equal(info['Subject'], SUBJECT);
    assert.equal(info['Issuer'], idp.issuer);
    assert.equal(info['ClientIds'], AUDIENCE);
    assert.equal(info['VerificationInfo'], 'Success');
    assert.match(info['ExpirationTime'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.match(info['IssuanceTime'] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const s = sessionOf(body);
    const role = (await root('GetRole', { RoleName: 'ci-deployer' }))['Role'] as Record<string, string>;
    assert.deepEqual(s.assumedRoleUser, { Arn: `${roleArn('ci-deployer')}/build-42`, AssumedRoleId: `${role['RoleId']}:build-42` });
    assert.match(s.accessKeyId, /^STS\./);
    const lifetime = Date.parse(s.expiration) - Date.now();
    assert.ok(lifetime > 3590_000 && lifetime <= 3600_000, `default duration 3600 s, got ${lifetime}`);

    const identity = await stsV3(server.apiHost, s).whoAmI();
    assert.equal(identity['Arn'], `acs:ram::${ROOT.accountId}:assumed-role/ci-deployer/build-42`);
    assert.equal(identity['IdentityType'], 'AssumedRoleUser');
    const asRole = ramClient(server.apiHost, s);
    await asRole('ListUsers');
    assert.equal((await ramError(asRole('CreateUser', { UserName: 'nope' }))).code, 'NoPermission');

    const event = server.audited.find((r) => r.eventName === 'AssumeRoleWithOIDC' && r.errorCode === undefined);
    assert.ok(event, 'the exchange is audited');
    assert.equal(event.caller.type, 'Anonymous');
    assert.equal(event.resource, roleArn('ci-deployer'));
    assert.equal(((event.responseElements as Record<string, Record<string, string>>)['OIDCTokenInfo'] ?? {})['Subject'], SUBJECT);
    assert.equal(event.requestParameters['OIDCProviderArn'], providerArn('ci'));
    assert.equal(event.requestParameters['OIDCToken'], undefined);
    const trail = JSON.stringify(server.audited);
    assert.ok(!trail.includes(token.split('.')[2] ?? token), 'no token in the trail');
    assert.ok(!trail.includes(s.accessKeySecret) && !trail.includes(s.securityToken ?? ''), 'no secret in the trail');
    // The session's own calls name the provider and the claims it was admitted on.
    const later = server.audited.find((r) => r.eventName === 'GetCallerIdentity' && r.caller.accessKeyId === s.accessKeyId);
    const source = (later?.caller as AssumedRolePrincipal | undefined)?.source;
    assert.deepEqual(source, { kind: 'Federated', arn: providerArn('ci'), claims: { 'oidc:iss': idp.issuer, 'oidc:aud': AUDIENCE, 'oidc:sub': SUBJECT } });
  });

  test('a token for several audiences is good when one is a client id; DurationSeconds and Policy as in AssumeRole', async () => {
    const token = await idp.token({ aud: ['someone-else', 'second-client'] });
    const body = await assume({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: token, RoleSessionName: 'multi', DurationSeconds: 900 });
    assert.equal((body['OIDCTokenInfo'] as Record<string, string>)['ClientIds'], 'someone-else,second-client');
    assert.ok(Date.parse(sessionOf(body).expiration) - Date.now() <= 900_000);
    const ok = { OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-deployer'), OIDCToken: await idp.token(), RoleSessionName: 'pinned-session' };
    assert.equal((await refusal({ ...ok, DurationSeconds: 7201 })).code, 'InvalidParameter.DurationSeconds');
    assert.equal((await refusal({ ...ok, DurationSeconds: 899 })).code, 'InvalidParameter.DurationSeconds');
    assert.equal((await refusal({ ...ok, Policy: '{"Version":"1"}' })).code, 'InvalidParameter.PolicyGrammar');
    const narrowed = sessionOf(await assume({ ...ok, Policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] }) }));
    assert.equal((await ramError(ramClient(server.apiHost, narrowed)('ListUsers'))).code, 'NoPermission', 'the session policy narrows the role');
  });

  test('parameters: the real codes for a missing or bad one', async () => {
    const token = await idp.token();
    const ok = { OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-deployer'), OIDCToken: token, RoleSessionName: 'params' };
    assert.deepEqual(await refusal({ ...ok, OIDCToken: undefined }), { code: 'AuthenticationFail.OIDCToken.Invalid', status: 401, message: 'The OIDCToken can not empty.' });
    assert.deepEqual(await refusal({ ...ok, OIDCToken: 'abc.def' }), { code: 'AuthenticationFail.OIDCToken.Invalid', status: 401, message: "The number of Jwt field should be divided into 3 parts with '.' ." });
    assert.equal((await refusal({ ...ok, OIDCToken: 'a!b.c.d' })).message, 'Cannot decode base64 encoded response(format invalided).');
    assert.equal((await refusal({ ...ok, OIDCToken: `${'x'.repeat(20_001)}` })).code, 'AuthenticationFail.OIDCToken.Invalid');
    assert.equal((await refusal({ ...ok, OIDCProviderArn: 'acs:ram::1:saml-provider/x' })).code, 'InvalidParameter.OIDCProviderArn');
    assert.equal((await refusal({ ...ok, RoleArn: 'arn:aws:iam::1:role/x' })).code, 'InvalidParameter.RoleArn');
    assert.equal((await refusal({ ...ok, RoleSessionName: undefined })).code, 'MissingRoleSessionName');
    assert.equal((await refusal({ ...ok, RoleSessionName: 'x' })).code, 'InvalidParameter.RoleSessionName');
    assert.deepEqual(await refusal({ ...ok, RoleArn: roleArn('no-such-role') }), { code: 'EntityNotExist.Role', status: 404, message: `The role not exists: ${roleArn('no-such-role')}. ` });
  });

  test('claims: wrong audience, wrong issuer, expired, issued too long ago or in the future, no subject', async () => {
    const now = seconds();
    const call = async (claims: Record<string, unknown>) => refusal({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: await idp.token(claims), RoleSessionName: 'claims' });
    assert.deepEqual(await call({ aud: 'someone-else' }), { code: 'AuthenticationFail.OIDCToken.AudienceNotMatch', status: 401, message: 'Invalid audience.' });
    assert.deepEqual(await call({ iss: 'https://idp.example.com' }), {
      code: 'AuthenticationFail.OIDCToken.IssuerNotMatch',
      status: 401,
      message: "The issuer in the OIDC Token doesn't match the OIDC Provider registered.",
    });
    // An issuer URL that differs only by a trailing '/' is another issuer.
    assert.equal((await call({ iss: `${idp.issuer}/` })).code, 'AuthenticationFail.OIDCToken.IssuerNotMatch');
    assert.deepEqual(await call({ iat: now - 1800, exp: now - 600 }), { code: 'AuthenticationFail.OIDCToken.Expired', status: 401, message: 'This JsonWebToken is expired.' });
    // The provider's IssuanceLimitTime is one hour.
    const old = await call({ iat: now - 2 * 3600, exp: now + 3600 });
    assert.equal(old.code, 'AuthenticationFail.OIDCToken.Expired');
    assert.match(old.message, /IssuanceLimitTime/);
    assert.equal((await call({ iat: now + 600 })).code, 'AuthenticationFail.OIDCToken.Invalid');
    assert.equal((await call({ sub: undefined })).code, 'AuthenticationFail.OIDCToken.Invalid');
    assert.equal((await call({ exp: undefined })).code, 'AuthenticationFail.OIDCToken.Invalid');
    assert.equal((await call({ iat: undefined })).code, 'AuthenticationFail.OIDCToken.Invalid');
  });

  test('signatures: another key, a changed payload, alg none, HS256 keyed with the public key', async () => {
    const call = async (token: string) => refusal({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: token, RoleSessionName: 'sig' });
    const impostor = { ...newSigningKey(idp.key.kid) };
    assert.deepEqual(await call(await idp.token({}, { key: impostor })), {
      code: 'AuthenticationFail.OIDCToken.InvalidSignature',
      status: 401,
      message: 'OIDC token validate failed: invalid signature.',
    });
    const [header, , signature] = (await idp.token()).split('.');
    const forged = `${header}.${b64({ iss: idp.issuer, aud: AUDIENCE, sub: 'system:serviceaccount:kube-system:admin', iat: seconds(), exp: seconds() + 600 })}.${signature}`;
    assert.equal((await call(forged)).code, 'AuthenticationFail.OIDCToken.InvalidSignature');

    const claims = { iss: idp.issuer, aud: AUDIENCE, sub: SUBJECT, iat: seconds(), exp: seconds() + 600 };
    const none = await call(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`);
    assert.deepEqual(none, { code: 'AuthenticationFail.OIDCToken.Invalid', status: 401, message: 'The algorithm none that be specified in Jwt header is unknown.' });
    const hs256 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: idp.key.kid }).sign(Buffer.from(idp.key.publicPem));
    assert.deepEqual(await call(hs256), { code: 'AuthenticationFail.OIDCToken.Invalid', status: 401, message: 'The algorithm HS256 that be specified in Jwt header is unknown.' });
  });

  test('trust: an unknown provider, another account\'s, a role not naming the provider, a subject the condition refuses', async () => {
    const token = await idp.token();
    const noSuch = { code: 'AuthenticationFail.NoPermission', status: 401, message: 'No such OIDC Provider registered.' };
    assert.deepEqual(await refusal({ OIDCProviderArn: providerArn('nope'), RoleArn: roleArn('ci-any'), OIDCToken: token, RoleSessionName: 'trust-session' }), noSuch);
    assert.deepEqual(await refusal({ OIDCProviderArn: providerArn('ci', '999999'), RoleArn: roleArn('ci-any'), OIDCToken: token, RoleSessionName: 'trust-session' }), noSuch);
    const noPermission = { code: 'AuthenticationFail.NoPermission', status: 401, message: 'There is no permission' };
    assert.deepEqual(await refusal({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('leaf-only'), OIDCToken: token, RoleSessionName: 'trust-session' }), noPermission);
    const other = await idp.token({ sub: 'system:serviceaccount:apps:other' });
    assert.deepEqual(await refusal({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-deployer'), OIDCToken: other, RoleSessionName: 'trust-session' }), noPermission);
    // A provider named without regard to case is the same provider.
    await assume({ OIDCProviderArn: providerArn('CI'), RoleArn: roleArn('ci-deployer'), OIDCToken: token, RoleSessionName: 'trust-session' });
  });

  test('a session ends when the trust policy stops admitting its subject', async () => {
    await root('CreateRole', { RoleName: 'revocable', AssumeRolePolicyDocument: trustFederated([providerArn('ci')], { StringEquals: { 'oidc:sub': SUBJECT } }) });
    const s = sessionOf(await assume({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('revocable'), OIDCToken: await idp.token(), RoleSessionName: 'revoked-session' }));
    await stsV3(server.apiHost, s).whoAmI();
    await root('UpdateRole', { RoleName: 'revocable', NewAssumeRolePolicyDocument: trustFederated([providerArn('ci')], { StringEquals: { 'oidc:sub': 'someone-else' } }) });
    assert.equal((await ramError(stsV3(server.apiHost, s).whoAmI())).code, 'InvalidSecurityToken.Expired');
  });

  test('keys: an unreachable issuer and an untrusted certificate fail closed; an unknown kid is fetched again, not often', async () => {
    const token = await idp.token();
    const down = await refusal({ OIDCProviderArn: providerArn('down'), RoleArn: roleArn('elsewhere'), OIDCToken: await idp.token({ iss: downIssuer }), RoleSessionName: 'keys-session' });
    assert.equal(down.code, 'AuthenticationFail.OIDCToken.IssuerConfigurationBroken');
    assert.equal(down.status, 401);
    assert.ok(down.message.startsWith(`Get public keys from OIDC Provider failed, the issuer is ${downIssuer}.`), down.message);
    const notTrusted = await refusal({ OIDCProviderArn: providerArn('untrusted'), RoleArn: roleArn('elsewhere'), OIDCToken: await untrusted.token(), RoleSessionName: 'keys-session' });
    assert.equal(notTrusted.code, 'AuthenticationFail.OIDCToken.HttpsUrlInvalid');
    assert.deepEqual(untrusted.requests, [], 'no request got past the TLS handshake');

    // Cached keys are used; a kid the issuer does not publish is refused.
    await assume({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: token, RoleSessionName: 'keys-session' });
    const fetches = () => idp.requests.filter((r) => r === '/keys').length;
    const before = fetches();
    const stranger = newSigningKey('key-unknown');
    const unknownKid = await refusal({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: await idp.token({}, { key: stranger }), RoleSessionName: 'keys-session' });
    assert.equal(unknownKid.code, 'AuthenticationFail.OIDCToken.InvalidSignature');
    assert.match(unknownKid.message, /key-unknown/);
    assert.equal(fetches(), before, 'keys fetched moments ago are not fetched again for an unknown kid');

    // The issuer rotates in a new key; past the refetch interval, its kid makes the keys be fetched again.
    const rotated = newSigningKey('key-2');
    idp.published.push(rotated);
    skew = 31_000;
    try {
      await assume({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: await idp.token({}, { key: rotated }), RoleSessionName: 'keys-session' });
      assert.equal(fetches(), before + 1);
      // Just fetched: another unknown kid does not make it fetch again.
      assert.equal((await refusal({ OIDCProviderArn: providerArn('ci'), RoleArn: roleArn('ci-any'), OIDCToken: await idp.token({}, { key: stranger }), RoleSessionName: 'keys-session' })).code, 'AuthenticationFail.OIDCToken.InvalidSignature');
      assert.equal(fetches(), before + 1);
    } finally {
      skew = 0;
    }
  });

  test('fingerprints: a chain without one of the provider\'s is refused; the CA\'s or the server\'s own certificate\'s will do', async () => {
    const token = await idp.token();
    const wrong = await refusal({ OIDCProviderArn: providerArn('wrong-print'), RoleArn: roleArn('elsewhere'), OIDCToken: token, RoleSessionName: 'print-session' });
    assert.equal(wrong.code, 'AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch');
    assert.equal(wrong.status, 401);
    await assume({ OIDCProviderArn: providerArn('ci-leaf'), RoleArn: roleArn('leaf-only'), OIDCToken: token, RoleSessionName: 'print-session' });
  });

  test('pinned keys: the issuer is never fetched, so a site that cannot reach it works; `rampart oidc pin` pins them', async () => {
    const pinnedIssuer = `${downIssuer}/pinned`;
    await assume({ OIDCProviderArn: providerArn('pinned'), RoleArn: roleArn('elsewhere'), OIDCToken: await idp.token({ iss: pinnedIssuer }), RoleSessionName: 'pinned-session' });
    // Pinned keys are the only keys: a token signed by another key is refused.
    const other = newSigningKey(idp.key.kid);
    assert.equal((await refusal({ OIDCProviderArn: providerArn('pinned'), RoleArn: roleArn('elsewhere'), OIDCToken: await idp.token({ iss: pinnedIssuer }, { key: other }), RoleSessionName: 'pinned-session' })).code, 'AuthenticationFail.OIDCToken.InvalidSignature');

    const cliIssuer = `${downIssuer}/cli`;
    const call = async () => assume({ OIDCProviderArn: providerArn('cli-pinned'), RoleArn: roleArn('elsewhere'), OIDCToken: await idp.token({ iss: cliIssuer }), RoleSessionName: 'pinned-session' });
    assert.equal((await ramError(call())).code, 'AuthenticationFail.OIDCToken.IssuerConfigurationBroken');
    const file = join(workDir, 'jwks.json');
    writeFileSync(file, JSON.stringify(await publicJwks([idp.key])));
    const cli = (...args: string[]) => run(process.execPath, [RAMPART_BIN, 'oidc', 'pin', '--data', server.dataDir, '--account', ROOT.accountId, '--provider', 'cli-pinned', ...args], { env: { PATH: process.env['PATH'] } });
    assert.match((await cli('--jwks', file)).stdout, /1 key\(s\) pinned/);
    await call();
    await cli('--unpin');
    assert.equal((await ramError(call())).code, 'AuthenticationFail.OIDCToken.IssuerConfigurationBroken');
    await assert.rejects(cli('--jwks', join(workDir, 'missing.json')), /cannot read/);
  });
});

describe('@alicloud/credentials with an OIDC token file', () => {
  let tls: TestServer;
  const fixture = fileURLToPath(new URL('./fixtures/oidc-credentials.js', import.meta.url));
  const route = fileURLToPath(new URL('./fixtures/route-sts.js', import.meta.url));

  before(async () => {
    // Its RAM-role and OIDC providers speak only https; the default chain's STS host is fixed.
    tls = await startTestServer({ tls: { kind: 'self-signed', extraHosts: ['sts.aliyuncs.com'] }, assumeRoleRate: 0, oidc: { caCertificates: [idp.ca.certPem] } });
    await addProvider(tls, 'k8s', {});
  });
  after(() => tls.stop());

  test('type oidc_role_arn, then the default chain from ALIBABA_CLOUD_* variables, get credentials that sign calls', async () => {
    const apiHost = tls.apiHost.replace('127.0.0.1', 'localhost');
    const tokenFile = join(workDir, 'token');
    // With a final newline, as `rampart oidc issue > file` writes it.
    writeFileSync(tokenFile, `${await idp.token()}\n`);
    const args = [roleArn('k8s-role'), providerArn('k8s'), tokenFile, SUBJECT];
    const base = { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: tls.caPath, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' };

    const explicit = await run(process.execPath, [fixture, 'explicit', apiHost, ...args], {
      env: { ...base, TEST_ACCESS_KEY_ID: ROOT.accessKeyId, TEST_ACCESS_KEY_SECRET: ROOT.accessKeySecret },
      timeout: 30_000,
    });
    const out = JSON.parse(explicit.stdout) as Record<string, unknown>;
    assert.equal(out['error'], undefined, String(out['error']));
    assert.equal(out['keyPrefix'], 'STS.');
    assert.equal(out['arn'], `acs:ram::${ROOT.accountId}:assumed-role/k8s-role/credentials-sdk`);
    assert.equal(out['listed'], true);
    assert.equal(out['denied'], 'NoPermission');

    const chained = await run(process.execPath, ['--import', route, fixture, 'default', apiHost], {
      env: {
        ...base,
        TEST_STS_ROUTE: tls.apiHost,
        ALIBABA_CLOUD_ROLE_ARN: roleArn('k8s-role'),
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: providerArn('k8s'),
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile,
        ALIBABA_CLOUD_ROLE_SESSION_NAME: 'default-chain',
      },
      timeout: 30_000,
    });
    const fromChain = JSON.parse(chained.stdout) as Record<string, unknown>;
    assert.equal(fromChain['error'], undefined, String(fromChain['error']));
    assert.equal(fromChain['arn'], `acs:ram::${ROOT.accountId}:assumed-role/k8s-role/default-chain`);
    assert.equal(fromChain['denied'], 'NoPermission');

    // Both exchanges were unsigned form posts, audited without the token.
    const exchanges = tls.audited.filter((r) => r.eventName === 'AssumeRoleWithOIDC' && r.errorCode === undefined);
    assert.equal(exchanges.length, 2);
    assert.ok(exchanges.every((r) => r.caller.type === 'Anonymous' && r.requestParameters['OIDCToken'] === undefined));
  });
});
