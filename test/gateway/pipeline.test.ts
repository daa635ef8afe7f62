// The pipeline with a test product: parameter validation, authorization, the audit hook and the
// InternalError path, through real HTTP and real signatures.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MemoryNonceCache, StoreCredentialSource } from '../../src/auth/index.js';
import { OidcKeyResolver } from '../../src/auth/oidc/index.js';
import type { AuditRecord } from '../../src/gateway/audit/index.js';
import { apiFrontDoor } from '../../src/gateway/index.js';
import { silentLogger } from '../../src/log.js';
import { SecretBox } from '../../src/secrets/index.js';
import { action, boolean, Catalog, DEFAULT_QUOTAS, integer, optional, product, RateLimiter, string } from '../../src/services/index.js';
import { Authorizer, PolicySets, TrustPolicies } from '../../src/access/index.js';
import { Keyring, OidcIssuer } from '../../src/tokens/index.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';

const ACCOUNT = '1000000000000001';
const box = new SecretBox(Buffer.alloc(32, 3));
const creds = { accessKeyId: 'LTAI5tPipelineTest000001', accessKeySecret: 'PipelineSecret0000000000000000' };

const Echo = action({
  name: 'Echo',
  permission: 'test:Echo',
  rw: 'Write',
  resource: (p) => `acs:test::${p.Owner}:thing/${p.Name}`,
  params: {
    Name: string({ min: 2, max: 8, pattern: /^[a-z]+$/, patternText: 'lower-case letters' }),
    Owner: string(),
    Count: optional(integer({ min: 1, max: 10 }), 1),
    Loud: optional(boolean()),
  },
  handle: async (p) => ({ Echo: { Name: p.Name.repeat(p.Count), Loud: p.Loud ?? null } }),
});

const Crash = action({
  name: 'Crash',
  rw: 'Read',
  params: {},
  handle: async () => {
    throw new Error('database on fire');
  },
});

const catalog = new Catalog([product({ code: 'Test', endpointPrefix: 'test', version: '2020-01-01', actions: [Echo, Crash] })]);

let server: Server;
let endpoint: string;
let store: Store;
let dir: string;
const audited: AuditRecord[] = [];
const trust = new TrustPolicies();
let keyring: Keyring;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rampart-pipeline-'));
  store = await openSqliteStore(dir, box);
  keyring = new Keyring(store, Date.now);
  await store.accounts.create(ACCOUNT, new Date());
  await store.accessKeys.create({ accessKeyId: creds.accessKeyId, accountId: ACCOUNT, secret: creds.accessKeySecret, createdAt: new Date() });
  const deps = {
    catalog,
    auth: { credentials: new StoreCredentialSource(store, keyring, trust), nonces: new MemoryNonceCache(), now: Date.now },
    services: { store, box, authorizer: new Authorizer(new PolicySets(store), box), quotas: DEFAULT_QUOTAS, keyring, trust, assumeRoleLimiter: new RateLimiter(0), oidcIssuer: new OidcIssuer(store, box, { issuer: () => endpoint, now: Date.now }), oidcKeys: new OidcKeyResolver(), spent: new MemoryNonceCache() },
    audit: { record: async (r: AuditRecord) => void audited.push(r) },
    log: silentLogger(),
  };
  const door = apiFrontDoor(deps, { authorizer: deps.services.authorizer, audit: deps.audit, flushed: () => store.flushed(), log: deps.log, now: Date.now }, false);
  server = createServer((req, res) => void door(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (actionName: string, params: Record<string, string>) =>
  postForm(endpoint, encodeParams(signedParams(actionName, creds, { Version: '2020-01-01', ...params })));

test('typed parameters reach the handler', async () => {
  const res = await call('Echo', { Name: 'ab', Owner: ACCOUNT, Count: '3', Loud: 'TRUE' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.json()['Echo'], { Name: 'ababab', Loud: true });
  const defaults = await call('Echo', { Name: 'ab', Owner: ACCOUNT });
  assert.deepEqual(defaults.json()['Echo'], { Name: 'ab', Loud: null });
});

test('bad parameters are refused before authorization, naming the parameter', async () => {
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ Owner: ACCOUNT }, 'MissingName', /Name is mandatory/],
    [{ Name: 'a', Owner: ACCOUNT }, 'InvalidParameter', /"Name".*at least 2/],
    [{ Name: 'abcdefghi', Owner: ACCOUNT }, 'InvalidParameter', /"Name".*at most 8/],
    [{ Name: 'AB', Owner: ACCOUNT }, 'InvalidParameter', /"Name".*lower-case letters/],
    [{ Name: 'ab', Owner: ACCOUNT, Count: '11' }, 'InvalidParameter', /"Count".*maximum is 10/],
    [{ Name: 'ab', Owner: ACCOUNT, Count: '1.5' }, 'InvalidParameter', /"Count".*integer/],
    [{ Name: 'ab', Owner: ACCOUNT, Loud: 'yes' }, 'InvalidParameter', /"Loud".*true or false/],
  ];
  for (const [params, code, message] of cases) {
    const res = await call('Echo', params);
    assert.equal(res.status, 400, JSON.stringify(params));
    assert.equal(res.json()['Code'], code, JSON.stringify(params));
    assert.match(String(res.json()['Message']), message);
  }
});

test("the account root is allowed on its own resources and refused on another account's", async () => {
  const before = audited.length;
  const res = await call('Echo', { Name: 'ab', Owner: '2000000000000002' });
  assert.equal(res.status, 403);
  const body = res.json();
  assert.equal(body['Code'], 'NoPermission');
  assert.equal(body['Message'], 'You are not authorized to do this action.');
  const { EncodedDiagnosticMessage, ...detail } = body['AccessDeniedDetail'] as Record<string, string>;
  assert.deepEqual(detail, {
    AuthAction: 'test:Echo',
    AuthPrincipalType: 'Account',
    AuthPrincipalOwnerId: ACCOUNT,
    AuthPrincipalDisplayName: ACCOUNT,
    NoPermissionType: 'ImplicitDeny',
    PolicyType: 'AccountLevelIdentityBasedPolicy',
  });
  assert.match(EncodedDiagnosticMessage ?? '', /^[A-Za-z0-9_-]{40,}$/);
  const [denied] = audited.slice(before);
  assert.equal(denied?.errorCode, 'NoPermission');
  assert.equal(denied?.eventRW, 'Write');
  assert.deepEqual(denied?.requestParameters, { Action: 'Echo', Version: '2020-01-01', Format: 'JSON', Name: 'ab', Owner: '2000000000000002' });
});

test('an unexpected failure is an InternalError with a request id, and is audited', async () => {
  const before = audited.length;
  const res = await call('Crash', {});
  assert.equal(res.status, 500);
  assert.equal(res.json()['Code'], 'InternalError');
  assert.equal(res.json()['RequestId'], res.headers.get('x-acs-request-id'));
  assert.ok(!res.text.includes('database on fire'), 'internal details stay in the logs');
  assert.equal(audited.slice(before)[0]?.errorCode, 'InternalError');
});

test('V3-style names in x-acs-action / x-acs-version select the action too', async () => {
  const params = signedParams('Echo', creds, { Version: '2020-01-01', Name: 'ab', Owner: ACCOUNT });
  const res = await postForm(endpoint, encodeParams(params), { 'x-acs-action': 'Echo', 'x-acs-version': '2020-01-01' });
  assert.equal(res.status, 200);
});
