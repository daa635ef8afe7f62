// Federated exchanges as the unmodified @alicloud/sts20150401 sends them: anonymous (the token or
// the assertion is the proof), for the escalation matrix's federation rows.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
type Sts = Record<string, (req?: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>>;
const StsModule = require('@alicloud/sts20150401') as Record<string, unknown> & { default: new (config: unknown) => Sts };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

const anonymous = (apiHost: string): Sts => new StsModule.default(new OpenApi.Config({ endpoint: apiHost, protocol: 'http' }));

export interface OidcExchange {
  OIDCProviderArn: string;
  RoleArn: string;
  OIDCToken: string;
  RoleSessionName?: string;
  Policy?: string;
}

export async function assumeRoleWithOIDC(apiHost: string, p: OidcExchange): Promise<Record<string, unknown>> {
  const Request = StsModule['AssumeRoleWithOIDCRequest'] as new (fields: Record<string, unknown>) => unknown;
  const request = new Request({ OIDCProviderArn: p.OIDCProviderArn, OIDCToken: p.OIDCToken, roleArn: p.RoleArn, roleSessionName: p.RoleSessionName ?? 'matrix', policy: p.Policy });
  return (await anonymous(apiHost)['assumeRoleWithOIDC']!(request)).body.toMap();
}

export interface SamlExchange {
  SAMLProviderArn: string;
  RoleArn: string;
  SAMLAssertion: string;
}

export async function assumeRoleWithSAML(apiHost: string, p: SamlExchange): Promise<Record<string, unknown>> {
  const Request = StsModule['AssumeRoleWithSAMLRequest'] as new (fields: Record<string, unknown>) => unknown;
  const request = new Request({ SAMLProviderArn: p.SAMLProviderArn, roleArn: p.RoleArn, SAMLAssertion: p.SAMLAssertion });
  return (await anonymous(apiHost)['assumeRoleWithSAML']!(request)).body.toMap();
}
