import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileWildcard, type StepCounter } from './wildcard.js';

function steps(pattern: string, text: string): { result: boolean; steps: number } {
  const counter: StepCounter = { steps: 0 };
  return { result: compileWildcard(pattern).test(text, counter), steps: counter.steps };
}

test('semantics of * and ?', () => {
  const yes: [string, string][] = [['*', ''], ['*', 'abc'], ['a*', 'a'], ['a*c', 'abbbc'], ['a?c', 'abc'], ['*?', 'x'], ['?*?', 'xy'], ['a*b*c', 'a-b-c'], ['**', ''], ['ab', 'ab']];
  const no: [string, string][] = [['a*', ''], ['a?c', 'ac'], ['?', ''], ['?*?', 'x'], ['a*b*c', 'a-c-b'], ['ab*ba', 'aba'], ['ab', 'abc'], ['abc', 'ab']];
  for (const [p, t] of yes) assert.equal(compileWildcard(p).test(t), true, `${p} ~ ${t}`);
  for (const [p, t] of no) assert.equal(compileWildcard(p).test(t), false, `${p} !~ ${t}`);
});

// Adversarial shapes that make backtracking matchers exponential or quadratic. The bound
// (n + 1) × (longest segment + 2) follows from the matcher never moving backwards.
const ADVERSARIAL: { pattern: string; text: (n: number) => string }[] = [
  { pattern: '*********x', text: (n) => 'a'.repeat(n) },
  { pattern: '*a*a*a*a*a*a*a*a*b', text: (n) => 'a'.repeat(n) },
  { pattern: 'a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c', text: (n) => 'a'.repeat(n) },
  { pattern: '*aaaaaaaaaaaaaaaaaaab*', text: (n) => 'a'.repeat(n) },
  { pattern: '*?a?a?a?a?b*', text: (n) => 'a'.repeat(n) },
  { pattern: '*ab*ab*ab*ab*ab*abx', text: (n) => 'ab'.repeat(n / 2) },
  { pattern: '????????????????????????*z', text: (n) => 'y'.repeat(n) },
];

for (const { pattern, text } of ADVERSARIAL) {
  test(`bounded work: ${pattern}`, () => {
    const longest = Math.max(...pattern.split('*').map((s) => s.length));
    for (const n of [1_000, 10_000, 100_000]) {
      const { result, steps: s } = steps(pattern, text(n));
      assert.equal(result, false);
      const bound = (n + 1) * (longest + 2);
      assert.ok(s <= bound, `${pattern} on ${n} characters took ${s} steps (bound ${bound})`);
    }
    // Linear: ten times the text costs about ten times the steps (a quadratic matcher: a hundred).
    const small = steps(pattern, text(10_000)).steps;
    const large = steps(pattern, text(100_000)).steps;
    assert.ok(large <= small * 11, `${small} → ${large}`);
  });
}

test('the step-counting path and the fast path agree', () => {
  const patterns = ['*a?c*', 'ab*', '*b', '?', 'a*b*c*d', '*x*'];
  const texts = ['', 'abc', 'aXc', 'abcabc', 'xxxx', 'a-b-c-d', 'zzzbz'];
  for (const p of patterns) for (const t of texts) assert.equal(compileWildcard(p).test(t), compileWildcard(p).test(t, { steps: 0 }), `${p} ${t}`);
});
