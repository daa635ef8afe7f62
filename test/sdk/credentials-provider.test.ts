// The unmodified @alicloud/credentials against a --tls server (its RAM-role-ARN provider speaks
// only https): it obtains and refreshes credentials that sign RAM calls, and the static STS
// provider signs with a token it was handed. The SDKs run in a child process, where
// NODE_EXTRA_CA_CERTS makes them trust Rampart's CA.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/credentials-provider.js', import.meta.url));

let server: TestServer;
before(async () => (server = await startTestServer({ tls: { kind: 'self-signed' }, assumeRoleRate: 0 })));
after(() => server.stop());

test('the RAM-role-ARN provider gets and refreshes credentials over https; the static STS provider signs', async () => {
  const { stdout } = await run(process.execPath, [fixture, server.apiHost.replace('127.0.0.1', 'localhost'), ROOT.accountId], {
    env: { PATH: process.env['PATH'], NODE_EXTRA_CA_CERTS: server.caPath, TEST_ACCESS_KEY_ID: ROOT.accessKeyId, TEST_ACCESS_KEY_SECRET: ROOT.accessKeySecret },
    timeout: 30_000,
  });
  const out = JSON.parse(stdout) as Record<string, unknown>;
  assert.equal(out['error'], undefined, String(out['error']));
  assert.match(String(out['firstKey']), /^STS\./);
  assert.match(String(out['secondKey']), /^STS\./);
  assert.notEqual(out['firstKey'], out['secondKey'], 'the provider refreshed: a new session the second time');
  assert.ok((out['userNames'] as string[]).includes('app'), 'the role session read the account\'s users');
  assert.equal(out['staticArn'], `acs:ram::${ROOT.accountId}:assumed-role/app-role/credentials-sdk`);
  assert.equal(out['denied'], 'NoPermission', 'and only with the role\'s rights');
  // AssumeRole was called with common parameters in the query and the rest in the form body.
  const assumed = server.audited.filter((r) => r.eventName === 'AssumeRole' && r.errorCode === undefined);
  assert.ok(assumed.length >= 2);
  assert.ok(assumed.every((r) => !JSON.stringify(r).includes('"SecurityToken"')), 'the audit keeps no token');
});
