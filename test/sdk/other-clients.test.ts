// The clients Rampart was not built against, each running the flows it supports, over http and
// over https (--tls): the older aliyun-sdk (RPC and OSS V1), @alicloud/ecs20140526 and
// ims20190815 (V3), @alicloud/sts-sdk (https only), @alicloud/oss20190517 (endpointType ip),
// @alicloud/oss-client (OSS2 signatures), ali-oss (V1 and V4; an IP endpoint over http), and curl
// with a presigned URL. Each runs in a child process so https trusts Rampart's CA the way a
// user's process would, through NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { ROOT, startTestServer } from '../helpers/server.js';

const fixture = fileURLToPath(new URL('./fixtures/other-clients.js', import.meta.url));

for (const tls of [false, true]) {
  test(`every flow of every other client works over ${tls ? 'https' : 'http'}`, async () => {
    const server = await startTestServer({ assumeRoleRate: 0, ...(tls ? { tls: { kind: 'self-signed' } } : {}) });
    try {
      assert.equal(server.endpoints.oss.startsWith('https://'), tls, 'the OSS listener follows --tls');
      const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], TEST_ACCESS_KEY_ID: ROOT.accessKeyId, TEST_ACCESS_KEY_SECRET: ROOT.accessKeySecret };
      if (server.caPath) env['NODE_EXTRA_CA_CERTS'] = server.caPath;
      const { stdout } = await promisify(execFile)(process.execPath, [fixture, server.endpoints.api, server.endpoints.oss, server.caPath ?? ''], { env, timeout: 60_000 });
      const results = JSON.parse(stdout) as Record<string, string>;
      assert.equal(results['crashed'], undefined);
      assert.ok(Object.keys(results).length >= 12, stdout);
      const failed = Object.entries(results).filter(([, outcome]) => outcome !== 'ok');
      assert.deepEqual(failed, []);
    } finally {
      await server.stop();
    }
  });
}
