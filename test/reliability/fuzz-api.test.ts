// Fuzzing the api, metadata and console front doors of a running server with fast-check: valid
// signed requests with one thing broken (RPC and V3), random policy documents, random federation
// tokens, random metadata and console requests. Every answer: in its door's format with a request
// id, never a 5xx (save a deliberate 501/503), within a bound; and a refused request changes
// nothing in the store. RAMPART_FUZZ_RUNS (npm run fuzz) raises the runs and prints counts.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { percentEncode, rpcSignature, rpcStringToSign } from '../../src/auth/index.js';
import { answerWithin, assertProductAnswer, assertSameStore, FuzzCounts, fuzzRaised, rawHttp, runs, storeSnapshot, type Door, type RawAnswer, type RawRequest } from '../helpers/fuzz.js';
import { isoSeconds } from '../helpers/rpc-client.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const require = createRequire(import.meta.url);
const OpenApiUtil = (require('@alicloud/openapi-core') as { OpenApiUtil: { getAuthorization(request: { pathname: string; method: string; query: Record<string, string>; headers: Record<string, string> }, algorithm: string, payload: string, accessKeyId: string, secret: string): string } }).OpenApiUtil;

/** Every answer within this, or the property fails. */
const BOUND_MS = 5_000;
const ACCOUNT = ROOT.accountId;
const ROLE_ARN = `acs:ram::${ACCOUNT}:role/fuzzrole`;
const OIDC_ARN = `acs:ram::${ACCOUNT}:oidc-provider/fuzz-idp`;
const SAML_ARN = `acs:ram::${ACCOUNT}:saml-provider/fuzz-saml`;
/** The instance the metadata fuzz asks as (its address is where the requests come from). */
const INSTANCE_IP = '127.0.0.77';

const counts = new FuzzCounts();
let server: TestServer;
let last: Record<string, string>;

type Params = [string, string][];

// ---------------------------------------------------------------- the exchange and its checks

interface Sent {
  door: Door;
  endpoint: string;
  request: RawRequest;
  /** Every refusal must be a 4xx (the federation endpoints: nothing there may succeed). */
  refusalOnly?: boolean;
}

/** Sends one request and checks every invariant; returns the answer. */
async function exchange(s: Sent): Promise<RawAnswer> {
  const what = `${s.door} ${s.request.method} ${s.request.path.slice(0, 200)}`;
  let answer: RawAnswer;
  try {
    answer = await answerWithin(rawHttp(s.endpoint, s.request), BOUND_MS, what);
  } catch (e) {
    counts.add(s.door, 'no-answer');
    throw e;
  }
  let code: string | undefined;
  try {
    code = assertProductAnswer(s.door, answer.status, answer.headers, answer.body, { method: s.request.method, what, path: s.request.path });
  } catch (e) {
    counts.add(s.door, `BAD ${answer.status}`);
    throw e;
  }
  counts.add(s.door, `${answer.status}${code ? ` ${code}` : ''}`);
  const now = storeSnapshot(server.dataDir);
  const granted = answer.status >= 200 && answer.status < 300;
  if (!granted) assertSameStore(last, now, `${what} → ${answer.status} ${code ?? ''}`);
  if (s.refusalOnly) assert.ok(answer.status >= 400 && answer.status < 500, `${what}: expected a refusal, got ${answer.status} ${answer.body.slice(0, 200)}`);
  last = now;
  return answer;
}

/** The server still answers a normal signed request. */
async function stillServes(): Promise<void> {
  const r = await answerWithin(rawHttp(server.endpoints.api, formRequest(signRpc('GetCallerIdentity', '2015-04-01', []))), BOUND_MS);
  assert.equal(r.status, 200, r.body);
  assert.equal((JSON.parse(r.body) as Record<string, unknown>)['AccountId'], ACCOUNT);
}

/** A fast-check property with the bounded runs; a failure names its error and seed, not the whole case. */
async function property<T>(arb: fc.Arbitrary<T>, defaultRuns: number, check: (t: T) => Promise<unknown>): Promise<void> {
  const out = await fc.check(
    fc.asyncProperty(arb, async (t) => {
      await check(t);
    }),
    { numRuns: runs(defaultRuns), endOnFailure: true },
  );
  if (out.failed) {
    const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    throw new Error(`after ${out.numRuns} runs (seed ${out.seed}, path ${out.counterexamplePath ?? ''}): ${error.slice(0, 2000)}`);
  }
}

// ---------------------------------------------------------------- odd values and wire mutations

/** Values no client should send: huge, control characters, odd Unicode, lone surrogates. */
const oddValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '\u0000', '\r\n', '%', '%%', '../../etc/passwd', 'null', 'undefined', '[]', '{}', '"', '<a>', '\u202e\u0041', 'e\u0301', '\uFEFF', '𝔘𝔫𝔦', '\uD800', '\uDFFF', '*'.repeat(64) + 'x', '-1', '1e309', '0x10', 'NaN', '99999999999999999999999'),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.nat({ max: 300_000 }).map((n) => 'A'.repeat(n)),
  fc.integer().map(String),
);

/** RFC 3986 encoding as the signatures want it, tolerant of lone surrogates (percentEncode is not). */
function enc(s: string): string {
  try {
    return percentEncode(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
}

const encodeParams = (params: Params): string => params.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');

/** Breaks the percent-encoding of a wire string somewhere. */
const encodingOddity: fc.Arbitrary<(wire: string, at: number) => string> = fc.constantFrom(
  (w: string, at: number) => w.slice(0, at) + '%' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '%G1' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '%0' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '%00' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '%C3%28' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '%ED%A0%80' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '&&=&' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + ';' + w.slice(at),
  (w: string, at: number) => w.slice(0, at) + '+' + w.slice(at),
  (w: string) => w.replace(/%([0-9A-F]{2})/g, (_m, h: string) => `%${h.toLowerCase()}`),
  (w: string) => w.replace(/%/g, '%25'),
  (w: string) => w.replace(/%20/g, '+'),
  (w: string) => decodeURIComponentSafe(w),
  (w: string) => w + '&',
  (w: string) => '&' + w,
  (w: string) => w.replace(/=/, ''),
);

function decodeURIComponentSafe(w: string): string {
  try {
    return decodeURIComponent(w);
  } catch {
    return w;
  }
}

const contentTypes = fc.constantFrom(
  undefined,
  'application/json',
  'text/plain',
  'text/xml',
  'multipart/form-data; boundary=xyz',
  'application/x-www-form-urlencoded; charset=utf-16',
  'application/x-www-form-urlencoded; charset=',
  'APPLICATION/X-WWW-FORM-URLENCODED',
  'application/x-www-form-urlencoded, application/json',
  'application/octet-stream',
  '',
  ';;;',
);

const extraHeaders: fc.Arbitrary<[string, string][]> = fc.oneof(
  fc.constant<[string, string][]>([]),
  fc.constantFrom<[string, string][]>(
    [['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Type', 'application/json']],
    [['x-acs-action', 'CreateUser'], ['x-acs-action', 'DeleteUser']],
    [['x-acs-version', '2015-05-01']],
    [['x-acs-security-token', 'garbage']],
    [['Authorization', 'ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00']],
    [['Authorization', '']],
    [['Transfer-Encoding', 'chunked']],
    [['Expect', '100-continue']],
    [['x-forwarded-for', '1.2.3.4, not-an-ip']],
    [['Content-Encoding', 'gzip']],
    [['Accept', 'application/xml']],
    [['Host', 'evil.example.com']],
    [['Content-Length', '0'], ['Content-Length', '5']],
  ),
  fc.array(fc.tuple(fc.constantFrom('x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-action', 'x-acs-version', 'x-fuzz', 'user-agent', 'cookie'), fc.string({ unit: 'grapheme-ascii', maxLength: 30 })), { maxLength: 3 }),
);

// ---------------------------------------------------------------- valid requests to start from

/** A policy document near the valid one: the right shape with random parts, adversarial wildcards. */
const policyText: fc.Arbitrary<string> = (() => {
  const pattern = fc.oneof(
    fc.constantFrom('*', 'ram:*', 'ram:GetUser', 'sts:AssumeRole', 'oss:*', 'ecs:RunInstances', '*'.repeat(30) + 'x', 'a*'.repeat(40) + 'b', '??*?*??*', 'acs:ram::*:user/*', `acs:ram::${ACCOUNT}:role/fuzzrole`, 'acs:oss:*:*:bucket/*', ''),
    fc.string({ maxLength: 30 }),
    fc.array(fc.constantFrom('*', '?', 'a', ':', '/', 'ram'), { maxLength: 60 }).map((a) => a.join('')),
  );
  const oneOrMany = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, fc.array(a, { maxLength: 4 }));
  const condition = fc.dictionary(
    fc.constantFrom('StringEquals', 'StringLike', 'StringNotLike', 'IpAddress', 'NotIpAddress', 'NumericLessThan', 'DateGreaterThan', 'Bool', 'ForAnyValue:StringEquals', 'Null', 'NoSuchOperator', 'StringEqualsIfExists'),
    fc.dictionary(fc.constantFrom('acs:SourceIp', 'acs:CurrentTime', 'acs:SecureTransport', 'acs:MFAPresent', 'ram:x', 'oidc:aud', fc.sample(fc.string(), 1)[0] ?? ''), fc.oneof(pattern, fc.array(pattern, { maxLength: 3 }), fc.boolean(), fc.integer(), fc.constantFrom('10.0.0.0/8', '999.1.1.1/33', '2020-01-01T00:00:00Z', '::1/200'))),
  );
  const statement = fc.record(
    {
      Effect: fc.oneof(fc.constantFrom('Allow', 'Deny', 'allow', ''), fc.string({ maxLength: 6 })),
      Action: oneOrMany(pattern),
      NotAction: oneOrMany(pattern),
      Resource: oneOrMany(pattern),
      NotResource: oneOrMany(pattern),
      Principal: fc.oneof(fc.constant('*'), fc.record({ RAM: oneOrMany(fc.constantFrom(`acs:ram::${ACCOUNT}:root`, ACCOUNT, '*', 'x')), Service: oneOrMany(fc.constantFrom('ecs.aliyuncs.com', 'x')), Federated: oneOrMany(fc.constantFrom(OIDC_ARN, SAML_ARN, 'x')) }, { requiredKeys: [] })),
      Condition: condition,
      Sid: fc.string({ maxLength: 8 }),
    },
    { requiredKeys: [] },
  );
  const doc = fc.record({ Version: fc.oneof(fc.constantFrom('1', '2012-10-17', 1), fc.string({ maxLength: 4 })), Statement: fc.oneof(fc.array(statement, { maxLength: 4 }), statement) }, { requiredKeys: [] }).map((d) => JSON.stringify(d));
  const nearValid = fc.tuple(doc, fc.nat(), fc.constantFrom('', '}', '{', '"', ',', '\u0000', ']]]', 'Statement')).map(([d, at, ins]) => d.slice(0, at % (d.length + 1)) + ins + d.slice(at % (d.length + 1)));
  return fc.oneof({ weight: 5, arbitrary: doc }, { weight: 2, arbitrary: nearValid }, { weight: 1, arbitrary: fc.json() }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) }, { weight: 1, arbitrary: fc.constantFrom('{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', `{"Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::${ACCOUNT}:root"]}}],"Version":"1"}`, '[' .repeat(5000), '{"a":'.repeat(3000)) });
})();

/** A small name space: collisions keep the store bounded over 100,000 runs. */
const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('fuzz-a', 'fuzz-b', 'fuzz-c', 'Fuzz.D', 'fuzz_e') }, { weight: 1, arbitrary: oddValue });

interface Template {
  action: string;
  version: string;
  params: fc.Arbitrary<Params>;
}

const entries = (o: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<Params> => fc.record(o).map((r) => Object.entries(r));

const TEMPLATES: Template[] = [
  { action: 'CreateUser', version: '2015-05-01', params: entries({ UserName: name }) },
  { action: 'AttachPolicyToUser', version: '2015-05-01', params: entries({ PolicyType: fc.constantFrom('System', 'Custom', 'system', ''), PolicyName: fc.constantFrom('AdministratorAccess', 'ReadOnlyAccess', 'fuzz-base', 'NoSuch'), UserName: fc.constantFrom('fuzz-base', 'fuzz-a', 'nobody') }) },
  { action: 'CreatePolicy', version: '2015-05-01', params: entries({ PolicyName: name, PolicyDocument: policyText }) },
  { action: 'AssumeRole', version: '2015-04-01', params: entries({ RoleArn: fc.constantFrom(ROLE_ARN, `acs:ram::${ACCOUNT}:role/nosuch`, 'acs:ram::1:role/x', 'arn'), RoleSessionName: fc.constantFrom('fuzz', 'a', 'x'.repeat(80)), DurationSeconds: fc.constantFrom('900', '3600', '899', '43201', 'abc') }) },
  { action: 'GetCallerIdentity', version: '2015-04-01', params: fc.constant([]) },
  { action: 'CreateOIDCProvider', version: '2019-08-15', params: entries({ OIDCProviderName: name, IssuerUrl: fc.constantFrom('https://idp.example.com', 'http://idp.example.com', 'https://x', 'not a url', 'https://idp.example.com/#frag'), ClientIds: fc.constantFrom('client', 'a,b,c', ''), Fingerprints: fc.constantFrom('902ef2deeb3c5b13ea4c3d5193629309e231ae55', 'zz', '') }) },
  { action: 'RunInstances', version: '2014-05-26', params: entries({ RegionId: fc.constantFrom('cn-hangzhou', 'cn-beijing', ''), ImageId: fc.constantFrom('img', ''), InstanceType: fc.constantFrom('ecs.t1', ''), PrivateIpAddress: fc.constantFrom('127.0.0.90', '127.0.0.91', '10.0.0.300', 'x'), RamRoleName: fc.constantFrom('fuzzrole', 'nosuch') }) },
];

const template = fc.constantFrom(...TEMPLATES).chain((t) => t.params.map((p) => ({ t, params: p })));

function signRpc(action: string, version: string, params: Params, options: { method?: string; format?: string; creds?: { accessKeyId: string; accessKeySecret: string } } = {}): Params {
  const creds = options.creds ?? ROOT;
  const all = new Map<string, string>([
    ['Action', action],
    ['Version', version],
    ['Format', options.format ?? 'JSON'],
    ['AccessKeyId', creds.accessKeyId],
    ['SignatureMethod', 'HMAC-SHA1'],
    ['SignatureVersion', '1.0'],
    ['SignatureNonce', randomUUID()],
    ['Timestamp', isoSeconds()],
    ...params,
  ]);
  let signature: string;
  try {
    signature = rpcSignature(creds.accessKeySecret, rpcStringToSign(options.method ?? 'POST', all));
  } catch {
    signature = 'unsignable';
  }
  return [...all, ['Signature', signature]];
}

function formRequest(params: Params, body = encodeParams(params)): RawRequest {
  return { method: 'POST', path: '/', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body };
}

// ---------------------------------------------------------------- RPC

type ParamMutation =
  | { kind: 'none' }
  | { kind: 'drop'; at: number }
  | { kind: 'duplicate'; at: number; other: boolean }
  | { kind: 'case'; at: number }
  | { kind: 'value'; at: number; value: string }
  | { kind: 'extra'; key: string; value: string };

const paramMutation: fc.Arbitrary<ParamMutation> = fc.oneof(
  fc.constant<ParamMutation>({ kind: 'none' }),
  fc.nat().map((at): ParamMutation => ({ kind: 'drop', at })),
  fc.tuple(fc.nat(), fc.boolean()).map(([at, other]): ParamMutation => ({ kind: 'duplicate', at, other })),
  fc.nat().map((at): ParamMutation => ({ kind: 'case', at })),
  fc.tuple(fc.nat(), oddValue).map(([at, value]): ParamMutation => ({ kind: 'value', at, value })),
  fc.tuple(fc.oneof(fc.constantFrom('Action', 'Version', 'SecurityToken', 'RegionId', 'Signature', 'x-acs-action', '', '__proto__', 'constructor'), fc.string({ maxLength: 10 })), oddValue).map(([key, value]): ParamMutation => ({ kind: 'extra', key, value })),
);

function mutateParams(params: Params, m: ParamMutation): Params {
  const out = params.map(([k, v]): [string, string] => [k, v]);
  if (out.length === 0 || m.kind === 'none') return m.kind === 'extra' ? [...out, [m.key, m.value]] : out;
  switch (m.kind) {
    case 'drop':
      out.splice(m.at % out.length, 1);
      return out;
    case 'duplicate': {
      const [k, v] = out[m.at % out.length]!;
      out.push([k, m.other ? `${v}x` : v]);
      return out;
    }
    case 'case': {
      const i = m.at % out.length;
      const [k, v] = out[i]!;
      out[i] = [k === k.toLowerCase() ? k.toUpperCase() : k.toLowerCase(), v];
      return out;
    }
    case 'value': {
      const i = m.at % out.length;
      out[i] = [out[i]![0], m.value];
      return out;
    }
    case 'extra':
      return [...out, [m.key, m.value]];
  }
}

interface RpcCase {
  t: Template;
  params: Params;
  via: 'form' | 'query';
  method: string;
  format: string;
  /** Mutated before signing (so signed as sent) or after. */
  signedMutation: boolean;
  mutation: ParamMutation;
  wire: { oddity?: (w: string, at: number) => string; at: number; truncate?: number };
  contentType: string | undefined | null;
  headers: [string, string][];
  path: string;
  asRoot: boolean;
}

const rpcCase: fc.Arbitrary<RpcCase> = fc.record({
  tp: template,
  via: fc.constantFrom('form', 'query'),
  method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('POST', 'GET') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'get', 'FUZZ') }),
  format: fc.oneof({ weight: 6, arbitrary: fc.constant('JSON') }, { weight: 3, arbitrary: fc.constantFrom('XML', 'xml', 'json') }, { weight: 1, arbitrary: fc.constantFrom('', 'YAML', 'JSONP') }),
  signedMutation: fc.boolean(),
  mutation: paramMutation,
  wire: fc.record({ oddity: fc.option(encodingOddity, { freq: 4, nil: undefined }), at: fc.nat(), truncate: fc.option(fc.nat(), { freq: 6, nil: undefined }) }, { requiredKeys: ['at'] }),
  contentType: fc.option(contentTypes, { freq: 5, nil: null }),
  headers: fc.option(extraHeaders, { freq: 4, nil: [] }),
  path: fc.oneof({ weight: 12, arbitrary: fc.constant('/') }, { weight: 1, arbitrary: fc.constantFrom('//', '/x', '*', '/%2e%2e/', '/?', 'http://127.0.0.1/', '/\u00e9') }),
  asRoot: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
}).map(({ tp, ...rest }) => ({ ...rest, t: tp.t, params: tp.params }));

let limited: { accessKeyId: string; accessKeySecret: string };

function rpcRequest(c: RpcCase): RawRequest {
  const signMethod = c.method === 'GET' || c.via === 'query' ? (c.method === 'GET' ? 'GET' : 'POST') : 'POST';
  const creds = c.asRoot ? ROOT : limited;
  let params: Params;
  if (c.signedMutation) {
    // Mutated first, then signed: the signature is good, the content is not (a Map keeps one of a repeated key).
    const mutated = mutateParams(c.params, c.mutation);
    params = signRpc(c.t.action, c.t.version, mutated, { method: signMethod, format: c.format, creds });
    if (c.mutation.kind === 'duplicate') params = mutateParams(params, c.mutation);
  } else {
    params = mutateParams(signRpc(c.t.action, c.t.version, c.params, { method: signMethod, format: c.format, creds }), c.mutation);
  }
  let wire = encodeParams(params);
  if (c.wire.oddity) wire = c.wire.oddity(wire, c.wire.at % (wire.length + 1));
  const headers: [string, string][] = [];
  let body: Buffer | undefined;
  let path = c.path;
  if (c.via === 'query' || c.method === 'GET') {
    path = `${c.path}${c.path.includes('?') ? '&' : '?'}${wire}`;
  } else {
    body = Buffer.from(wire, 'utf8');
    if (c.wire.truncate !== undefined) body = body.subarray(0, c.wire.truncate % (body.length + 1));
    headers.push(['Content-Type', c.contentType === null ? 'application/x-www-form-urlencoded' : c.contentType ?? '']);
    if (c.contentType === undefined) headers.pop();
  }
  // A request target with bytes outside Latin-1 goes as UTF-8 (what a broken client would send).
  return { method: c.method, path, headers: [...headers, ...c.headers], ...(body !== undefined ? { body } : {}) };
}

// ---------------------------------------------------------------- V3 (ACS3-HMAC-SHA256)

type V3Mutation =
  | { kind: 'none' }
  | { kind: 'dropHeader'; at: number }
  | { kind: 'header'; at: number; value: string }
  | { kind: 'auth'; how: number; value: string }
  | { kind: 'bodyAfterSigning'; value: string }
  | { kind: 'params'; m: ParamMutation; signed: boolean };

interface V3Case {
  t: Template;
  params: Params;
  inBody: boolean;
  method: string;
  mutation: V3Mutation;
  contentType: string | undefined | null;
  extra: [string, string][];
}

const v3Case: fc.Arbitrary<V3Case> = fc.record({
  tp: template,
  inBody: fc.boolean(),
  method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('POST', 'GET') }, { weight: 1, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH') }),
  mutation: fc.oneof(
    fc.constant<V3Mutation>({ kind: 'none' }),
    fc.nat().map((at): V3Mutation => ({ kind: 'dropHeader', at })),
    fc.tuple(fc.nat(), fc.oneof(oddValue, fc.constantFrom('20240101T000000Z', '2024-01-01T00:00:00Z', '1999-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'ACS3-HMAC-SM3'))).map(([at, value]): V3Mutation => ({ kind: 'header', at, value })),
    fc.tuple(fc.nat({ max: 9 }), fc.string({ unit: 'grapheme-ascii', maxLength: 40 })).map(([how, value]): V3Mutation => ({ kind: 'auth', how, value })),
    fc.string({ maxLength: 30 }).map((value): V3Mutation => ({ kind: 'bodyAfterSigning', value })),
    fc.tuple(paramMutation, fc.boolean()).map(([m, signed]): V3Mutation => ({ kind: 'params', m, signed })),
  ),
  contentType: fc.option(contentTypes, { freq: 5, nil: null }),
  extra: fc.option(extraHeaders, { freq: 5, nil: [] }),
}).map(({ tp, ...rest }) => ({ ...rest, t: tp.t, params: tp.params }));

function v3Request(c: V3Case): RawRequest {
  let params = c.params;
  if (c.mutation.kind === 'params' && c.mutation.signed) params = mutateParams(params, c.mutation.m);
  const query: Record<string, string> = {};
  let body = '';
  if (c.inBody && c.method !== 'GET') body = encodeParams(params);
  else for (const [k, v] of params) query[k] = v;
  const headers: Record<string, string> = {
    host: new URL(server.endpoints.api).host,
    'x-acs-action': c.t.action,
    'x-acs-version': c.t.version,
    'x-acs-date': isoSeconds(),
    'x-acs-signature-nonce': randomUUID().replace(/-/g, ''),
    'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
  };
  if (body !== '') headers['content-type'] = 'application/x-www-form-urlencoded';
  let authorization: string;
  try {
    authorization = OpenApiUtil.getAuthorization({ pathname: '/', method: c.method, query, headers }, 'ACS3-HMAC-SHA256', headers['x-acs-content-sha256'] ?? '', ROOT.accessKeyId, ROOT.accessKeySecret);
  } catch {
    authorization = 'ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00';
  }
  const m = c.mutation;
  let wireParams = Object.entries(query);
  if (m.kind === 'params' && !m.signed) {
    if (c.inBody && c.method !== 'GET') body = encodeParams(mutateParams(params, m.m));
    else wireParams = mutateParams(wireParams, m.m);
  }
  let list: [string, string][] = Object.entries(headers);
  if (m.kind === 'dropHeader') list.splice(m.at % list.length, 1);
  if (m.kind === 'header') {
    const i = m.at % list.length;
    list[i] = [list[i]![0], m.value.replace(/[\r\n]/g, ' ')];
  }
  if (m.kind === 'bodyAfterSigning') body += `&${enc(m.value)}`;
  if (m.kind === 'auth') {
    const variants = [
      () => authorization.replace('ACS3-HMAC-SHA256', m.value),
      () => authorization.replace(/Signature=[0-9a-f]+/, `Signature=${m.value}`),
      () => authorization.replace(/SignedHeaders=[^,]+/, `SignedHeaders=${m.value}`),
      () => authorization.replace(/Credential=[^,]+/, `Credential=${m.value}`),
      () => authorization.replace(/,/g, ' '),
      () => authorization.toLowerCase(),
      () => authorization.slice(0, m.value.length),
      () => `${authorization},${authorization}`,
      () => m.value,
      () => authorization.replace(/SignedHeaders=/, 'SignedHeaders=x-acs-action;'),
    ];
    authorization = variants[m.how % variants.length]!();
  }
  list.push(['authorization', authorization.replace(/[\r\n]/g, ' ')]);
  if (c.contentType !== null) {
    list = list.filter(([k]) => k !== 'content-type');
    if (c.contentType !== undefined) list.push(['content-type', c.contentType]);
  }
  const qs = encodeParams(wireParams);
  return { method: c.method, path: qs === '' ? '/' : `/?${qs}`, headers: [...list, ...c.extra], ...(body !== '' || c.method === 'POST' ? { body } : {}) };
}

// ---------------------------------------------------------------- federation

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');

const jwt: fc.Arbitrary<string> = fc.oneof(
  // Near-valid: a JWT's shape with random header and claims, and a signature of noise.
  fc
    .tuple(
      fc.record({ alg: fc.constantFrom('RS256', 'ES256', 'HS256', 'none', 'None', 'PS512', 'EdDSA', ''), kid: fc.oneof(fc.constantFrom('k1', '', '../../x'), fc.string({ maxLength: 10 })), typ: fc.constantFrom('JWT', 'at+jwt', 'x') }, { requiredKeys: [] }),
      fc.record(
        {
          iss: fc.constantFrom('https://idp.example.com', 'https://evil.example.com', ''),
          aud: fc.oneof(fc.constantFrom('client', 'other'), fc.array(fc.constantFrom('client', 'x'), { maxLength: 3 })),
          sub: fc.string({ maxLength: 20 }),
          exp: fc.oneof(fc.integer(), fc.constant(Math.floor(Date.now() / 1000) + 600), fc.constant('soon')),
          iat: fc.integer(),
          nbf: fc.integer(),
        },
        { requiredKeys: [] },
      ),
      fc.uint8Array({ maxLength: 300 }),
    )
    .map(([h, p, sig]) => `${b64u(JSON.stringify(h))}.${b64u(JSON.stringify(p))}.${b64u(Buffer.from(sig))}`),
  // Noise in the JWT's shape.
  fc.array(fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.'.split('')), maxLength: 200 }), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
  fc.string({ maxLength: 100 }),
  fc.nat({ max: 200_000 }).map((n) => `${b64u('{"alg":"RS256"}')}.${'A'.repeat(n)}.x`),
  fc.json().map((j) => `${b64u(j)}.${b64u(j)}.`),
);

const samlAssertion: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">', '<Response>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>', '<a:b xmlns:a="x">', '<![CDATA[', '<!-- '), fc.string({ maxLength: 100 }), fc.constantFrom('</samlp:Response>', '', '</x>', '<Signature/>'))
    .map(([a, b, c]) => Buffer.from(a + b + c).toString('base64')),
  fc.string({ maxLength: 120 }),
  fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u).toString('base64')),
  fc.nat({ max: 60 }).map((n) => Buffer.from('<a>'.repeat(n * 50) + '</a>'.repeat(n * 50)).toString('base64')),
);

// ---------------------------------------------------------------- setup

async function rootCall(action: string, version: string, params: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await rawHttp(server.endpoints.api, formRequest(signRpc(action, version, Object.entries(params))));
  const body = JSON.parse(r.body) as Record<string, unknown>;
  assert.equal(r.status, 200, `${action}: ${r.body}`);
  return body;
}

describe('fuzzing the front doors', { concurrency: false }, () => {
  before(async () => {
    server = await startTestServer({ console: { host: '127.0.0.1', port: 0 } });
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ACCOUNT}:root`], Service: ['ecs.aliyuncs.com'], Federated: [OIDC_ARN, SAML_ARN] } }] });
    await rootCall('CreateRole', '2015-05-01', { RoleName: 'fuzzrole', AssumeRolePolicyDocument: trust });
    await rootCall('CreatePolicy', '2015-05-01', { PolicyName: 'fuzz-base', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:Get*', Resource: '*' }] }) });
    await rootCall('CreateUser', '2015-05-01', { UserName: 'fuzz-base' });
    await rootCall('AttachPolicyToUser', '2015-05-01', { PolicyType: 'Custom', PolicyName: 'fuzz-base', UserName: 'fuzz-base' });
    const key = (await rootCall('CreateAccessKey', '2015-05-01', { UserName: 'fuzz-base' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
    limited = { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret };
    await rootCall('CreateOIDCProvider', '2019-08-15', { OIDCProviderName: 'fuzz-idp', IssuerUrl: 'https://idp.example.com', ClientIds: 'client', Fingerprints: '902ef2deeb3c5b13ea4c3d5193629309e231ae55' });
    await rootCall('CreateSAMLProvider', '2019-08-15', { SAMLProviderName: 'fuzz-saml' });
    await rootCall('RunInstances', '2014-05-26', { RegionId: 'cn-hangzhou', ImageId: 'img', InstanceType: 'ecs.t1', PrivateIpAddress: INSTANCE_IP, RamRoleName: 'fuzzrole' });
    last = storeSnapshot(server.dataDir);
  });
  after(async () => {
    if (fuzzRaised()) console.log(counts.report());
    await server.stop();
  });

  it('RPC: valid signed requests with one thing broken', async () => {
    await property(rpcCase, 1500, (c) => exchange({ door: 'api', endpoint: server.endpoints.api, request: rpcRequest(c) }));
    await stillServes();
  });

  it('V3 (ACS3-HMAC-SHA256): valid signed requests with one thing broken', async () => {
    await property(v3Case, 1000, (c) => exchange({ door: 'api', endpoint: server.endpoints.api, request: v3Request(c) }));
    await stillServes();
  });

  it('policy documents: random and near-valid text into every action that takes one', async () => {
    const where = fc.constantFrom(
      (doc: string): Params => [['Action', 'CreatePolicy'], ['PolicyName', 'fuzz-pol'], ['PolicyDocument', doc]],
      (doc: string): Params => [['Action', 'CreatePolicyVersion'], ['PolicyName', 'fuzz-base'], ['PolicyDocument', doc], ['SetAsDefault', 'false'], ['RotateStrategy', 'DeleteOldestNonDefaultVersionWhenLimitExceeded']],
      (doc: string): Params => [['Action', 'CreateRole'], ['RoleName', 'fuzz-role2'], ['AssumeRolePolicyDocument', doc]],
      (doc: string): Params => [['Action', 'UpdateRole'], ['RoleName', 'fuzzrole'], ['NewAssumeRolePolicyDocument', doc]],
      (doc: string): Params => [['Action', 'AssumeRole'], ['RoleArn', ROLE_ARN], ['RoleSessionName', 'fuzz'], ['Policy', doc]],
    );
    await property(fc.tuple(where, policyText), 1000, async ([at, doc]) => {
      const [[, action], ...params] = at(doc) as [[string, string], ...Params];
      const version = action === 'AssumeRole' ? '2015-04-01' : '2015-05-01';
      const answer = await exchange({ door: 'api', endpoint: server.endpoints.api, request: formRequest(signRpc(action, version, params)) });
      // What was made is taken away again, so the next document meets the same store.
      if (answer.status === 200 && action === 'CreatePolicy') await rootCall('DeletePolicy', '2015-05-01', { PolicyName: 'fuzz-pol' });
      if (answer.status === 200 && action === 'CreateRole') await rootCall('DeleteRole', '2015-05-01', { RoleName: 'fuzz-role2' });
      if (answer.status === 200 && action === 'UpdateRole') await rootCall('UpdateRole', '2015-05-01', { RoleName: 'fuzzrole', NewAssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ACCOUNT}:root`], Service: ['ecs.aliyuncs.com'], Federated: [OIDC_ARN, SAML_ARN] } }] }) });
      last = storeSnapshot(server.dataDir);
    });
    await stillServes();
  });

  it('federation: unsigned AssumeRoleWithOIDC and AssumeRoleWithSAML with random tokens are refused, and change nothing', async () => {
    const oidc = fc.record({ token: jwt, provider: fc.constantFrom(OIDC_ARN, `acs:ram::${ACCOUNT}:oidc-provider/nosuch`, 'x'), role: fc.constantFrom(ROLE_ARN, 'acs:ram::1:role/x'), session: fc.constantFrom('s', '', 'x'.repeat(70)), via: fc.constantFrom('form', 'query') }).map(
      (o): RawRequest => {
        const params: Params = [['Action', 'AssumeRoleWithOIDC'], ['Version', '2015-04-01'], ['Format', 'JSON'], ['Timestamp', isoSeconds()], ['OIDCProviderArn', o.provider], ['RoleArn', o.role], ['OIDCToken', o.token], ['RoleSessionName', o.session]];
        return o.via === 'form' ? formRequest(params) : { method: 'POST', path: `/?${encodeParams(params)}` };
      },
    );
    const saml = fc.record({ assertion: samlAssertion, provider: fc.constantFrom(SAML_ARN, `acs:ram::${ACCOUNT}:saml-provider/nosuch`), role: fc.constantFrom(ROLE_ARN, 'nope') }).map((o) =>
      formRequest([['Action', 'AssumeRoleWithSAML'], ['Version', '2015-04-01'], ['Format', 'JSON'], ['Timestamp', isoSeconds()], ['SAMLProviderArn', o.provider], ['RoleArn', o.role], ['SAMLAssertion', o.assertion]]),
    );
    await property(fc.oneof(oidc, saml), 1000, (request) => exchange({ door: 'api', endpoint: server.endpoints.api, request, refusalOnly: true }));
    await stillServes();
  });

  it('metadata listener: random paths, methods and token headers', async () => {
    const segment = fc.oneof(fc.constantFrom('latest', 'meta-data', 'api', 'token', 'ram', 'security-credentials', 'fuzzrole', 'instance-id', 'region-id', '..', '%2e%2e', '', '.', 'dynamic', 'user-data', 'instance', 'private-ipv4', '%00'), fc.string({ unit: 'grapheme-ascii', maxLength: 12 }).map((s) => enc(s)));
    const request = fc.record({
      path: fc.array(segment, { maxLength: 6 }).map((a) => `/${a.join('/')}`),
      query: fc.option(fc.constantFrom('?x=1', '?', '?%zz', '#frag'), { nil: '' }),
      method: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('GET', 'PUT') }, { weight: 1, arbitrary: fc.constantFrom('POST', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'FUZZ') }),
      token: fc.option(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), fc.constant('A'.repeat(5000))), { nil: undefined }),
      ttl: fc.option(fc.oneof(fc.constantFrom('0', '1', '21600', '21601', '-1', 'abc', '1e3', ' 60'), fc.integer().map(String)), { nil: undefined }),
      forwarded: fc.option(fc.constantFrom('1.2.3.4', INSTANCE_IP), { nil: undefined }),
      from: fc.constantFrom(INSTANCE_IP, '127.0.0.1', '127.0.0.78'),
      useRealToken: fc.boolean(),
    });
    let realToken = '';
    await property(request, 1000, async (r) => {
      const headers: [string, string][] = [];
      const token = r.useRealToken && realToken ? realToken : r.token;
      if (token !== undefined) headers.push(['X-aliyun-ecs-metadata-token', token]);
      if (r.ttl !== undefined) headers.push(['X-aliyun-ecs-metadata-token-ttl-seconds', r.ttl]);
      if (r.forwarded !== undefined) headers.push(['X-Forwarded-For', r.forwarded]);
      const answer = await exchange({ door: 'metadata', endpoint: server.endpoints.metadata, request: { method: r.method, path: r.path + r.query, headers, localAddress: r.from } });
      if (r.method === 'PUT' && r.path === '/latest/api/token' && answer.status === 200 && r.from === INSTANCE_IP) realToken = answer.body;
    });
    const ok = await rawHttp(server.endpoints.metadata, { method: 'PUT', path: '/latest/api/token', headers: [['X-aliyun-ecs-metadata-token-ttl-seconds', '60']], localAddress: INSTANCE_IP });
    assert.equal(ok.status, 200, ok.body);
  });

  it('console: random JSON into /api/signin and /api/call, with and without a session', async () => {
    const base = server.endpoints.console!;
    const origin = new URL(base).origin;
    const signin = await rawHttp(base, { method: 'POST', path: '/api/signin', headers: [['Content-Type', 'application/json'], ['Origin', origin]], body: JSON.stringify({ Kind: 'root', AccessKeyId: ROOT.accessKeyId, AccessKeySecret: ROOT.accessKeySecret }) });
    assert.equal(signin.status, 200, signin.body);
    const cookie = (signin.headers['set-cookie'] ?? '').split(';')[0] ?? '';
    const csrf = String((JSON.parse(signin.body) as Record<string, unknown>)['CsrfToken']);
    last = storeSnapshot(server.dataDir);
    const nearCall = fc.record(
      {
        Product: fc.oneof(fc.constantFrom('ram', 'sts', 'ecs', 'ims', 'actiontrail', 'RAM', ''), fc.string({ maxLength: 8 })),
        Version: fc.oneof(fc.constantFrom('2015-05-01', '2015-04-01', '2014-05-26', '2019-08-15'), fc.string({ maxLength: 10 })),
        Action: fc.oneof(fc.constantFrom('CreateUser', 'GetUser', 'ListUsers', 'AssumeRole', 'GetCallerIdentity', 'DeleteUser', 'CreatePolicy', 'constructor', '__proto__'), fc.string({ maxLength: 10 })),
        Params: fc.oneof(fc.dictionary(fc.constantFrom('UserName', 'PolicyName', 'PolicyDocument', 'RoleArn', 'RoleSessionName', '__proto__', 'x'), fc.oneof(name, fc.integer() as fc.Arbitrary<unknown>, fc.constant(null) as fc.Arbitrary<unknown>, fc.array(fc.string(), { maxLength: 2 }) as fc.Arbitrary<unknown>, policyText)), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    const nearSignin = fc.record({ Kind: fc.oneof(fc.constantFrom('root', 'user', 'sso', ''), fc.jsonValue()), AccessKeyId: fc.oneof(fc.constantFrom(ROOT.accessKeyId, limited.accessKeyId), fc.string()), AccessKeySecret: fc.oneof(fc.string(), fc.jsonValue()), Account: fc.constantFrom(ACCOUNT, 'x', ''), UserName: fc.constantFrom('fuzz-base', 'nobody'), Password: fc.string({ maxLength: 30 }), MfaCode: fc.string({ maxLength: 8 }) }, { requiredKeys: [] });
    const request = fc.record({
      path: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('/api/call', '/api/signin', '/api/session', '/api/', '/api/switch', '/api/presign') }, { weight: 1, arbitrary: fc.constantFrom('/', '/index.html', '/api/oss', '/api/oss/x', '/api/%zz', '/..%2f..%2f', '/assets/x.js', '/api/call?x') }),
      method: fc.oneof({ weight: 6, arbitrary: fc.constant('POST') }, { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'DELETE', 'HEAD', 'OPTIONS') }),
      body: fc.oneof(nearCall.map((v) => JSON.stringify(v)), nearSignin.map((v) => JSON.stringify(v)), fc.json(), fc.string({ maxLength: 100 }), fc.nat({ max: 400_000 }).map((n) => `{"Params":{"x":"${'a'.repeat(n)}"}}`)),
      session: fc.constantFrom('valid', 'none', 'garbage', 'no-csrf'),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', '') }),
      origin: fc.oneof({ weight: 5, arbitrary: fc.constant(origin) }, { weight: 1, arbitrary: fc.constantFrom('http://evil.example.com', 'null', '') }),
    });
    await property(request, 1500, async (r) => {
      const headers: [string, string][] = [['Content-Type', r.contentType], ['Origin', r.origin]];
      if (r.session === 'valid' || r.session === 'no-csrf') headers.push(['Cookie', cookie]);
      if (r.session === 'garbage') headers.push(['Cookie', `rampart_console=${'A'.repeat(60)}`]);
      if (r.session === 'valid') headers.push(['x-rampart-csrf', csrf]);
      await exchange({ door: 'console', endpoint: base, request: { method: r.method, path: r.path, headers, body: r.body } });
    });
    const still = await rawHttp(base, { method: 'GET', path: '/api/session', headers: [['Cookie', cookie]] });
    assert.equal(still.status, 200, still.body);
  });

  // Regression: Node's own 400 for an unparsable request (a method it does not know) went out from
  // the metadata and console listeners without a request id (src/server/front-doors.ts).
  it('answers a request Node cannot parse with a request id, on every door', async () => {
    for (const [door, endpoint] of [['api', server.endpoints.api], ['metadata', server.endpoints.metadata], ['console', server.endpoints.console!]] as const) {
      const r = await rawHttp(endpoint, { method: 'FUZZ', path: '/api/call' });
      assert.equal(r.status, 400);
      assertProductAnswer(door, r.status, r.headers, r.body, { what: `${door} FUZZ` });
    }
  });

  it('still answers a normal request after all of it', stillServes);
});
