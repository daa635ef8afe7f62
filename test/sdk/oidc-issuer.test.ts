// Rampart as an OIDC issuer, over the wire: the discovery document and the key set on the api
// listener without credentials; `rampart oidc issue|rotate` beside a running server; the
// IssueOIDCToken action through pop-core (RPC signature) and the Tea client (V3), decided by RAM
// and audited without the token.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { silentLogger } from '../../src/log.js';
import { SettingError, startRampart } from '../../src/server/index.js';
import { runCli } from '../helpers/cli.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { allow, doc, refusal, userWithKey } from '../security/fixture.js';
import { ramClient, type Creds, type RamCall } from './ram-client.js';
import { PopCore } from './sdk-clients.js';

const require = createRequire(import.meta.url);
const OpenApi = require('@alicloud/openapi-client') as {
  default: new (config: unknown) => { callApi(params: unknown, request: unknown, runtime: unknown): Promise<{ statusCode: number; body: Record<string, unknown> }> };
  Config: new (fields: Record<string, unknown>) => unknown;
  Params: new (fields: Record<string, unknown>) => unknown;
  OpenApiRequest: new (fields: Record<string, unknown>) => unknown;
};
const TeaUtil = require('@alicloud/tea-util') as { RuntimeOptions: new (fields: Record<string, unknown>) => unknown };

const VERSION = '2026-11-01';
let server: TestServer;
let root: RamCall;
const rootCreds: Creds = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };

before(async () => {
  server = await startTestServer();
  root = ramClient(server.apiHost, rootCreds);
});
after(() => server.stop());

const get = (path: string, init: RequestInit = {}) => fetch(`${server.endpoints.api}${path}`, init);

/** Verifies as a relying party does: the key set fetched from the jwks_uri the discovery document names. */
async function verify(token: string, audience = 'sts.aliyuncs.com'): Promise<JWTPayload> {
  const discovery = (await (await get('/.well-known/openid-configuration')).json()) as { issuer: string; jwks_uri: string };
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: discovery.issuer, audience, algorithms: ['RS256'] });
  return payload;
}

const servedKids = async () => ((await (await get('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);

const cli = (args: string[]) => runCli(['oidc', ...args, '--data', server.dataDir]);

/** IssueOIDCToken over RPC (pop-core), as the given credentials. */
const rpcIssue = (creds: Creds, params: Record<string, unknown>) =>
  new PopCore({ ...creds, endpoint: server.endpoints.api, apiVersion: VERSION }).request('IssueOIDCToken', params, { method: 'POST' }) as Promise<Record<string, unknown>>;

/** IssueOIDCToken over the V3 signature: the Tea client's generic callApi (no SDK has the action). */
async function v3Issue(creds: Creds, query: Record<string, string>): Promise<Record<string, unknown>> {
  const client = new OpenApi.default(new OpenApi.Config({ ...creds, endpoint: server.apiHost, protocol: 'http' }));
  const params = new OpenApi.Params({ action: 'IssueOIDCToken', version: VERSION, protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
  return (await client.callApi(params, new OpenApi.OpenApiRequest({ query }), new TeaUtil.RuntimeOptions({}))).body;
}

test('the discovery document and the key set are served without credentials, cacheable, on the api listener', async () => {
  const discovery = await get('/.well-known/openid-configuration');
  assert.equal(discovery.status, 200);
  assert.match(discovery.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(discovery.headers.get('cache-control'), 'public, max-age=3600');
  assert.equal(server.oidcIssuer, server.endpoints.api, 'the issuer is the api listener by default');
  assert.deepEqual(await discovery.json(), {
    issuer: server.endpoints.api,
    jwks_uri: `${server.endpoints.api}/.well-known/jwks.json`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['iss', 'sub', 'aud', 'iat', 'exp', 'jti'],
  });

  const jwks = await get('/.well-known/jwks.json');
  assert.equal(jwks.status, 200);
  assert.equal(jwks.headers.get('cache-control'), 'public, max-age=300');
  assert.equal(jwks.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await jwks.json(), { keys: [] }, 'no key before the first token');

  const head = await get('/.well-known/jwks.json', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(await head.text(), '');
  // Only GET and HEAD of those two paths: anything else is the API's (unsigned: refused).
  const posted = await get('/.well-known/jwks.json', { method: 'POST' });
  assert.notEqual(posted.status, 200);
  assert.equal((await get('/.well-known/other')).status, 400);
  // Nothing here is an audited call.
  assert.equal(server.audited.length, 0);
});

test('rampart oidc issue beside the running server prints a token that verifies against the served key set', async () => {
  const out = await cli(['issue', '--subject', 'system:serviceaccount:ci:runner', '--audience', 'sts.aliyuncs.com', '--ttl', '15m']);
  assert.equal(out.code, 0, out.stderr);
  const token = out.stdout.trim();
  assert.equal(out.stdout, `${token}\n`, 'the token alone, for a token file');
  const claims = await verify(token);
  assert.equal(claims.iss, server.oidcIssuer);
  assert.equal(claims.sub, 'system:serviceaccount:ci:runner');
  assert.equal(claims.aud, 'sts.aliyuncs.com');
  assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 900);

  // On an account's behalf, in its namespace.
  const forAccount = await cli(['issue', '--account', ROOT.accountId, '--subject', 'deployer', '--audience', 'sts.aliyuncs.com']);
  assert.equal(forAccount.code, 0, forAccount.stderr);
  const payload = await verify(forAccount.stdout.trim());
  assert.equal(payload.sub, `account:${ROOT.accountId}:deployer`);
  assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 3600, 'an hour unless told');

  // Refused before anything is issued.
  for (const [args, why] of [
    [['--subject', `account:${ROOT.accountId}:deployer`, '--audience', 'a'], /is an account's/],
    [['--subject', 's', '--audience', 'a', '--ttl', '13h'], /--ttl must be from 60s to 12h/],
    [['--subject', 's', '--audience', 'a', '--ttl', '59s'], /--ttl/],
    [['--subject', 'two words', '--audience', 'a'], /--subject may contain only/],
    [['--subject', 's'], /rampart oidc issue --subject/],
    [['--subject', 's', '--audience', 'a', '--account', '9999999999999999'], /no account 9999999999999999/],
    [['--subject', 's', '--audience', 'a', '--issuer', 'ftp://x'], /must be an http or https URL/],
  ] as const) {
    const refused = await cli(['issue', ...args]);
    assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
    assert.match(refused.stderr, why);
    assert.equal(refused.stdout, '');
  }
});

test('rampart oidc rotate beside the running server: the next token has the new key, and the old one still verifies', async () => {
  const before = await cli(['issue', '--subject', 'job', '--audience', 'sts.aliyuncs.com']);
  const oldKid = decodeProtectedHeader(before.stdout.trim()).kid;
  assert.deepEqual(await servedKids(), [oldKid]);

  const rotated = await cli(['rotate']);
  assert.equal(rotated.code, 0, rotated.stderr);
  const newKid = /new OIDC signing key (\S+)/.exec(rotated.stdout)?.[1];
  assert.ok(newKid !== undefined && newKid !== oldKid, rotated.stdout);

  // The server signs with it at once (its next API token), and serves both keys, newest first.
  const issued = await rpcIssue(rootCreds, { Subject: 'job', Audience: 'sts.aliyuncs.com' });
  assert.equal(issued['KeyId'], newKid);
  assert.equal(decodeProtectedHeader(String(issued['OIDCToken'])).kid, newKid);
  assert.deepEqual(await servedKids(), [newKid, oldKid]);
  await verify(String(issued['OIDCToken']));
  await verify(before.stdout.trim());
  assert.equal((await cli(['rotate', '--subject', 'x'])).code, 2);
});

test('IssueOIDCToken (RPC and V3): the root gets a token in its account\'s namespace, audited without the token', async () => {
  const rpc = await rpcIssue(rootCreds, { Subject: 'ci-runner', Audience: 'sts.aliyuncs.com', DurationSeconds: 600 });
  const token = String(rpc['OIDCToken']);
  const claims = await verify(token);
  assert.equal(claims.sub, `account:${ROOT.accountId}:ci-runner`);
  assert.equal((claims.exp ?? 0) - (claims.iat ?? 0), 600);
  assert.equal(rpc['Subject'], claims.sub);
  assert.equal(rpc['Issuer'], server.oidcIssuer);
  assert.equal(rpc['Audience'], 'sts.aliyuncs.com');
  assert.equal(rpc['TokenId'], claims.jti);
  assert.equal(rpc['Expiration'], new Date((claims.exp ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  assert.match(String(rpc['RequestId']), /\S/);

  // A Subject that names another account is still the caller's.
  const v3 = await v3Issue(rootCreds, { Subject: 'account:9999999999999999:ci-runner', Audience: 'my-app' });
  const v3Claims = await verify(String(v3['OIDCToken']), 'my-app');
  assert.equal(v3Claims.sub, `account:${ROOT.accountId}:account:9999999999999999:ci-runner`);
  assert.equal((v3Claims.exp ?? 0) - (v3Claims.iat ?? 0), 3600);

  const events = server.audited.filter((r) => r.eventName === 'IssueOIDCToken');
  assert.equal(events.length >= 3, true);
  const event = events.find((r) => (r.responseElements as Record<string, unknown> | undefined)?.['TokenId'] === claims.jti);
  assert.ok(event, 'the event names the token by its id');
  assert.equal(event.serviceName, 'Rampart');
  assert.equal(event.eventRW, 'Write');
  assert.equal(event.resource, `acs:rampart::${ROOT.accountId}:oidc-issuer`);
  assert.equal(event.requestParameters['Subject'], 'ci-runner');
  assert.equal((event.responseElements as Record<string, unknown>)['Subject'], claims.sub);
  for (const r of events) assert.ok(!JSON.stringify(r).includes('"OIDCToken"') && !JSON.stringify(r).includes(token.split('.')[2] ?? token), 'no token in the trail');
});

test('IssueOIDCToken needs rampart:IssueOIDCToken on the account\'s issuer: NoPermission without it', async () => {
  const nobody = await userWithKey(root, 'no-oidc', { system: ['AliyunRAMFullAccess'] });
  assert.equal(await refusal(rpcIssue(nobody, { Subject: 's', Audience: 'a' })), 'NoPermission');
  assert.equal(await refusal(v3Issue(nobody, { Subject: 's', Audience: 'a' })), 'NoPermission');
  const refused = server.audited.filter((r) => r.eventName === 'IssueOIDCToken' && r.caller.accessKeyId === nobody.accessKeyId);
  assert.equal(refused.length, 2, 'refusals are audited');
  assert.ok(refused.every((r) => r.errorCode === 'NoPermission'));

  const issuer = await userWithKey(root, 'ci', { custom: { IssueOidc: doc(allow('rampart:IssueOIDCToken', `acs:rampart::${ROOT.accountId}:oidc-issuer`)) } });
  const issued = await rpcIssue(issuer, { Subject: 'build', Audience: 'sts.aliyuncs.com' });
  assert.equal((await verify(String(issued['OIDCToken']))).sub, `account:${ROOT.accountId}:build`);
  // Allowed on another account's issuer only: not this one.
  const elsewhere = await userWithKey(root, 'elsewhere', { custom: { IssueOidcElsewhere: doc(allow('rampart:IssueOIDCToken', 'acs:rampart::9999999999999999:oidc-issuer')) } });
  assert.equal(await refusal(rpcIssue(elsewhere, { Subject: 's', Audience: 'a' })), 'NoPermission');
});

test('IssueOIDCToken refuses bad parameters', async () => {
  for (const [params, code] of [
    [{ Subject: 's', Audience: 'a', DurationSeconds: 59 }, 'InvalidParameter'],
    [{ Subject: 's', Audience: 'a', DurationSeconds: 43201 }, 'InvalidParameter'],
    [{ Subject: 'two words', Audience: 'a' }, 'InvalidParameter'],
    [{ Subject: 's', Audience: 'a b' }, 'InvalidParameter'],
    [{ Audience: 'a' }, 'MissingSubject'],
    [{ Subject: 's', Audience: 'a', Claims: 'x' }, 'InvalidParameter'],
  ] as const) {
    assert.equal(await refusal(rpcIssue(rootCreds, params)), code, JSON.stringify(params));
  }
});

test('a configured issuer (a proxy\'s https URL) is what tokens and the discovery document say; a bad one stops the start', async () => {
  const behindProxy = await startTestServer({ oidcIssuer: 'https://idp.example.com/rampart/' });
  try {
    assert.equal(behindProxy.oidcIssuer, 'https://idp.example.com/rampart');
    const discovery = (await (await fetch(`${behindProxy.endpoints.api}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.equal(discovery['issuer'], 'https://idp.example.com/rampart');
    assert.equal(discovery['jwks_uri'], 'https://idp.example.com/rampart/.well-known/jwks.json');
    const out = await runCli(['oidc', 'issue', '--subject', 's', '--audience', 'a', '--data', behindProxy.dataDir]);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(decodeJwt(out.stdout.trim()).iss, 'https://idp.example.com/rampart', 'the CLI signs as the server serves');
  } finally {
    await behindProxy.stop();
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-oidc-bad-'));
  try {
    for (const bad of ['ftp://idp.example.com', 'https://idp.example.com/?tenant=a', 'https://idp.example.com/#x', 'idp.example.com']) {
      const start = startRampart({ dataDir, api: { host: '127.0.0.1', port: 0 }, oss: { host: '127.0.0.1', port: 0 }, metadata: { host: '127.0.0.1', port: 0 }, env: { RAMPART_OIDC_ISSUER: bad }, log: silentLogger() });
      await assert.rejects(start, SettingError, bad);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("an account's own tokens are good for its own roles only, even where a trust policy checks only the audience", async () => {
  const { createAccount } = await import('../../src/server/index.js');
  const b = await createAccount(server.store, new Date());
  const bCreds: Creds = { accessKeyId: b.AccessKeyId, accessKeySecret: b.AccessKeySecret };
  const at = new Date();
  // Account B trusts Rampart's own issuer, and its role forgets to check oidc:sub.
  await server.store.federation.createOidcProvider({ accountId: b.AccountId, name: 'rampart', issuerUrl: server.oidcIssuer, clientIds: ['sts.aliyuncs.com'], fingerprints: [], issuanceLimitTime: 12, description: '', createdAt: at, updatedAt: at });
  const trust = { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Federated: [`acs:ram::${b.AccountId}:oidc-provider/rampart`] }, Condition: { StringEquals: { 'oidc:aud': 'sts.aliyuncs.com' } } }] };
  await ramClient(server.apiHost, bCreds)('CreateRole', { RoleName: 'careless', AssumeRolePolicyDocument: JSON.stringify(trust) });
  const fromA = String((await rpcIssue(rootCreds, { Subject: 'deployer', Audience: 'sts.aliyuncs.com' }))['OIDCToken']);
  const fromB = String((await rpcIssue(bCreds, { Subject: 'deployer', Audience: 'sts.aliyuncs.com' }))['OIDCToken']);
  // Sent as the SDKs send it: unsigned, the token is the proof.
  const unsigned = (token: string) =>
    fetch(`${server.endpoints.api}/?Action=AssumeRoleWithOIDC&Version=2015-04-01&Format=JSON`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ OIDCProviderArn: `acs:ram::${b.AccountId}:oidc-provider/rampart`, RoleArn: `acs:ram::${b.AccountId}:role/careless`, OIDCToken: token, RoleSessionName: 'workload' }),
    }).then(async (r) => ({ status: r.status, code: ((await r.json()) as { Code?: string }).Code }));
  assert.deepEqual(await unsigned(fromA), { status: 401, code: 'AuthenticationFail.NoPermission' }, "account A's token is not account B's");
  assert.deepEqual((await unsigned(fromB)).status, 200, "account B's own token is");
});
