import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileTest, InvalidValue, type ValueTest } from './operator.js';
import { STRING_OPERATORS } from './string.js';

function op(name: string, values: string[]): ValueTest {
  const spec = STRING_OPERATORS[name];
  assert.ok(spec, name);
  const t = compileTest(spec, values);
  assert.ok(!(t instanceof InvalidValue));
  return t;
}

test('StringEquals / StringNotEquals are exact and case-sensitive', () => {
  assert.equal(op('StringEquals', ['a', 'B'])('B'), true);
  assert.equal(op('StringEquals', ['a', 'B'])('b'), false);
  assert.equal(op('StringNotEquals', ['a', 'B'])('b'), true);
  assert.equal(op('StringNotEquals', ['a', 'B'])('a'), false);
  assert.equal(op('StringEquals', ['x*'])('xy'), false, 'no wildcards in Equals');
});

test('IgnoreCase variants fold case on both sides', () => {
  assert.equal(op('StringEqualsIgnoreCase', ['ABC'])('abc'), true);
  assert.equal(op('StringNotEqualsIgnoreCase', ['ABC'])('abc'), false);
  assert.equal(op('StringNotEqualsIgnoreCase', ['ABC'])('abd'), true);
});

test('StringLike / StringNotLike read * and ?', () => {
  assert.equal(op('StringLike', ['d-001/*'])('d-001/x/y'), true);
  assert.equal(op('StringLike', ['d-00?/'])('d-009/'), true);
  assert.equal(op('StringLike', ['d-00?/'])('d-0010/'), false);
  assert.equal(op('StringNotLike', ['a*', 'b*'])('c'), true);
  assert.equal(op('StringNotLike', ['a*', 'b*'])('bz'), false);
});
