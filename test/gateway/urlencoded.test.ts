import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseUrlEncoded, UrlEncodedError } from '../../src/gateway/http/urlencoded.js';

const parse = (text: string) => {
  const m = new Map<string, string>();
  parseUrlEncoded(text, m);
  return Object.fromEntries(m);
};

test('decodes percent-escapes, + as space, empty values and keys without =', () => {
  assert.deepEqual(parse('a=1&b=x%20y+z&c=&d&e=%E4%B8%AD%F0%9F%98%80'), { a: '1', b: 'x y z', c: '', d: '', e: '中😀' });
  assert.deepEqual(parse('a=1&&b=2&'), { a: '1', b: '2' });
  assert.deepEqual(parse('k=a%3Db%26c'), { k: 'a=b&c' });
});

test('refuses what it cannot read exactly', () => {
  for (const bad of ['a=%', 'a=%4', 'a=%G1', 'a=%C3%28', '=1', 'a=1&a=2']) {
    assert.throws(() => parse(bad), UrlEncodedError, bad);
  }
});
