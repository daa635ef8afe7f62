// OSS V2 (OSS2) signatures against the published vectors (the documentation's example keys), as
// the Python SDK, the reference implementation, computes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ossV2Signature, ossV2StringToSign, parseOssV2Authorization, type OssV2Input } from '../../src/auth/oss/signature.js';

const SK = 'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV';
const base = { contentMd5: '', contentType: '', additionalHeaders: [], bucket: 'oss-example', key: 'nelson', query: [] } satisfies Partial<OssV2Input>;

test('header form: an object PUT with an x-oss header', () => {
  const sts = ossV2StringToSign({
    ...base,
    method: 'PUT',
    contentMd5: 'FxqG8Ca0qEJPOghSihJ8Ew==',
    contentType: 'text/plain',
    date: 'Wed, 15 Feb 2017 09:37:11 GMT',
    headers: new Map([['x-oss-object-acl', 'private'], ['content-type', 'text/plain']]),
  });
  assert.equal(sts, 'PUT\nFxqG8Ca0qEJPOghSihJ8Ew==\ntext/plain\nWed, 15 Feb 2017 09:37:11 GMT\nx-oss-object-acl:private\n\n%2Foss-example%2Fnelson');
  assert.equal(ossV2Signature(SK, sts), '5Am2ewK1tL0gXX7GV6dwybZtj7efOEtc0Mo2FR6CkM8=');
});

test('header form: additional headers are signed, named and sorted', () => {
  const sts = ossV2StringToSign({
    ...base,
    method: 'GET',
    date: 'Thu, 16 Feb 2017 02:09:39 GMT',
    headers: new Map([['range', 'bytes=0-7'], ['if-modified-since', 'Thu, 16 Feb 2017 02:10:39 GMT']]),
    additionalHeaders: ['Range', 'if-modified-since'],
  });
  assert.equal(ossV2Signature(SK, sts), 'YG9mKO3m4S0Jx9Hk6Lq64VchJg/TOTkyCX4DaeeOYxE=');
});

test('query form: every parameter but the signature, with x-oss-expires for the Date', () => {
  const signed = (expires: string, extra: [string, string][]) =>
    ossV2Signature(
      SK,
      ossV2StringToSign({
        ...base,
        method: 'GET',
        date: expires,
        headers: new Map(),
        query: [...extra, ['x-oss-signature-version', 'OSS2'], ['x-oss-expires', expires], ['x-oss-access-key-id', '44CF9590006BF252F707'], ['x-oss-signature', 'ignored']],
      }),
    );
  assert.equal(signed('1487152431', []), 'ps/+MLhd1WKkVi/QlOiliJsTaBMBk93f6UYVscDNHCQ=');
  assert.equal(signed('1487211619', [['extra-query', '1']]), 'wsARTPqvZdbdPjYpZfDZ/jisUaacYq7gGOdB3f1BgTE=');
});

test('bucket-level listing and an encoded key: "/" and everything else is percent-encoded', () => {
  const date = 'Thu, 16 Feb 2017 02:09:39 GMT';
  const listing = ossV2StringToSign({
    ...base,
    key: undefined,
    method: 'GET',
    date,
    headers: new Map([['x-oss-meta-a', '1'], ['x-oss-date', 'x']]),
    query: [['prefix', 'a/b c'], ['acl', undefined], ['max-keys', '10'], ['delimiter', '/']],
  });
  assert.equal(listing, `GET\n\n\n${date}\nx-oss-date:x\nx-oss-meta-a:1\n\n%2Foss-example%2F?acl&delimiter=%2F&max-keys=10&prefix=a%2Fb%20c`);
  assert.equal(ossV2Signature(SK, listing), '51FrXBhQ0v6OawwsUSzLXxfQdJVxkLocr0t42HYHr4Q=');
  const part = ossV2StringToSign({ ...base, key: 'dir/é +~.txt', method: 'PUT', contentType: 'text/plain', date, headers: new Map(), query: [['uploadId', '0004B9895DBBB6EC98E'], ['partNumber', '1']] });
  assert.match(part, /%2Foss-example%2Fdir%2F%C3%A9%20%2B~\.txt\?partNumber=1&uploadId=0004B9895DBBB6EC98E$/);
  assert.equal(ossV2Signature(SK, part), 'TQ115p6V9T59C+m4vKHpamRHpC2lSoVGOSywfOclacM=');
});

test('the Authorization header, with and without additional headers, and Java\'s spaces', () => {
  assert.deepEqual(parseOssV2Authorization('OSS2 AccessKeyId:ak,Signature:s='), { accessKeyId: 'ak', signature: 's=', additionalHeaders: [] });
  assert.deepEqual(parseOssV2Authorization('OSS2 AccessKeyId:ak, AdditionalHeaders:range;host, Signature:s='), { accessKeyId: 'ak', signature: 's=', additionalHeaders: ['range', 'host'] });
  for (const bad of ['OSS2 AccessKeyId:ak', 'OSS2 Signature:s', 'OSS2 AccessKeyId:a,AccessKeyId:b,Signature:s', 'OSS2 AccessKeyId:a,Other:x,Signature:s', 'OSS ak:s']) assert.equal(parseOssV2Authorization(bad), undefined, bad);
});
