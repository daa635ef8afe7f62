// The benchmark's two sides must decide the same: Rampart on the RAM policies and Cedar on their
// translation agree on every request of the workload (otherwise the ratio would compare
// different work).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cedarEngine } from '../../bench/cedar.js';
import { makeWorkload } from '../../bench/policy-workload.js';
import { compilePolicy, conditionContext, parsePolicyValue, PolicySet } from '../../src/policy/index.js';

for (const [seed, statements] of [[1, 10], [2, 30], [3, 50]] as const) {
  test(`Rampart and Cedar agree on ${statements} statements (seed ${seed})`, () => {
    const w = makeWorkload(seed, statements, 2000);
    const set = new PolicySet(w.policies.map((d, i) => compilePolicy(parsePolicyValue(d), { name: `P${i}`, type: 'Custom' })));
    const cedar = cedarEngine(w);
    let allowed = 0;
    w.requests.forEach((req, i) => {
      const ours = set.evaluate({ action: req.action, resource: req.resource, context: conditionContext(req.context) }).effect === 'Allow';
      assert.equal(ours, cedar.isAllowed(cedar.calls[i]), JSON.stringify(req));
      if (ours) allowed++;
    });
    // The workload is not trivially all-deny or all-allow.
    assert.ok(allowed > 20 && allowed < 1980, `${allowed} of 2000 allowed`);
  });
}
