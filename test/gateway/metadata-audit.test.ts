// An instance's credentials are handed out only as a recorded role assumption: when the event of
// a new set cannot be recorded, the app gets an error, and the set is never handed out later
// without its record (the next request issues, and records, a new one).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AuditRecord } from '../../src/gateway/audit/index.js';
import { metadata } from '../helpers/metadata.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';
import { ecsClient, ramClient, trustEcs } from '../security/fixture.js';

let server: TestServer;
let failing = false;
const recorded: AuditRecord[] = [];

before(async () => {
  server = await startTestServer({
    audit: {
      record: async (r) => {
        if (failing && r.eventName === 'AssumeRole') throw new Error('the trail is full');
        recorded.push(r);
      },
    },
  });
  await ramClient(server.apiHost, ROOT)('CreateRole', { RoleName: 'Recorded', AssumeRolePolicyDocument: trustEcs });
  await ecsClient(server, ROOT)('CreateInstance', { ImageId: 'img', InstanceType: 't', PrivateIpAddress: '127.0.0.61', RamRoleName: 'Recorded' });
});
after(() => server.stop());

const credentials = () => metadata(server.endpoints.metadata, '/latest/meta-data/ram/security-credentials/Recorded', { from: '127.0.0.61' });

test('a set whose assumption cannot be recorded is not handed out, then or later', async () => {
  failing = true;
  const refused = await credentials();
  assert.deepEqual([refused.status, refused.body], [500, 'Internal Server Error']);
  failing = false;
  const handed = await credentials();
  assert.equal(handed.status, 200);
  const { AccessKeyId } = JSON.parse(handed.body) as { AccessKeyId: string };
  const events = recorded.filter((r) => r.eventName === 'AssumeRole');
  assert.deepEqual(events.map((r) => r.caller.accessKeyId), [AccessKeyId], 'the set handed out is the one recorded');
  assert.deepEqual([events[0]?.serviceName, events[0]?.resource, events[0]?.requestParameters['Principal']], ['Sts', `acs:ram::${ROOT.accountId}:role/Recorded`, 'ecs.aliyuncs.com']);
  // The same set is handed out again, without a second record.
  assert.equal(JSON.parse((await credentials()).body).AccessKeyId, AccessKeyId);
  assert.equal(recorded.filter((r) => r.eventName === 'AssumeRole').length, 1);
});
