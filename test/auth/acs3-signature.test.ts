import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import {
  acs3CanonicalRequest,
  acs3Signature,
  acs3StringToSign,
  parseAcs3Authorization,
  type Acs3Algorithm,
} from '../../src/auth/index.js';

const require = createRequire(import.meta.url);
// The official Tea SDK's V3 signing code, as used by @alicloud/sts20150401 and every product SDK.
const OpenApiUtil = require('@alicloud/openapi-core/dist/utils.js').default as {
  getAuthorization(
    request: { pathname: string; method: string; query: Record<string, string>; headers: Record<string, string> },
    algorithm: string,
    payload: string,
    accessKeyId: string,
    secret: string,
  ): string;
};

function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

const ALPHABET = [...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~éü中文😀'];
function randomText(rand: () => number, max: number): string {
  let s = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

function verifyLikeServer(algorithm: Acs3Algorithm, authorization: string, req: { method: string; query: Record<string, string>; headers: Record<string, string> }, secret: string) {
  const parsed = parseAcs3Authorization(authorization);
  assert.ok(!('reason' in parsed), 'the SDK header parses');
  const headers = new Map<string, string[]>();
  for (const [k, v] of Object.entries(req.headers)) headers.set(k.toLowerCase(), [v]);
  const stringToSign = acs3StringToSign(
    algorithm,
    acs3CanonicalRequest({
      method: req.method,
      path: '/',
      query: new Map(Object.entries(req.query)),
      headers,
      signedHeaders: parsed.signedHeaders,
      payloadHash: req.headers['x-acs-content-sha256'] ?? '',
    }),
  );
  return { parsed, signature: acs3Signature(algorithm, secret, stringToSign) };
}

// The worked example of Alibaba Cloud's "Request syntax and signature method V3" page
// (fixed parameter values: RunInstances, 2023-10-26T10:22:32Z).
test('published vector: RunInstances signed with YourAccessKeySecret', () => {
  const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const headers = new Map<string, string[]>(
    Object.entries({
      host: ['ecs.cn-shanghai.aliyuncs.com'],
      'x-acs-action': ['RunInstances'],
      'x-acs-content-sha256': [emptyHash],
      'x-acs-date': ['2023-10-26T10:22:32Z'],
      'x-acs-signature-nonce': ['3156853299f313e23d1673dc12e1703d'],
      'x-acs-version': ['2014-05-26'],
    }),
  );
  const auth = parseAcs3Authorization(
    'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0',
  );
  assert.ok(!('reason' in auth));
  const canonical = acs3CanonicalRequest({
    method: 'POST',
    path: '/',
    query: new Map([['ImageId', 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd'], ['RegionId', 'cn-shanghai']]),
    headers,
    signedHeaders: auth.signedHeaders,
    payloadHash: emptyHash,
  });
  assert.equal(
    canonical,
    [
      'POST',
      '/',
      'ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai',
      'host:ecs.cn-shanghai.aliyuncs.com',
      'x-acs-action:RunInstances',
      `x-acs-content-sha256:${emptyHash}`,
      'x-acs-date:2023-10-26T10:22:32Z',
      'x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d',
      'x-acs-version:2014-05-26',
      '',
      'host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version',
      emptyHash,
    ].join('\n'),
  );
  const stringToSign = acs3StringToSign('ACS3-HMAC-SHA256', canonical);
  assert.equal(stringToSign, 'ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
  assert.equal(acs3Signature('ACS3-HMAC-SHA256', 'YourAccessKeySecret', stringToSign), auth.signature);
});

test('repeated header values are trimmed, sorted and joined with commas, as the SDKs do', () => {
  const canonical = acs3CanonicalRequest({
    method: 'GET',
    path: '/',
    query: new Map(),
    headers: new Map([['x-acs-b', [' 2 ', '1']], ['host', ['h']]]),
    signedHeaders: ['x-acs-b', 'host'],
    payloadHash: 'p',
  });
  assert.equal(canonical, 'GET\n/\n\nhost:h\nx-acs-b:1,2\n\nhost;x-acs-b\np');
});

for (const algorithm of ['ACS3-HMAC-SHA256', 'ACS3-HMAC-SM3'] as const) {
  test(`${algorithm}: matches the official SDK signing code on 300 random requests`, () => {
    const rand = seeded(algorithm.length);
    for (let i = 0; i < 300; i++) {
      const query: Record<string, string> = {};
      for (let j = 0; j < Math.floor(rand() * 5); j++) query[`Param${j}`] = randomText(rand, 30);
      const body = Buffer.from(randomText(rand, 50));
      const headers: Record<string, string> = {
        host: '127.0.0.1:8800',
        'x-acs-action': 'AssumeRole',
        'x-acs-version': '2015-04-01',
        'x-acs-date': '2026-11-24T10:00:00Z',
        'x-acs-signature-nonce': createHash('md5').update(String(i)).digest('hex'),
        'x-acs-content-sha256': createHash(algorithm === 'ACS3-HMAC-SHA256' ? 'sha256' : 'sm3').update(body).digest('hex'),
        'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20',
      };
      if (rand() < 0.5) headers['content-type'] = 'application/x-www-form-urlencoded';
      if (rand() < 0.3) headers['x-acs-security-token'] = `tok${randomText(rand, 20).trim()}`;
      const method = rand() < 0.8 ? 'POST' : 'GET';
      const secret = `k${randomText(rand, 30)}`;
      const authorization = OpenApiUtil.getAuthorization({ pathname: '/', method, query, headers }, algorithm, headers['x-acs-content-sha256'] ?? '', 'LTAI5tTEST', secret);
      const { parsed, signature } = verifyLikeServer(algorithm, authorization, { method, query, headers }, secret);
      assert.equal(parsed.accessKeyId, 'LTAI5tTEST');
      assert.equal(signature, parsed.signature, JSON.stringify({ query, headers }));
    }
  });
}

test('malformed Authorization headers are explained, and a missing Credential is flagged', () => {
  const problem = (h: string) => {
    const p = parseAcs3Authorization(h);
    assert.ok('reason' in p, h);
    return p;
  };
  assert.equal(problem('ACS3-HMAC-SHA256').missingCredential, true);
  assert.equal(problem('ACS3-HMAC-SHA256 SignedHeaders=host,Signature=ab').missingCredential, true);
  assert.match(problem('HMAC-MD5 Credential=a,SignedHeaders=host,Signature=ab').reason, /not supported/);
  assert.match(problem('ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host').reason, /no Signature/);
  assert.match(problem('ACS3-HMAC-SHA256 Credential=a,Credential=b,SignedHeaders=host,Signature=x').reason, /repeated/);
  assert.match(problem('ACS3-HMAC-SHA256 Credential=a,junk,Signature=x').reason, /has no value/);
});

// Names are percent-encoded as values are (the SDKs never send a name that encoding changes, so
// their signatures are unaffected): left raw, "=", "&" and "%" in a name let one request sign
// exactly like another.
test('parameter names with =, &, % and non-ASCII are encoded, so no two requests share a canonical query', () => {
  const canonicalQuery = (query: Record<string, string>) =>
    acs3CanonicalRequest({ method: 'POST', path: '/', query: new Map(Object.entries(query)), headers: new Map([['host', ['h']]]), signedHeaders: ['host'], payloadHash: 'p' }).split('\n')[2];
  assert.equal(canonicalQuery({ 'DurationSeconds=3600&Policy': '{"x":1}' }), 'DurationSeconds%3D3600%26Policy=%7B%22x%22%3A1%7D');
  assert.notEqual(canonicalQuery({ 'DurationSeconds=3600&Policy': 'p' }), canonicalQuery({ DurationSeconds: '3600', Policy: 'p' }));
  assert.equal(canonicalQuery({ 'a%41': '1', 'ü': '2' }), 'a%2541=1&%C3%BC=2');
  assert.notEqual(canonicalQuery({ 'a%41': '1' }), canonicalQuery({ aA: '1' }));

  // Differential: over random names and values drawn from the troublesome characters, the
  // canonical query always reads back as exactly the parameters signed (so it is injective).
  const rand = seeded(7);
  const alphabet = [...'ab=&%+ .~ü中😀'];
  const text = () => Array.from({ length: 1 + Math.floor(rand() * 6) }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
  for (let i = 0; i < 500; i++) {
    const query: Record<string, string> = {};
    for (let j = 0; j < 1 + Math.floor(rand() * 4); j++) query[text()] = rand() < 0.2 ? '' : text();
    const read = new Map(
      (canonicalQuery(query) ?? '').split('&').map((pair) => {
        const [k = '', v = ''] = pair.split('=');
        return [decodeURIComponent(k), decodeURIComponent(v)] as const;
      }),
    );
    assert.deepEqual(read, new Map(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), JSON.stringify(query));
  }
});
