import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pickFormat, toXml } from '../../src/gateway/api/render.js';
import { ApiError } from '../../src/model/index.js';

test('XML: arrays repeat their element, text is escaped, null and undefined are left out', () => {
  assert.equal(
    toXml('ListUsersResponse', { RequestId: 'R', Users: { User: [{ UserName: 'a<b' }, { UserName: '"c" & d' }] }, Marker: undefined, Gone: null, IsTruncated: false }),
    '<?xml version="1.0" encoding="UTF-8"?><ListUsersResponse><RequestId>R</RequestId><Users><User><UserName>a&lt;b</UserName></User>' +
      '<User><UserName>&quot;c&quot; &amp; d</UserName></User></Users><IsTruncated>false</IsTruncated></ListUsersResponse>',
  );
});

test('Format is JSON by default, either case is accepted, anything else is refused', () => {
  assert.equal(pickFormat(new Map()), 'JSON');
  assert.equal(pickFormat(new Map([['Format', 'json']])), 'JSON');
  assert.equal(pickFormat(new Map([['Format', 'xml']])), 'XML');
  assert.throws(() => pickFormat(new Map([['Format', 'yaml']])), (e: ApiError) => e.code === 'InvalidParameter.Format' && e.httpStatus === 400);
});
