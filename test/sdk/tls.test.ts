// --tls: the api listener speaks https with a certificate from Rampart's own CA, and the official
// SDKs reach it once the CA is trusted through NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/call-identity.js', import.meta.url));

let server: TestServer;
before(async () => (server = await startTestServer({ tls: { kind: 'self-signed' } })));
after(() => server.stop());

async function callFromChild(sdk: string, endpoint: string, trustCa: boolean): Promise<Record<string, unknown>> {
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], TEST_ACCESS_KEY_ID: ROOT.accessKeyId, TEST_ACCESS_KEY_SECRET: ROOT.accessKeySecret };
  if (trustCa && server.caPath) env['NODE_EXTRA_CA_CERTS'] = server.caPath;
  const { stdout } = await run(process.execPath, [fixture, sdk, endpoint], { env, timeout: 20_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

test('the listener is https and its certificate chains to the printed CA', () => {
  assert.ok(server.endpoints.api.startsWith('https://'));
  assert.ok(server.caPath);
  const ca = new X509Certificate(readFileSync(server.caPath));
  assert.equal(ca.ca, true);
  assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
});

for (const sdk of ['pop-core', 'sts20150401']) {
  for (const host of ['localhost', '127.0.0.1']) {
    test(`${sdk} calls GetCallerIdentity over https://${host} with the CA trusted`, async () => {
      const endpoint = server.endpoints.api.replace('127.0.0.1', host);
      const out = await callFromChild(sdk, endpoint, true);
      assert.deepEqual(out['error'], undefined);
      const identity = out['identity'] as Record<string, unknown>;
      assert.equal(identity['Arn'] ?? identity['arn'], `acs:ram::${ROOT.accountId}:root`);
    });
  }

  test(`${sdk} refuses the server when the CA is not trusted`, async () => {
    const out = await callFromChild(sdk, server.endpoints.api, false);
    assert.equal(out['identity'], undefined);
    assert.match(String(out['error']), /SELF_SIGNED|UNABLE_TO_VERIFY|self.signed|certificate/i);
  });
}
