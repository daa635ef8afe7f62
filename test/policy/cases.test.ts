// One runner for the decision corpus in test/policy/cases/*.json: each case is a set of policies
// and a request with the expected decision and the statement that decides it, or a document with
// the exact error it must be refused with. A new bug becomes a new case.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  compilePolicy,
  conditionContext,
  evaluateTrust,
  parsePolicy,
  parsePolicyValue,
  policyApiError,
  PolicyGrammarError,
  PolicySet,
  type PolicyKind,
  type PolicyOrigin,
  type RequestPrincipal,
} from '../../src/policy/index.js';

const CASES_DIR = fileURLToPath(new URL('../../../test/policy/cases/', import.meta.url));

interface NamedPolicy {
  name?: string;
  type?: PolicyOrigin;
  version?: string;
  document: unknown;
}

interface DecisionCase {
  name: string;
  policies?: (NamedPolicy | Record<string, unknown>)[];
  resourcePolicies?: NamedPolicy[];
  session?: unknown;
  trust?: unknown;
  request: { action?: string; resource?: string; principal?: RequestPrincipal; context?: Record<string, string> };
  expect: { effect: string; policy?: string; statement?: number; reason?: string };
}

interface ErrorCase {
  name: string;
  kind?: PolicyKind;
  document?: unknown;
  text?: string;
  expectError: { code: string; path?: string; message?: string };
}

type Case = DecisionCase | ErrorCase;

function named(p: NamedPolicy | Record<string, unknown>, i: number, type: PolicyOrigin): NamedPolicy {
  return 'document' in p ? { name: `P${i}`, type, ...(p as NamedPolicy) } : { name: `P${i}`, type, document: p };
}

function compile(p: NamedPolicy, kind: PolicyKind) {
  const doc = parsePolicyValue(p.document, kind);
  return compilePolicy(doc, { name: p.name ?? 'P', type: p.type ?? 'Custom', ...(p.version ? { version: p.version } : {}) });
}

function runDecision(c: DecisionCase): void {
  const context = conditionContext(c.request.context ?? {});
  let decision;
  if (c.trust !== undefined) {
    assert.ok(c.request.principal, 'a trust case names the principal');
    decision = evaluateTrust(compile({ name: 'Trust', type: 'Trust', document: c.trust }, 'trust'), c.request.principal, context);
  } else {
    const set = new PolicySet(
      (c.policies ?? []).map((p, i) => compile(named(p, i, 'Custom'), 'identity')),
      {
        resource: (c.resourcePolicies ?? []).map((p, i) => compile(named(p, i, 'Resource'), 'resource')),
        ...(c.session !== undefined ? { session: compile({ name: 'Session', type: 'Session', document: c.session }, 'session') } : {}),
      },
    );
    const request = {
      action: c.request.action ?? '',
      ...(c.request.resource !== undefined ? { resource: c.request.resource } : {}),
      ...(c.request.principal ? { principal: c.request.principal } : {}),
      context,
    };
    // The server explains every refusal; a bare decision must agree with it on the effect.
    decision = set.explain(request);
    assert.equal(set.evaluate(request).effect, decision.effect, decision.reason);
  }
  assert.equal(decision.effect, c.expect.effect, decision.reason);
  if (c.expect.effect !== 'ImplicitDeny' || c.expect.policy !== undefined) assert.equal(decision.policy?.name, c.expect.policy, decision.reason);
  if (c.expect.statement !== undefined) assert.equal(decision.statement, c.expect.statement, decision.reason);
  if (c.expect.reason !== undefined) assert.match(decision.reason, new RegExp(c.expect.reason));
}

function runError(c: ErrorCase): void {
  const kind = c.kind ?? 'identity';
  const text = c.text ?? JSON.stringify(c.document);
  assert.throws(
    () => parsePolicy(text, kind),
    (e: unknown) => {
      assert.ok(e instanceof PolicyGrammarError, String(e));
      if (c.expectError.path !== undefined) assert.equal(e.path, c.expectError.path, e.message);
      const api = policyApiError(kind, e);
      assert.equal(api.code, c.expectError.code, api.message);
      assert.equal(api.httpStatus, 400);
      if (c.expectError.message !== undefined) assert.match(api.message, new RegExp(c.expectError.message));
      return true;
    },
  );
}

let total = 0;
for (const file of readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()) {
  const { cases } = JSON.parse(readFileSync(`${CASES_DIR}${file}`, 'utf8')) as { cases: Case[] };
  total += cases.length;
  for (const c of cases) {
    test(`${file.replace('.json', '')}: ${c.name}`, () => ('expectError' in c ? runError(c) : runDecision(c)));
  }
}

test('the corpus holds at least 150 cases', () => assert.ok(total >= 150, `${total} cases`));
