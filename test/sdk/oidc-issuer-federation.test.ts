// Rampart as the identity provider of its own workloads, end to end: `rampart oidc issue` writes a
// token file, an OIDC provider of the account names Rampart's issuer, and the unmodified
// @alicloud/credentials oidc_role_arn provider exchanges the token (AssumeRoleWithOIDC, keys from
// the local issuer, no fetch) for a session that signs calls. Then a rotation: tokens signed with
// the old key keep working until they expire, then fail; the old key leaves the key set once no
// token of it can be alive. The server's clock is moved for the second part, never slept on.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { decodeProtectedHeader } from 'jose';
import { MAX_OIDC_TOKEN_SECONDS, OIDC_KEY_GRACE_SECONDS } from '../../src/tokens/index.js';
import { runCli } from '../helpers/cli.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/oidc-federation.js', import.meta.url));
const HOUR = 3600_000;

let server: TestServer;
let offset = 0;
let dir: string;
const providerArn = `acs:ram::${ROOT.accountId}:oidc-provider/rampart`;

before(async () => {
  server = await startTestServer({ tls: { kind: 'self-signed' }, assumeRoleRate: 0, now: () => Date.now() + offset });
  dir = mkdtempSync(join(tmpdir(), 'rampart-oidc-federation-'));
  const at = new Date();
  await server.store.federation.createOidcProvider({
    accountId: ROOT.accountId,
    name: 'rampart',
    issuerUrl: server.oidcIssuer,
    clientIds: ['sts.aliyuncs.com'],
    fingerprints: [],
    issuanceLimitTime: 12,
    description: 'Rampart itself',
    createdAt: at,
    updatedAt: at,
  });
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const issue = async (subject: string, ttl: string): Promise<string> => {
  const out = await runCli(['oidc', 'issue', '--subject', subject, '--audience', 'sts.aliyuncs.com', '--ttl', ttl, '--data', server.dataDir]);
  assert.equal(out.code, 0, out.stderr);
  return out.stdout.trim();
};

/** A plain https call to the api listener, trusting Rampart's CA. */
function call(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.endpoints.api}${path}`,
      { method, ca: readFileSync(server.caPath ?? ''), headers: body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** AssumeRoleWithOIDC as the credentials SDK sends it (unsigned; the token is the proof). */
const exchange = (token: string) =>
  call('POST', '/?Version=2015-04-01&Action=AssumeRoleWithOIDC&Format=JSON', { OIDCProviderArn: providerArn, RoleArn: `acs:ram::${ROOT.accountId}:role/ci-role`, OIDCToken: token, RoleSessionName: 'workload' });

const servedKids = async () => ((await call('GET', '/.well-known/jwks.json')).body['keys'] as { kid: string }[]).map((k) => k.kid);

test('rampart oidc issue → token file → the oidc_role_arn provider → a session that signs calls', async () => {
  assert.match(server.oidcIssuer, /^https:\/\//, 'with --tls the issuer is https');
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, await issue('system:serviceaccount:ci:runner', '1h'));
  const { stdout } = await run(process.execPath, [fixture, server.apiHost.replace('127.0.0.1', 'localhost'), ROOT.accountId, server.oidcIssuer, providerArn, tokenFile], {
    env: { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: server.caPath, TEST_ACCESS_KEY_ID: ROOT.accessKeyId, TEST_ACCESS_KEY_SECRET: ROOT.accessKeySecret },
    timeout: 30_000,
  });
  const out = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(out['error'], undefined, String(out['error']));
  assert.match(String(out['sessionKey']), /^STS\./);
  assert.equal(out['arn'], `acs:ram::${ROOT.accountId}:assumed-role/ci-role/workload`);
  assert.equal(out['identityType'], 'AssumedRoleUser');
  assert.ok(Array.isArray(out['userNames']), 'the session read the account\'s users');
  assert.equal(out['denied'], 'NoPermission', 'and only with the role\'s rights');
  assert.equal(out['deployerArn'], `acs:ram::${ROOT.accountId}:assumed-role/deployer-role/workload`, 'an API-issued token for the account\'s own subject');
  assert.match(String(out['impersonation']), /AuthenticationFail\.NoPermission|There is no permission/, 'the account cannot mint the operator\'s subject');
  const exchanged = server.audited.filter((r) => r.eventName === 'AssumeRoleWithOIDC' && r.errorCode === undefined);
  assert.ok(exchanged.length >= 2);
  assert.ok(server.audited.every((r) => !JSON.stringify(r).includes('"OIDCToken"')), 'no token in the trail');
});

test('after a rotation, old tokens keep working until they expire, then fail; the old key leaves the key set', async () => {
  const shortOld = await issue('system:serviceaccount:ci:runner', '1h');
  const longOld = await issue('system:serviceaccount:ci:runner', '12h');
  const oldKid = decodeProtectedHeader(longOld).kid;
  const rotatedAt = Date.now();
  const rotated = await runCli(['oidc', 'rotate', '--data', server.dataDir]);
  assert.equal(rotated.code, 0, rotated.stderr);
  const fresh = await issue('system:serviceaccount:ci:runner', '1h');
  const newKid = decodeProtectedHeader(fresh).kid;
  assert.notEqual(newKid, oldKid);
  assert.deepEqual(await servedKids(), [newKid, oldKid]);

  for (const token of [shortOld, longOld, fresh]) assert.equal((await exchange(token)).status, 200);

  // An hour and the verifier's minute of skew later: the 1-hour tokens have expired, old key or new.
  offset = HOUR + 2 * 60_000;
  for (const token of [shortOld, fresh]) assert.equal((await exchange(token)).body['Code'], 'AuthenticationFail.OIDCToken.Expired');
  // The 12-hour token of the old key still works almost to its end...
  offset = 12 * HOUR - 5 * 60_000;
  assert.equal((await exchange(longOld)).status, 200);
  assert.deepEqual(await servedKids(), [newKid, oldKid]);
  // ...and not after it.
  offset = 12 * HOUR + 2 * 60_000;
  assert.equal((await exchange(longOld)).body['Code'], 'AuthenticationFail.OIDCToken.Expired');
  // Once no token of the old key can be alive, it is no longer published, nor trusted.
  offset = rotatedAt - Date.now() + (MAX_OIDC_TOKEN_SECONDS + OIDC_KEY_GRACE_SECONDS) * 1000 + 60_000;
  assert.deepEqual(await servedKids(), [newKid]);
  assert.equal((await exchange(longOld)).body['Code'], 'AuthenticationFail.OIDCToken.InvalidSignature');
  offset = 0;
});
