// Cedar (cedar-wasm), the baseline of the policy benchmark, with its policies parsed once up
// front (preparsePolicySet + statefulIsAuthorized), its fastest documented path.
import { createRequire } from 'node:module';
import { cedarContext, type Workload } from './policy-workload.js';

const require = createRequire(import.meta.url);

interface CedarModule {
  preparsePolicySet(id: string, policies: { staticPolicies: string }): { type: 'success' } | { type: 'failure'; errors: unknown[] };
  statefulIsAuthorized(call: unknown): { type: 'success'; response: { decision: 'allow' | 'deny' } } | { type: 'failure'; errors: unknown[] };
}

const cedar = require('@cedar-policy/cedar-wasm/nodejs') as CedarModule;

export interface CedarEngine {
  calls: unknown[];
  isAllowed(call: unknown): boolean;
}

let sets = 0;

export function cedarEngine(workload: Workload): CedarEngine {
  const id = `rampart-bench-${sets++}`;
  const parsed = cedar.preparsePolicySet(id, { staticPolicies: workload.cedar });
  if (parsed.type !== 'success') throw new Error(`cedar refused the policies: ${JSON.stringify(parsed.errors)}`);
  const calls = workload.requests.map((req) => ({
    principal: { type: 'User', id: 'alice' },
    action: { type: 'Action', id: 'call' },
    resource: { type: 'Resource', id: 'r' },
    context: cedarContext(req),
    preparsedPolicySetId: id,
    entities: [],
  }));
  return {
    calls,
    isAllowed: (call) => {
      const answer = cedar.statefulIsAuthorized(call);
      if (answer.type !== 'success') throw new Error(`cedar failed: ${JSON.stringify(answer.errors)}`);
      return answer.response.decision === 'allow';
    },
  };
}
