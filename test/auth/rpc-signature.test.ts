import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { percentEncode, rpcSignature, rpcStringToSign } from '../../src/auth/index.js';

const require = createRequire(import.meta.url);
// The official Tea SDK's own RPC signing code (used by every product SDK with signatureAlgorithm 'v2').
const OpenApiUtil = require('@alicloud/openapi-core/dist/utils.js').default as {
  getRPCSignature(params: Record<string, string>, method: string, secret: string): string;
};

test('published vector: CreateUser signed with testsecret', () => {
  const params = new Map(
    Object.entries({
      UserName: 'test',
      SignatureVersion: '1.0',
      Format: 'JSON',
      Timestamp: '2015-08-18T03:15:45Z',
      AccessKeyId: 'testid',
      SignatureMethod: 'HMAC-SHA1',
      Version: '2015-05-01',
      Action: 'CreateUser',
      SignatureNonce: '6a6e0ca6-4557-11e5-86a2-b8e8563dc8d2',
    }),
  );
  const stringToSign = rpcStringToSign('GET', params);
  assert.equal(
    stringToSign,
    'GET&%2F&AccessKeyId%3Dtestid%26Action%3DCreateUser%26Format%3DJSON%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D6a6e0ca6-4557-11e5-86a2-b8e8563dc8d2%26SignatureVersion%3D1.0%26Timestamp%3D2015-08-18T03%253A15%253A45Z%26UserName%3Dtest%26Version%3D2015-05-01',
  );
  assert.equal(rpcSignature('testsecret', stringToSign), 'kRA2cnpJVacIhDMzXnoNZG9tDCI=');
});

// More published examples (older ECS and IMS signature pages), all with testid/testsecret.
const PUBLISHED: { name: string; method: string; params: Record<string, string>; signature: string }[] = [
  {
    name: 'ECS DescribeRegions (the doc spells TimeStamp)',
    method: 'GET',
    params: {
      AccessKeyId: 'testid', Action: 'DescribeRegions', Format: 'XML', Version: '2014-05-26', SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0', SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', TimeStamp: '2016-02-23T12:46:24Z',
    },
    signature: 'CT9X0VtwR86fNWSnsc6v8YGOjuE=',
  },
  {
    name: 'IMS CreateUser (an @ in a value)',
    method: 'GET',
    params: {
      AccessKeyId: 'testid', Action: 'CreateUser', UserPrincipalName: 'test@example.onaliyun.com', DisplayName: 'test', Format: 'JSON',
      Version: '2019-08-15', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: '3f6b4e80-56f7-11eb-a256-a9f756ea7e85',
      Timestamp: '2021-01-15T06:02:28Z',
    },
    signature: '02heLegtw4+BFamznl1Ltj+vJ4A=',
  },
  {
    name: 'ECS DescribeDedicatedHosts',
    method: 'GET',
    params: {
      AccessKeyId: 'testid', Action: 'DescribeDedicatedHosts', Format: 'JSON', RegionId: 'cn-beijing', SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: 'edb2b34af0af9a6d14deaf7c1a5315eb', SignatureVersion: '1.0', Timestamp: '2023-03-13T08:34:30Z', Version: '2014-05-26',
    },
    signature: '9NaGiOspFP5UPcwX8Iwt2YJXXuk=',
  },
];

for (const v of PUBLISHED) {
  test(`published vector: ${v.name}`, () => {
    assert.equal(rpcSignature('testsecret', rpcStringToSign(v.method, new Map(Object.entries(v.params)))), v.signature);
  });
}

test('the Signature parameter itself is not signed', () => {
  const params = new Map([['Action', 'X'], ['Signature', 'abc']]);
  assert.equal(rpcStringToSign('POST', params), rpcStringToSign('POST', new Map([['Action', 'X']])));
});

test('percent-encoding escapes what the SDKs escape and keeps RFC 3986 unreserved characters', () => {
  assert.equal(percentEncode("a b*c~d!e'f(g)h"), 'a%20b%2Ac~d%21e%27f%28g%29h');
  assert.equal(percentEncode('-_.~'), '-_.~');
  assert.equal(percentEncode('é/+=&'), '%C3%A9%2F%2B%3D%26');
});

// Random parameter sets, including every printable ASCII character and multi-byte text, signed by
// the SDK's code and by ours.
const ALPHABET = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~éü中文😀';
function randomText(rand: () => number, max: number): string {
  const chars = [...ALPHABET];
  let s = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
  return s;
}

function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

test('matches the official SDK signing code on 500 random parameter sets', () => {
  const rand = seeded(42);
  for (let i = 0; i < 500; i++) {
    const params: Record<string, string> = { Action: 'AssumeRole', Version: '2015-04-01' };
    const count = 1 + Math.floor(rand() * 6);
    for (let j = 0; j < count; j++) params[`P${randomText(rand, 6).replace(/[^A-Za-z0-9]/g, '')}${j}`] = randomText(rand, 40);
    const method = rand() < 0.5 ? 'GET' : 'POST';
    const secret = `s${randomText(rand, 30)}`;
    const ours = rpcSignature(secret, rpcStringToSign(method, new Map(Object.entries(params))));
    assert.equal(ours, OpenApiUtil.getRPCSignature(params, method, secret), JSON.stringify({ params, method }));
  }
});
