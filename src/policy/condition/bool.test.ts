import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BOOL_OPERATORS } from './bool.js';
import { compileTest, InvalidValue } from './operator.js';

test('Bool: true and false, either case; anything else is invalid or matches nothing', () => {
  const spec = BOOL_OPERATORS['Bool'];
  assert.ok(spec);
  const isTrue = compileTest(spec, ['true']);
  assert.ok(!(isTrue instanceof InvalidValue));
  assert.equal(isTrue('true'), true);
  assert.equal(isTrue('True'), true);
  assert.equal(isTrue('false'), false);
  assert.equal(isTrue('1'), false);
  assert.ok(compileTest(spec, ['yes']) instanceof InvalidValue);
});
