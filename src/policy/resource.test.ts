import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalResource, compileResource, ignoresCase } from './resource.js';

test('the RAM names that ignore case, and nothing else', () => {
  for (const r of ['acs:ram::1:user/Alice', 'acs:ram:*:1:group/Ops', 'acs:ram::1:role/Admin', 'acs:ram::*:policy/Guard-X', 'acs:ram:cn-hangzhou:1:role/x/y']) assert.equal(ignoresCase(r), true, r);
  for (const r of ['*', 'acs:ram', 'acs:ram:', 'acs:ram::1', 'acs:ram::1:root', 'acs:ram::1:users/x', 'acs:ram::1:oidc-provider/X', 'acs:oss:*:1:user/Alice', 'acs:rds::1:role/x', 'ACS:RAM::1:role/x'])
    assert.equal(ignoresCase(r), false, r);
  assert.equal(canonicalResource('acs:ram::1:role/AdminRole'), 'acs:ram::1:role/adminrole');
  assert.equal(canonicalResource('acs:oss:*:1:Bucket/Key'), 'acs:oss:*:1:Bucket/Key');
});

test('a pattern keeps one compiled form when it has nothing to fold', () => {
  const lower = compileResource('acs:ram::*:role/*');
  assert.equal(lower.folded, lower.exact);
  const mixed = compileResource('acs:ram::*:role/Admin*');
  assert.equal(mixed.exact.test('acs:ram:*:1:role/admin'), false);
  assert.equal(mixed.folded.test('acs:ram:*:1:role/admin-2'), true);
});
