import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUMERIC_OPERATORS } from './numeric.js';
import { compileTest, InvalidValue } from './operator.js';

const run = (name: string, values: string[], request: string) => {
  const spec = NUMERIC_OPERATORS[name];
  assert.ok(spec);
  const t = compileTest(spec, values);
  assert.ok(!(t instanceof InvalidValue));
  return t(request);
};

test('the six numeric comparisons at and around the bound', () => {
  const table: [string, boolean, boolean, boolean][] = [
    // operator, 9 vs 10, 10 vs 10, 11 vs 10
    ['NumericEquals', false, true, false],
    ['NumericNotEquals', true, false, true],
    ['NumericLessThan', true, false, false],
    ['NumericLessThanEquals', true, true, false],
    ['NumericGreaterThan', false, false, true],
    ['NumericGreaterThanEquals', false, true, true],
  ];
  for (const [name, below, at, above] of table) {
    assert.deepEqual([run(name, ['10'], '9'), run(name, ['10'], '10'), run(name, ['10'], '11')], [below, at, above], name);
  }
});

test('decimals and negatives; text is not a number', () => {
  assert.equal(run('NumericLessThan', ['0.5'], '-0.25'), true);
  assert.equal(run('NumericEquals', ['10'], '10.0'), true);
  assert.equal(run('NumericEquals', ['10'], '1e1'), false, 'exponents are not accepted');
  assert.equal(run('NumericNotEquals', ['10'], 'abc'), true, 'a negated operator holds when nothing matches');
  const spec = NUMERIC_OPERATORS['NumericEquals'];
  assert.ok(spec);
  assert.ok(compileTest(spec, ['ten']) instanceof InvalidValue);
});
