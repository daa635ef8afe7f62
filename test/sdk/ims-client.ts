// The unmodified @alicloud/ims20190815 (V3 signature), called by action name with wire-named
// fields, answering with the wire-named body (toMap), so tests assert what the wire carries.
import { createRequire } from 'node:module';
import type { Creds, RamCall } from './ram-client.js';

const require = createRequire(import.meta.url);
const ImsModule = require('@alicloud/ims20190815') as Record<string, unknown> & { default: new (config: unknown) => Record<string, unknown> };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

export type ImsCall = RamCall;

/**
 * Wire names (OIDCProviderName, IssuerUrl) to the model's field names. The model keeps a leading
 * run of capitals whole (OIDCProviderName, SAMLProviderName) and lowers only a single capital
 * (issuerUrl, encodedSAMLMetadataDocument): its own names() map says which, so it is read from it.
 */
function modelFields(Request: { names(): Record<string, string> }, params: Record<string, unknown>): Record<string, unknown> {
  const byWire = new Map(Object.entries(Request.names()).map(([field, wire]) => [wire, field]));
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => {
      const field = byWire.get(k);
      if (field === undefined) throw new Error(`the SDK's model has no ${k}`);
      return [field, v];
    }),
  );
}

export function imsClient(apiHost: string, creds: Creds): ImsCall {
  const client = new ImsModule.default(new OpenApi.Config({ ...creds, endpoint: apiHost, protocol: 'http' }));
  return async (action, params = {}) => {
    const method = action.charAt(0).toLowerCase() + action.slice(1);
    const Request = ImsModule[`${action}Request`] as (new (fields: Record<string, unknown>) => unknown) & { names(): Record<string, string> } | undefined;
    const fn = client[method] as ((req?: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>) | undefined;
    if (fn === undefined) throw new Error(`the SDK has no ${method}`);
    const res = Request ? await fn.call(client, new Request(modelFields(Request, params))) : await fn.call(client);
    return res.body.toMap();
  };
}
