// The audit trail cannot be blown up: read calls do not record what they answered (LookupEvents
// used to store the events it returned, each call doubling the next), a request's parameters are
// kept within a bound however large or many, and events go once past their retention.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isoSeconds } from '../../src/model/index.js';
import { encodeParams, postForm, signedParams } from '../helpers/rpc-client.js';
import { ROOT, startTestServer } from '../helpers/server.js';
import { PopCore } from '../sdk/sdk-clients.js';
import { ramClient, userWithKey } from './fixture.js';

const dataDir = mkdtempSync(join(tmpdir(), 'rampart-audit-bounds-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('LookupEvents answers stay the same size call after call, and a junk parameter is not kept whole', async () => {
  const server = await startTestServer({ dataDir });
  try {
    const trail = new PopCore({ ...ROOT, endpoint: server.endpoints.api, apiVersion: '2020-07-06' });
    const growth: number[] = [];
    let last = 0;
    for (let i = 0; i < 9; i++) {
      const size = JSON.stringify(await trail.request('LookupEvents', { MaxResults: 50 }, { method: 'POST' })).length;
      if (i > 0) growth.push(size - last);
      last = size;
    }
    // Each call adds one small event (the previous call's), the same size every time: none holds
    // the events it answered with, which made each answer double the next.
    assert.ok(Math.max(...growth) - Math.min(...growth) < 100, growth.join(' '));
    const events = (await trail.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'LookupEvents', MaxResults: 50 }, { method: 'POST' }))['Events'] as Record<string, unknown>[];
    assert.ok(events.length >= 9);
    for (const e of events) assert.equal(e['responseElements'], undefined, 'a read records no response');

    // A caller with no permissions at all, with 900 KB of junk in one parameter and 2,000 more
    // (refused, as parameters CreateUser does not have; recorded, within the bound).
    const nobody = await userWithKey(ramClient(server.apiHost, ROOT), 'nobody');
    const junk: Record<string, string> = { UserName: 'x', Junk: 'j'.repeat(900_000) };
    for (let i = 0; i < 2000; i++) junk[`J${i}`] = 'v';
    const answer = (await postForm(server.endpoints.api, encodeParams(signedParams('CreateUser', nobody, { Version: '2015-05-01', ...junk })))).json();
    assert.equal(answer['Code'], 'InvalidParameter');
    const refused = ((await trail.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventAccessKeyId', 'LookupAttribute.1.Value': nobody.accessKeyId }, { method: 'POST' }))['Events'] as Record<string, unknown>[])[0];
    const kept = refused?.['requestParameters'] as Record<string, string>;
    assert.equal(kept['UserName'], 'x');
    assert.match(kept['Junk'] ?? '', /… \(900000 characters, cut\)$/);
    assert.match(kept['…'] ?? '', /more parameters not recorded$/);
    assert.ok(JSON.stringify(refused).length < 20_000, `${JSON.stringify(refused).length} characters`);
  } finally {
    await server.close();
  }
});

test('events past their retention are removed when the server starts (and hourly)', async () => {
  const server = await startTestServer({ dataDir, auditRetentionDays: 30 });
  const old = Date.now() - 31 * 24 * 3600 * 1000;
  const row = (id: string, time: number) => ({
    eventId: id,
    accountId: ROOT.accountId,
    eventTime: isoSeconds(time),
    eventName: 'Aged',
    serviceName: 'Ram',
    eventRW: 'Read',
    requestId: id,
    accessKeyId: ROOT.accessKeyId,
    userName: 'root',
    resourceType: '',
    resourceName: '',
    event: JSON.stringify({ eventId: id, eventName: 'Aged' }),
  });
  await server.store.audit.append([row('OLD-EVENT', old), row('RECENT-EVENT', Date.now() - 24 * 3600 * 1000)]);
  await server.close();

  const again = await startTestServer({ dataDir, auditRetentionDays: 30 });
  try {
    const trail = new PopCore({ ...ROOT, endpoint: again.endpoints.api, apiVersion: '2020-07-06' });
    const aged = async () =>
      ((await trail.request('LookupEvents', { StartTime: isoSeconds(old - 60_000), EndTime: isoSeconds(Date.now()), 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'Aged' }, { method: 'POST' }))['Events'] as { eventId: string }[]).map((e) => e.eventId);
    // The sweep at start runs beside the first requests; it is done within moments.
    for (let i = 0; i < 50 && (await aged()).includes('OLD-EVENT'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await aged(), ['RECENT-EVENT']);
  } finally {
    await again.close();
  }
});
