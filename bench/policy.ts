// Row: policy decisions per second on realistic policy sets, Rampart against cedar-wasm with the
// equivalent policies (decisions checked equal before timing).
import { compilePolicy, conditionContext, parsePolicyValue, PolicySet } from '../src/policy/index.js';
import { cedarEngine } from './cedar.js';
import { abRounds, opsPerSecond, type Row } from './harness.js';
import { makeWorkload } from './policy-workload.js';

export function policyRows(roundMs = 300): Row[] {
  const rows: Row[] = [];
  for (const statements of [10, 30, 50]) {
    const w = makeWorkload(statements, statements, 1000);
    const set = new PolicySet(w.policies.map((d, i) => compilePolicy(parsePolicyValue(d), { name: `P${i}`, type: 'Custom' })));
    const requests = w.requests.map((r) => ({ action: r.action, resource: r.resource, context: conditionContext(r.context) }));
    const cedar = cedarEngine(w);
    let agree = 0;
    requests.forEach((req, i) => {
      if ((set.evaluate(req).effect === 'Allow') === cedar.isAllowed(cedar.calls[i])) agree++;
    });
    if (agree !== requests.length) throw new Error(`engines disagree on ${requests.length - agree} requests`);
    let sink = 0;
    const { a: ours, b: theirs, ratio } = abRounds(
      () => opsPerSecond((i) => (sink += set.evaluate(requests[i % requests.length] ?? requests[0]!).effect.length), requests.length, roundMs),
      () => opsPerSecond((i) => (sink += cedar.isAllowed(cedar.calls[i % cedar.calls.length]) ? 1 : 0), cedar.calls.length, roundMs),
    );
    if (sink < 0) console.log(sink);
    rows.push({
      row: `policy decisions/s, ${statements} statements`,
      figure: ours,
      baseline: theirs,
      unit: 'dec/s',
      ratio,
      target: '≥ 150×',
      met: ratio >= 150,
      notes: undefined,
    });
  }
  return rows;
}
