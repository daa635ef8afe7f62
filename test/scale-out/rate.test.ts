// The AssumeRole rate (per account) holds across nodes: two nodes on one store and Redis, a rate
// of 3 a second. Eight quick calls alternating between the nodes get about 3 sessions, not 3 per
// node; the rest are Throttling.User. Then the same without Redis (the rate kept in PostgreSQL).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testSchema } from '../helpers/postgres.js';
import { testPrefix } from '../helpers/redis.js';
import { ROOT, sharedNodeEnv, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, type Creds } from '../sdk/ram-client.js';
import { stsV3 } from '../sdk/sts-client.js';

const RATE = 3;
const CALLS = 8;

async function rateAcrossNodes(redisUrl: string | undefined): Promise<void> {
  const schema = testSchema();
  const env = sharedNodeEnv();
  const nodes: TestServer[] = [];
  try {
    for (let i = 0; i < 2; i++) nodes.push(await startTestServer({ store: schema.url, ...(redisUrl ? { redis: redisUrl } : {}), env, assumeRoleRate: RATE }));
    const root = ramClient(nodes[0]!.apiHost, ROOT);
    await root('CreateUser', { UserName: 'assumer' });
    await root('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess', UserName: 'assumer' });
    const key = (await root('CreateAccessKey', { UserName: 'assumer' }))['AccessKey'] as { AccessKeyId: string; AccessKeySecret: string };
    const assumer: Creds = { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret };
    const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${ROOT.accountId}:root`] } }] });
    const arn = ((await root('CreateRole', { RoleName: 'limited', AssumeRolePolicyDocument: trust }))['Role'] as { Arn: string }).Arn;

    const started = performance.now();
    const outcomes: string[] = [];
    for (let i = 0; i < CALLS; i++) {
      const node = nodes[i % 2]!;
      outcomes.push(await stsV3(node.apiHost, assumer).assumeRole({ RoleArn: arn, RoleSessionName: `s${i}` }).then(() => 'ok', (e: { code?: string }) => e.code ?? 'error'));
    }
    const seconds = (performance.now() - started) / 1000;
    const ok = outcomes.filter((o) => o === 'ok').length;
    // One bucket for both nodes: RATE at once, plus what refilled while the calls went on.
    assert.ok(ok >= RATE && ok <= RATE + Math.ceil(seconds * RATE), `${ok} sessions in ${seconds.toFixed(2)} s: ${outcomes.join(' ')}`);
    assert.ok(outcomes.every((o) => o === 'ok' || o === 'Throttling.User'), outcomes.join(' '));
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await schema.drop();
  }
}

test('the AssumeRole rate holds across nodes (Redis)', async () => {
  const prefix = testPrefix();
  try {
    await rateAcrossNodes(prefix.url());
  } finally {
    await prefix.drop();
  }
});

test('the AssumeRole rate holds across nodes (no Redis: in PostgreSQL)', () => rateAcrossNodes(undefined));
