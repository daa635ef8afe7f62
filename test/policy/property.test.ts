// Properties over random documents and requests (fast-check): the engine never throws on any
// input, serialise∘parse is the identity on valid documents, and a session policy only narrows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  compilePolicy,
  conditionContext,
  parsePolicy,
  parsePolicyValue,
  PolicyGrammarError,
  PolicySet,
  serializePolicy,
  type PolicyDocument,
} from '../../src/policy/index.js';

const RUNS = 300;

const fragment = fc.constantFrom('Get', 'List', 'Put', 'Object', 'User', 'Role', '*', '?', 'a', 'Delete');
const pattern = fc.array(fragment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
const service = fc.constantFrom('ram', 'oss', 'ecs', 'sts', '*', 'o?s');
const action = fc.oneof(fc.constant('*'), fc.tuple(service, pattern).map(([s, p]) => `${s}:${p}`));
const resource = fc.oneof(
  fc.constant('*'),
  fc.tuple(fc.constantFrom('ram', 'oss', 'ecs'), fc.constantFrom('', '*', 'cn-hangzhou'), fc.constantFrom('1234567890123456', '*'), fc.stringMatching(/^[a-z0-9/*?._-]{1,20}$/)).map(
    ([s, r, a, p]) => `acs:${s}:${r}:${a}:${p}`,
  ),
);

const conditionValue: Record<string, fc.Arbitrary<string>> = {
  StringEquals: fc.string({ maxLength: 8 }),
  StringNotEquals: fc.string({ maxLength: 8 }),
  StringEqualsIgnoreCase: fc.string({ maxLength: 8 }),
  StringNotEqualsIgnoreCase: fc.string({ maxLength: 8 }),
  StringLike: pattern,
  StringNotLike: pattern,
  NumericEquals: fc.integer({ min: -1000, max: 1000 }).map(String),
  NumericLessThan: fc.double({ min: -1000, max: 1000, noNaN: true }).map((n) => n.toFixed(2)),
  NumericGreaterThanEquals: fc.nat(1000).map(String),
  DateLessThan: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  DateGreaterThan: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  DateNotEquals: fc.constant('2026-11-24T00:00:00+08:00'),
  Bool: fc.constantFrom('true', 'false'),
  IpAddress: fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([ip, p]) => `${ip}/${p}`),
  NotIpAddress: fc.ipV6(),
};
const KEYS = ['acs:SourceIp', 'acs:CurrentTime', 'acs:SecureTransport', 'acs:UserAgent', 'oss:Prefix', 'oss:max-keys', 'acs:SourceVpc'];

const condition = fc
  .uniqueArray(fc.constantFrom(...Object.keys(conditionValue)), { minLength: 1, maxLength: 3 })
  .chain((ops) =>
    fc.tuple(
      ...ops.map((op) =>
        fc.dictionary(fc.constantFrom(...KEYS), fc.array(conditionValue[op] ?? fc.string(), { minLength: 1, maxLength: 3 }), { minKeys: 1, maxKeys: 2 }).map(
          (keys) => [op, keys] as const,
        ),
      ),
    ),
  )
  .map((entries) => Object.fromEntries(entries));

const statement = fc.record(
  {
    Effect: fc.constantFrom('Allow' as const, 'Deny' as const),
    Action: fc.array(action, { minLength: 1, maxLength: 4 }),
    Resource: fc.array(resource, { minLength: 1, maxLength: 3 }),
    Condition: condition,
    Sid: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
  },
  { requiredKeys: ['Effect', 'Action', 'Resource'] },
);
const document = fc.record({ Version: fc.constant('1' as const), Statement: fc.array(statement, { minLength: 1, maxLength: 8 }) });

const request = fc.record({
  action: fc.oneof(fc.tuple(service, pattern).map(([s, p]) => `${s}:${p}`), fc.string()),
  resource: fc.oneof(resource, fc.string()),
  context: fc.dictionary(fc.constantFrom(...KEYS, 'sts:ExternalId'), fc.oneof(fc.string(), fc.ipV4(), fc.constantFrom('true', 'false', '12', '2026-11-24T00:00:00Z'))),
});

test('serialise ∘ parse is the identity on valid documents', () => {
  fc.assert(
    fc.property(document, (doc) => {
      const parsed = parsePolicyValue(doc);
      const text = serializePolicy(parsed);
      assert.deepEqual(parsePolicy(text), parsed);
      assert.equal(serializePolicy(parsePolicy(text)), text);
    }),
    { numRuns: RUNS },
  );
});

test('any JSON value is either a document or a PolicyGrammarError, never a crash', () => {
  const nearlyPolicy = fc.oneof(
    fc.jsonValue(),
    fc.record({ Version: fc.oneof(fc.constant('1'), fc.jsonValue()), Statement: fc.oneof(fc.array(fc.oneof(statement, fc.jsonValue())), fc.jsonValue()) }),
    fc.tuple(document, fc.string()).map(([d, op]) => ({ ...d, Statement: d.Statement.map((s) => ({ ...s, Condition: { [op]: s.Condition } })) })),
  );
  fc.assert(
    fc.property(nearlyPolicy, fc.constantFrom('identity' as const, 'session' as const, 'trust' as const, 'resource' as const), (raw, kind) => {
      try {
        parsePolicyValue(raw, kind);
      } catch (e) {
        assert.ok(e instanceof PolicyGrammarError, String(e));
      }
    }),
    { numRuns: RUNS * 3 },
  );
  fc.assert(
    fc.property(fc.string(), (text) => {
      try {
        parsePolicy(text);
      } catch (e) {
        assert.ok(e instanceof PolicyGrammarError, String(e));
      }
    }),
    { numRuns: RUNS },
  );
});

function set(docs: PolicyDocument[], session?: PolicyDocument): PolicySet {
  return new PolicySet(
    docs.map((d, i) => compilePolicy(d, { name: `P${i}`, type: 'Custom' })),
    session ? { session: compilePolicy(session, { name: 'S', type: 'Session' }) } : {},
  );
}

test('random requests against random policies never throw, and give one of three decisions', () => {
  fc.assert(
    fc.property(fc.array(document, { maxLength: 4 }), request, (docs, req) => {
      const d = set(docs.map((x) => parsePolicyValue(x))).evaluate({ ...req, context: conditionContext(req.context) });
      assert.ok(['Allow', 'ExplicitDeny', 'ImplicitDeny'].includes(d.effect));
      assert.ok(d.reason.length > 0);
    }),
    { numRuns: RUNS },
  );
});

test('a session policy only narrows: whatever it allows, the role alone allows', () => {
  fc.assert(
    fc.property(fc.array(document, { minLength: 1, maxLength: 3 }), document, request, (docs, session, req) => {
      const parsed = docs.map((x) => parsePolicyValue(x));
      const context = conditionContext(req.context);
      const withSession = set(parsed, parsePolicyValue(session, 'session')).evaluate({ ...req, context });
      if (withSession.effect === 'Allow') assert.equal(set(parsed).evaluate({ ...req, context }).effect, 'Allow');
    }),
    { numRuns: RUNS },
  );
});

test('adding a Deny of everything makes every request an explicit deny', () => {
  const denyAll: PolicyDocument = { Version: '1', Statement: [{ Effect: 'Deny', Action: ['*'], Resource: ['*'] }] };
  fc.assert(
    fc.property(fc.array(document, { maxLength: 3 }), request, (docs, req) => {
      const d = set([...docs.map((x) => parsePolicyValue(x)), denyAll]).evaluate({ ...req, context: conditionContext(req.context) });
      assert.equal(d.effect, 'ExplicitDeny');
    }),
    { numRuns: RUNS },
  );
});
