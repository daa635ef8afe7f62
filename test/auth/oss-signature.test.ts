import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ossV1Signature, ossV1StringToSign, ossV4CanonicalRequest, ossV4Signature, ossV4StringToSign } from '../../src/auth/oss/signature.js';

const require = createRequire(import.meta.url);
const signUtils = require('ali-oss/lib/common/signUtils.js') as {
  buildCanonicalString(method: string, resource: string, request: { headers: Record<string, string>; parameters?: unknown }, expires?: string): string;
  getCanonicalRequest(method: string, request: { headers: Record<string, string>; queries: Record<string, string | null> }, bucket?: string, object?: string, additional?: string[]): string;
};

test('published V1 vector (the OSS signature documentation)', () => {
  const sts = ossV1StringToSign({
    method: 'PUT',
    contentMd5: 'ODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=',
    contentType: 'text/html',
    date: 'Thu, 17 Nov 2005 18:49:58 GMT',
    ossHeaders: new Map([['x-oss-meta-author', 'foo@bar.com'], ['x-oss-magic', 'abracadabra']]),
    resource: '/oss-example/nelson',
    query: [],
  });
  assert.equal(sts, 'PUT\nODBGOERFMDMzQTczRUY3NUE3NzA5QzdFNUYzMDQxNEM=\ntext/html\nThu, 17 Nov 2005 18:49:58 GMT\nx-oss-magic:abracadabra\nx-oss-meta-author:foo@bar.com\n/oss-example/nelson');
  assert.equal(ossV1Signature('OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV', sts), '26NBxoKdsyly4EDv6inkoDft/yA=');
});

test('V1 matches ali-oss\'s own canonical string, sub-resources included and other parameters left out', () => {
  const headers = { 'content-type': 'application/xml', 'x-oss-date': 'Tue, 24 Nov 2026 10:00:00 GMT', 'x-oss-security-token': 'tok' };
  const theirs = signUtils.buildCanonicalString('POST', '/b/k', { headers, parameters: { uploadId: 'ABC', partNumber: '3' } });
  const ours = ossV1StringToSign({
    method: 'POST',
    contentMd5: '',
    contentType: 'application/xml',
    date: headers['x-oss-date'],
    ossHeaders: new Map([['x-oss-date', headers['x-oss-date']], ['x-oss-security-token', 'tok']]),
    resource: '/b/k',
    query: [['uploadId', 'ABC'], ['partNumber', '3'], ['max-keys', '10']],
  });
  assert.equal(ours, theirs);
});

test('V4 matches ali-oss\'s own canonical request; empty values sign as bare keys', () => {
  const headers = { 'content-type': 'text/plain', 'x-oss-date': '20261124T100000Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD', host: 'b.oss-cn-hangzhou.aliyuncs.com' };
  const theirs = signUtils.getCanonicalRequest('GET', { headers, queries: { uploads: null, prefix: 'a b/', 'max-keys': '10' } }, 'b', 'dir/k ey');
  const ours = ossV4CanonicalRequest({
    method: 'GET',
    bucket: 'b',
    key: 'dir/k ey',
    query: [['uploads', ''], ['prefix', 'a b/'], ['max-keys', '10']],
    headers: new Map(Object.entries(headers)),
    additionalHeaders: [],
  });
  assert.equal(ours, theirs);
  const sts = ossV4StringToSign('20261124T100000Z', '20261124/cn-hangzhou/oss/aliyun_v4_request', ours);
  assert.match(ossV4Signature('secret', '20261124', 'cn-hangzhou', 'oss', sts), /^[0-9a-f]{64}$/);
});
