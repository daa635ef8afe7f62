// STS calls through the unmodified SDKs: @alicloud/sts20150401 (V3) and @alicloud/pop-core (RPC).
import { createRequire } from 'node:module';
import { PopCore } from './sdk-clients.js';
import type { Creds } from './ram-client.js';

const require = createRequire(import.meta.url);
const StsModule = require('@alicloud/sts20150401') as Record<string, unknown> & { default: new (config: unknown) => Record<string, (req?: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>> };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

export interface AssumeRoleParams {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  Policy?: string;
  ExternalId?: string;
}

export interface Session extends Creds {
  expiration: string;
  assumedRoleUser: { Arn: string; AssumedRoleId: string };
}

export function stsV3(apiHost: string, creds: Creds) {
  const client = new StsModule.default(new OpenApi.Config({ ...creds, endpoint: apiHost, protocol: 'http' }));
  const Request = StsModule['AssumeRoleRequest'] as new (fields: Record<string, unknown>) => unknown;
  return {
    assumeRole: async (p: AssumeRoleParams): Promise<Record<string, unknown>> => {
      const fields = Object.fromEntries(Object.entries(p).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
      return (await client['assumeRole']!(new Request(fields))).body.toMap();
    },
    whoAmI: async (): Promise<Record<string, unknown>> => (await client['getCallerIdentity']!()).body.toMap(),
  };
}

export function stsRpc(endpoint: string, creds: Creds) {
  const client = new PopCore({ ...creds, endpoint, apiVersion: '2015-04-01' });
  return {
    assumeRole: (p: AssumeRoleParams) => client.request('AssumeRole', { ...p }, { method: 'POST' }),
    whoAmI: () => client.request('GetCallerIdentity', {}, { method: 'POST' }),
  };
}

export function sessionOf(body: Record<string, unknown>): Session {
  const c = body['Credentials'] as Record<string, string>;
  return {
    accessKeyId: c['AccessKeyId'] ?? '',
    accessKeySecret: c['AccessKeySecret'] ?? '',
    securityToken: c['SecurityToken'] ?? '',
    expiration: c['Expiration'] ?? '',
    assumedRoleUser: body['AssumedRoleUser'] as { Arn: string; AssumedRoleId: string },
  };
}
