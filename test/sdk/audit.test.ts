// The audit trail through ActionTrail LookupEvents (pop-core, 2020-07-06): every authenticated
// call, allowed or refused, in ActionTrail's shape, with sessions named and secrets removed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, ramError } from './ram-client.js';
import { PopCore } from './sdk-clients.js';
import { sessionOf, stsRpc, stsV3 } from './sts-client.js';

let server: TestServer;
const trail = () => new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2020-07-06' });
const lookup = async (params: Record<string, unknown>) => JSON.parse(JSON.stringify(await trail().request('LookupEvents', params, { method: 'POST' }))) as { Events: Record<string, unknown>[]; NextToken?: string };

before(async () => {
  server = await startTestServer({ assumeRoleRate: 0 });
});
after(() => server.stop());

test('allowed and refused calls are recorded in ActionTrail shape; sessions keep their name; secrets are gone', async () => {
  const root = ramClient(server.apiHost, ROOT);
  await root('CreateUser', { UserName: 'audited' });
  await ramError(root('CreateUser', { UserName: 'audited' }));
  await root('AttachPolicyToUser', { UserName: 'audited', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
  const ak = (await root('CreateAccessKey', { UserName: 'audited' }))['AccessKey'] as Record<string, string>;
  const user = { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
  await ramError(ramClient(server.apiHost, user)('ListUsers'));
  const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
  await root('CreateRole', { RoleName: 'auditor', AssumeRolePolicyDocument: trust });
  const s = sessionOf(await stsV3(server.apiHost, user).assumeRole({ RoleArn: `acs:ram::${ROOT.accountId}:role/auditor`, RoleSessionName: 'night-shift' }));
  await stsRpc(server.endpoints.api, s).whoAmI();

  const created = await lookup({ 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'CreateUser' });
  assert.equal(created.Events.length, 2);
  const [failed, ok] = created.Events;
  assert.equal(failed?.['errorCode'], 'EntityAlreadyExists.User');
  assert.equal(ok?.['errorCode'], undefined);
  assert.equal(ok?.['eventSource'], 'ram.aliyuncs.com');
  assert.equal(ok?.['eventRW'], 'Write');
  assert.deepEqual(ok?.['userIdentity'], { type: 'root-account', principalId: ROOT.accountId, accountId: ROOT.accountId, accessKeyId: ROOT.accessKeyId, userName: 'root' });
  assert.equal((ok?.['requestParameters'] as Record<string, string>)['UserName'], 'audited');

  const denied = (await lookup({ 'LookupAttribute.1.Key': 'EventAccessKeyId', 'LookupAttribute.1.Value': user.accessKeyId, 'LookupAttribute.2.Key': 'EventName', 'LookupAttribute.2.Value': 'ListUsers' })).Events;
  assert.equal(denied[0]?.['errorCode'], 'NoPermission');
  assert.equal((denied[0]?.['userIdentity'] as Record<string, string>)['type'], 'ram-user');

  const assumed = (await lookup({ 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'AssumeRole' })).Events[0] ?? {};
  const creds = (assumed['responseElements'] as { Credentials: Record<string, string> }).Credentials;
  assert.equal(creds['SecurityToken'], undefined, 'no token in the trail');
  assert.equal(creds['AccessKeySecret'], '****', 'nothing of the secret is kept');
  assert.ok(!JSON.stringify(assumed).includes(s.accessKeySecret));

  const bySession = (await lookup({ 'LookupAttribute.1.Key': 'User', 'LookupAttribute.1.Value': 'auditor:night-shift' })).Events;
  assert.equal(bySession.length, 1);
  const identity = bySession[0]?.['userIdentity'] as Record<string, unknown>;
  assert.equal(identity['type'], 'assumed-role');
  assert.match(String(identity['principalId']), /^\d+:night-shift$/);
  assert.equal(identity['accessKeyId'], s.accessKeyId);
  assert.ok((identity['sessionContext'] as { attributes: Record<string, string> }).attributes['creationDate']);
});

test("a partner's AssumeRole lands in the role owner's account and in the partner's own", async () => {
  const { createAccount } = await import('../../src/server/index.js');
  const partner = await createAccount(server.store, new Date());
  const partnerRam = ramClient(server.apiHost, { accessKeyId: partner.AccessKeyId, accessKeySecret: partner.AccessKeySecret });
  await partnerRam('CreateUser', { UserName: 'partner-user' });
  await partnerRam('AttachPolicyToUser', { UserName: 'partner-user', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
  const ak = (await partnerRam('CreateAccessKey', { UserName: 'partner-user' }))['AccessKey'] as Record<string, string>;
  const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${partner.AccountId}:root`] } }] });
  await ramClient(server.apiHost, ROOT)('CreateRole', { RoleName: 'for-partner', AssumeRolePolicyDocument: trust });
  await stsV3(server.apiHost, { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' }).assumeRole({ RoleArn: `acs:ram::${ROOT.accountId}:role/for-partner`, RoleSessionName: 'visit' });
  const inOwner = (await lookup({ 'LookupAttribute.1.Key': 'ResourceName', 'LookupAttribute.1.Value': 'for-partner', 'LookupAttribute.2.Key': 'EventName', 'LookupAttribute.2.Value': 'AssumeRole' })).Events;
  assert.equal(inOwner.length, 1);
  assert.equal((inOwner[0]?.['userIdentity'] as Record<string, string>)['accountId'], partner.AccountId);
  const partnerTrail = new PopCore({ accessKeyId: partner.AccessKeyId, accessKeySecret: partner.AccessKeySecret, endpoint: server.endpoints.api, apiVersion: '2020-07-06' });
  const partnerEvents = (await partnerTrail.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'AssumeRole' }, { method: 'POST' }))['Events'] as Record<string, unknown>[];
  // The partner audits its own users: the same event, under an event id of its own.
  assert.equal(partnerEvents.length, 1);
  assert.equal(partnerEvents[0]?.['requestId'], inOwner[0]?.['requestId']);
  assert.notEqual(partnerEvents[0]?.['eventId'], inOwner[0]?.['eventId']);
  assert.equal((partnerEvents[0]?.['userIdentity'] as Record<string, string>)['userName'], 'partner-user');
});

test('paging, direction and the real parameter errors', async () => {
  const first = await lookup({ MaxResults: 1 });
  assert.equal(first.Events.length, 1);
  assert.ok(first.NextToken);
  const second = await lookup({ MaxResults: 1, NextToken: first.NextToken });
  assert.notEqual(second.Events[0]?.['eventId'], first.Events[0]?.['eventId']);
  const forward = await lookup({ MaxResults: 1, Direction: 'FORWARD' });
  assert.ok(String(forward.Events[0]?.['eventTime']) <= String(first.Events[0]?.['eventTime']));
  await assert.rejects(trail().request('LookupEvents', { StartTime: '2026-01-01T00:00:00Z' }, { method: 'POST' }), { code: 'InvalidParameterCombination' });
  await assert.rejects(trail().request('LookupEvents', { StartTime: 'yesterday', EndTime: '2026-01-01T00:00:00Z' }, { method: 'POST' }), { code: 'InvalidParameterStartTime' });
  await assert.rejects(trail().request('LookupEvents', { MaxResults: 51 }, { method: 'POST' }), { code: 'InvalidParameter' });
  await assert.rejects(trail().request('LookupEvents', { 'LookupAttribute.1.Key': 'Colour', 'LookupAttribute.1.Value': 'x' }, { method: 'POST' }), { code: 'InvalidParameter' });
});
