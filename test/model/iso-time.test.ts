// One ISO 8601 reader for every caller; each says which forms it takes. Dates the calendar does
// not have are refused everywhere (LookupEvents and form policies once read 2026-02-30 as March 2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIsoTime } from '../../src/model/index.js';
import { ROOT, startTestServer } from '../helpers/server.js';
import { PopCore } from '../sdk/sdk-clients.js';

test('the strict form: UTC with seconds; the others only when asked for', () => {
  const t = Date.UTC(2026, 10, 24, 12);
  assert.equal(parseIsoTime('2026-11-24T12:00:00Z'), t);
  assert.equal(parseIsoTime('2026-11-24T12:00:00.25Z'), t + 250);
  for (const other of ['2026-11-24T20:00:00+08:00', '2026-11-24', '2026-11-24T12:00Z']) assert.equal(parseIsoTime(other), undefined, other);
  assert.equal(parseIsoTime('2026-11-24T20:00:00+08:00', { offsets: true }), t);
  assert.equal(parseIsoTime('2026-11-24T04:00:00-0800', { offsets: true }), t);
  assert.equal(parseIsoTime('2026-11-24', { dateOnly: true }), Date.UTC(2026, 10, 24));
  assert.equal(parseIsoTime('2026-11-24T12:00Z', { noSeconds: true }), t);
});

test('dates and times that do not exist are refused, whatever the forms', () => {
  const all = { offsets: true, dateOnly: true, noSeconds: true };
  for (const bad of ['2026-02-30T00:00:00Z', '2023-02-29', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-11-24T24:00:00Z', '2026-11-24T23:60:00Z', '2026-11-24T12:00:00+15:00', '0050-01-01T00:00:00Z', '2026-11-24T12:00:00', 'tomorrow']) {
    assert.equal(parseIsoTime(bad, all), undefined, bad);
  }
  assert.equal(parseIsoTime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
});

test('LookupEvents refuses a StartTime the calendar does not have', async () => {
  const server = await startTestServer();
  try {
    const trail = new PopCore({ accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret, endpoint: server.endpoints.api, apiVersion: '2020-07-06' });
    const error = await trail.request('LookupEvents', { StartTime: '2026-02-30T00:00:00Z' }, { method: 'POST' }).then(() => undefined, (e: { code?: string }) => e.code);
    assert.equal(error, 'InvalidParameterStartTime');
  } finally {
    await server.stop();
  }
});
