// What the security tests share: principals made through the official SDKs, and the refusal code
// of an attempt.
import { PopCore } from '../sdk/sdk-clients.js';
import { ramClient, type Creds, type RamCall } from '../sdk/ram-client.js';
import { metadata } from '../helpers/metadata.js';
import type { TestServer } from '../helpers/server.js';

export const doc = (...Statement: object[]): string => JSON.stringify({ Version: '1', Statement });
export const allow = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });
export const trustAccount = (accountId: string) => doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } });
export const trustEcs = doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } });

/** The refusal code of an attempt that must fail; 'succeeded' if it did not. */
export async function refusal(attempt: Promise<unknown>): Promise<string> {
  try {
    await attempt;
    return 'succeeded';
  } catch (e) {
    return String((e as { code?: string }).code ?? (e as Error).message);
  }
}

/** A RAM user with an AccessKey, holding the named system policies and custom documents. */
export async function userWithKey(root: RamCall, name: string, policies: { system?: string[]; custom?: Record<string, string> } = {}): Promise<Creds> {
  await root('CreateUser', { UserName: name });
  for (const p of policies.system ?? []) await root('AttachPolicyToUser', { UserName: name, PolicyType: 'System', PolicyName: p });
  for (const [policyName, document] of Object.entries(policies.custom ?? {})) {
    await root('CreatePolicy', { PolicyName: policyName, PolicyDocument: document });
    await root('AttachPolicyToUser', { UserName: name, PolicyType: 'Custom', PolicyName: policyName });
  }
  const ak = (await root('CreateAccessKey', { UserName: name }))['AccessKey'] as Record<string, string>;
  return { accessKeyId: ak['AccessKeyId'] ?? '', accessKeySecret: ak['AccessKeySecret'] ?? '' };
}

/** ECS over the unmodified pop-core, answers normalised to plain objects. */
export function ecsClient(server: TestServer, creds: Creds) {
  const client = new PopCore({ ...creds, endpoint: server.endpoints.api, apiVersion: '2014-05-26' });
  // RegionId defaults to cn-hangzhou; pass RegionId: undefined to send none.
  return async (action: string, params: Record<string, unknown> = {}) => {
    const sent = Object.fromEntries(Object.entries({ RegionId: 'cn-hangzhou', ...params }).filter(([, v]) => v !== undefined));
    return JSON.parse(JSON.stringify(await client.request(action, sent, { method: 'POST' }))) as Record<string, unknown>;
  };
}

export { ramClient };

/** RevokeRoleSessions, Rampart's own action (no SDK has a method for it), over RPC as the root. */
export async function revokeSessions(server: TestServer, root: Creds, roleName: string): Promise<void> {
  // Sessions issued in the same millisecond as the revocation would count as before it.
  await new Promise((r) => setTimeout(r, 5));
  await new PopCore({ ...root, endpoint: server.endpoints.api, apiVersion: '2015-05-01' }).request('RevokeRoleSessions', { RoleName: roleName }, { method: 'POST' });
}

/** An instance's role credentials, as the app on it reads them from the metadata service. */
export async function instanceCredentials(server: TestServer, from: string, role: string): Promise<Creds> {
  const answer = await metadata(server.endpoints.metadata, `/latest/meta-data/ram/security-credentials/${role}`, { from });
  if (answer.status !== 200) throw new Error(`metadata answered ${answer.status}: ${answer.body}`);
  const set = JSON.parse(answer.body) as Record<string, string>;
  return { accessKeyId: set['AccessKeyId'] ?? '', accessKeySecret: set['AccessKeySecret'] ?? '', securityToken: set['SecurityToken'] ?? '' };
}
