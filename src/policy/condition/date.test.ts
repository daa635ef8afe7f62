import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATE_OPERATORS, parseIsoDate } from './date.js';
import { compileTest, InvalidValue } from './operator.js';

test('ISO 8601 forms: Z, offsets with and without colon, fractions, bare dates', () => {
  const t = Date.UTC(2026, 10, 24, 12);
  assert.equal(parseIsoDate('2026-11-24T12:00:00Z'), t);
  assert.equal(parseIsoDate('2026-11-24T20:00:00+08:00'), t);
  assert.equal(parseIsoDate('2026-11-24T20:00:00+0800'), t);
  assert.equal(parseIsoDate('2026-11-24T12:00:00.000Z'), t);
  assert.equal(parseIsoDate('2026-11-24T12:00Z'), t);
  assert.equal(parseIsoDate('2026-11-24'), Date.UTC(2026, 10, 24));
  for (const bad of ['2026-11-24T12:00:00', '2026-13-01', '2026-02-30', '2026-11-24T25:00:00Z', '1700000000', 'tomorrow', '']) {
    assert.equal(parseIsoDate(bad), undefined, bad);
  }
});

test('the six date comparisons', () => {
  const run = (name: string, value: string, request: string) => {
    const spec = DATE_OPERATORS[name];
    assert.ok(spec);
    const test = compileTest(spec, [value]);
    assert.ok(!(test instanceof InvalidValue));
    return test(request);
  };
  const bound = '2026-11-24T12:00:00Z';
  const before = '2026-11-24T11:59:59Z';
  const after = '2026-11-24T12:00:01Z';
  assert.deepEqual([before, bound, after].map((r) => run('DateLessThan', bound, r)), [true, false, false]);
  assert.deepEqual([before, bound, after].map((r) => run('DateLessThanEquals', bound, r)), [true, true, false]);
  assert.deepEqual([before, bound, after].map((r) => run('DateGreaterThan', bound, r)), [false, false, true]);
  assert.deepEqual([before, bound, after].map((r) => run('DateGreaterThanEquals', bound, r)), [false, true, true]);
  assert.deepEqual([before, bound, after].map((r) => run('DateEquals', bound, r)), [false, true, false]);
  assert.deepEqual([before, bound, after].map((r) => run('DateNotEquals', bound, r)), [true, false, true]);
});
