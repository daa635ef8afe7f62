// A refusal says why, as data: when nothing allowed a request, the decision names the statement
// that would have allowed it but for a condition, that condition, and the value the request
// carried (or that it carried none). Only refusals explained pay for the search.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePolicy, conditionContext, evaluateTrust, parsePolicyValue, PolicySet, type PolicyDocument } from '../../src/policy/index.js';

const doc = (...Statement: object[]): PolicyDocument => parsePolicyValue({ Version: '1', Statement });
const trustDoc = (...Statement: object[]): PolicyDocument => parsePolicyValue({ Version: '1', Statement }, 'trust');
const fromOffice = doc(
  { Effect: 'Allow', Action: 'oss:GetObject', Resource: '*' },
  { Sid: 'Office', Effect: 'Allow', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:bucket/*', Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] }, Bool: { 'acs:SecureTransport': 'true' } } },
);
const set = new PolicySet([compilePolicy(fromOffice, { name: 'uploader', type: 'Custom', version: 'v2' })]);
const put = (context: Record<string, string>) => set.explain({ action: 'oss:PutObject', resource: 'acs:oss:*:123:bucket/a.txt', context: conditionContext(context) });

test('the statement a condition kept from allowing, the condition, and the value the request had', () => {
  const d = put({ 'acs:SourceIp': '192.168.1.7', 'acs:SecureTransport': 'true' });
  assert.equal(d.effect, 'ImplicitDeny');
  assert.deepEqual([d.policy, d.statement, d.sid], [{ name: 'uploader', type: 'Custom', version: 'v2' }, 1, 'Office']);
  assert.deepEqual(d.condition, { operator: 'IpAddress', key: 'acs:SourceIp', values: ['10.0.0.0/8'], actual: '192.168.1.7' });
  assert.match(d.reason, /statement 1 \(Office\) of Custom policy uploader \(v2\) allows it only when IpAddress acs:SourceIp \["10\.0\.0\.0\/8"\], and the request has acs:SourceIp = "192\.168\.1\.7"/);
});

test('a bare decision refuses alike, without the search', () => {
  const d = set.evaluate({ action: 'oss:PutObject', resource: 'acs:oss:*:123:bucket/a.txt', context: conditionContext({ 'acs:SourceIp': '192.168.1.7', 'acs:SecureTransport': 'true' }) });
  assert.deepEqual([d.effect, d.policy, d.condition], ['ImplicitDeny', undefined, undefined]);
});

test('a key the request does not carry is said to be missing; the first failing condition is named', () => {
  const d = put({ 'acs:SourceIp': '10.1.2.3' });
  assert.deepEqual(d.condition, { operator: 'Bool', key: 'acs:SecureTransport', values: ['true'] });
  assert.match(d.reason, /the request has no acs:SecureTransport/);
});

test('with no statement near, the refusal names no policy; an allowed request carries no condition', () => {
  const far = set.explain({ action: 'oss:DeleteObject', resource: 'acs:oss:*:123:bucket/a.txt', context: conditionContext({}) });
  assert.deepEqual([far.effect, far.policy, far.condition], ['ImplicitDeny', undefined, undefined]);
  const allowed = put({ 'acs:SourceIp': '10.1.2.3', 'acs:SecureTransport': 'true' });
  assert.deepEqual([allowed.effect, allowed.statement, allowed.condition], ['Allow', 1, undefined]);
});

test('a session policy\'s near miss is the session policy\'s; a trust policy\'s is kept too', () => {
  const role = compilePolicy(doc({ Effect: 'Allow', Action: '*', Resource: '*' }), { name: 'AdministratorAccess', type: 'System' });
  const session = compilePolicy(doc({ Effect: 'Allow', Action: 'oss:*', Resource: '*', Condition: { StringEquals: { 'acs:UserAgent': 'device' } } }), { name: 'session', type: 'Session' });
  const d = new PolicySet([role], { session }).explain({ action: 'oss:PutObject', resource: 'acs:oss:*:123:b/k', context: conditionContext({ 'acs:UserAgent': 'curl' }) });
  assert.deepEqual([d.effect, d.policy?.type, d.condition?.actual], ['ImplicitDeny', 'Session', 'curl']);
  const trust = compilePolicy(
    trustDoc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ['acs:ram::123:root'] }, Condition: { StringEquals: { 'sts:ExternalId': 'abc' } } }),
    { name: 'partner', type: 'Trust' },
  );
  const t = evaluateTrust(trust, { kind: 'RAM', arn: 'acs:ram::123:root', accountId: '123' }, conditionContext({ 'sts:ExternalId': 'xyz' }));
  assert.deepEqual([t.effect, t.condition?.key, t.condition?.actual], ['ImplicitDeny', 'sts:ExternalId', 'xyz']);
});
