// `rampart policy validate` and `rampart policy simulate` as a user runs them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-policy-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const uploader = file('uploader.json', {
  Version: '1',
  Statement: [
    { Effect: 'Allow', Action: ['oss:PutObject', 'oss:GetObject'], Resource: 'acs:oss:*:*:thevideos/*' },
    { Sid: 'NoDelete', Effect: 'Deny', Action: 'oss:Delete*', Resource: '*' },
  ],
});
const device = file('d-001.json', { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: 'acs:oss:*:*:thevideos/d-001/*' }] });

test('validate accepts a good document and names the field of a bad one', async () => {
  const ok = await runCli(['policy', 'validate', uploader]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /a valid identity policy \(2 statements\)/);

  const bad = file('bad.json', { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: '*' }, { Effect: 'allow', Action: 'oss:*', Resource: '*' }] });
  const res = await runCli(['policy', 'validate', bad]);
  assert.equal(res.code, 1);
  assert.match(res.stdout, /MalformedPolicyDocument\n\s+Statement\[1\]\.Effect: must be "Allow" or "Deny", not "allow"/);

  const session = await runCli(['policy', 'validate', '--kind', 'session', bad]);
  assert.match(session.stdout, /InvalidParameter\.PolicyGrammar/);
  const trust = await runCli(['policy', 'validate', '--kind', 'trust', uploader]);
  assert.equal(trust.code, 1);
  assert.match(trust.stdout, /Statement\[0\]\.Principal: is required/);
});

test('simulate explains an allow, an explicit deny and a session-policy refusal', async () => {
  const put = ['policy', 'simulate', '--policy', uploader, '--action', 'oss:PutObject'];
  const allowed = await runCli([...put, '--resource', 'acs:oss:*:1234567890123456:thevideos/d-001/a.mp4']);
  assert.equal(allowed.code, 0, allowed.stderr);
  assert.match(allowed.stdout, /^Decision: Allow\n\s+allowed by statement 0 of Custom policy uploader\.json/);

  const denied = await runCli(['policy', 'simulate', '--policy', uploader, '--action', 'oss:DeleteObject', '--resource', 'acs:oss:*:1:thevideos/x']);
  assert.match(denied.stdout, /^Decision: ExplicitDeny\n\s+explicitly denied by statement 1 \(NoDelete\) of Custom policy uploader\.json/);

  const narrowed = await runCli([...put, '--session-policy', device, '--resource', 'acs:oss:*:1234567890123456:thevideos/d-002/a.mp4', '--json']);
  const decision = JSON.parse(narrowed.stdout) as Record<string, unknown>;
  assert.equal(decision['effect'], 'ImplicitDeny');
  assert.deepEqual(decision['policy'], { name: 'd-001.json', type: 'Session' });
});

test('simulate uses --context for conditions and supplies the current time', async () => {
  const secure = file('secure.json', {
    Version: '1',
    Statement: [
      { Effect: 'Allow', Action: 'ram:*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' }, DateLessThan: { 'acs:CurrentTime': '2100-01-01T00:00:00Z' } } },
    ],
  });
  const args = ['policy', 'simulate', '--policy', secure, '--action', 'ram:GetUser', '--resource', '*'];
  assert.match((await runCli([...args, '--context', 'acs:SourceIp=10.2.3.4'])).stdout, /Decision: Allow/);
  assert.match((await runCli([...args, '--context', 'acs:SourceIp=8.8.8.8'])).stdout, /Decision: ImplicitDeny/);
  assert.match((await runCli([...args, '--context', 'acs:SourceIp=10.2.3.4', '--context', 'acs:CurrentTime=2101-01-01T00:00:00Z'])).stdout, /Decision: ImplicitDeny/);
  const bad = await runCli([...args, '--context', 'no-equals-sign']);
  assert.equal(bad.code, 2);
});

test('simulate a trust policy for a principal', async () => {
  const trust = file('trust.json', { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs.aliyuncs.com' } }] });
  const ecs = await runCli(['policy', 'simulate', '--trust', trust, '--principal', 'ecs.aliyuncs.com']);
  assert.match(ecs.stdout, /Decision: Allow/);
  const user = await runCli(['policy', 'simulate', '--trust', trust, '--principal', 'acs:ram::1234567890123456:user/alice']);
  assert.match(user.stdout, /Decision: ImplicitDeny\n\s+the trust policy of trust\.json does not allow/);
});
