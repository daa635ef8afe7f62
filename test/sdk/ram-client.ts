// The unmodified @alicloud/ram20150501 (V3 signature), called by action name with wire-named
// fields, answering with the wire-named body (toMap), so tests assert what the wire carries.
import { createRequire } from 'node:module';
import type { SdkError } from './sdk-clients.js';

const require = createRequire(import.meta.url);
const RamModule = require('@alicloud/ram20150501') as Record<string, unknown> & { default: new (config: unknown) => Record<string, unknown> };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

export interface Creds {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export type RamCall = (action: string, params?: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** Wire names (UserName) to the SDK model's field names (userName). */
function modelFields(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
}

export function ramClient(apiHost: string, creds: Creds): RamCall {
  const client = new RamModule.default(new OpenApi.Config({ ...creds, endpoint: apiHost, protocol: 'http' }));
  return async (action, params = {}) => {
    const method = action.charAt(0).toLowerCase() + action.slice(1);
    const Request = RamModule[`${action}Request`] as (new (fields: Record<string, unknown>) => unknown) | undefined;
    const fn = client[method] as ((req?: unknown) => Promise<{ body: { toMap(): Record<string, unknown> } }>) | undefined;
    if (fn === undefined) throw new Error(`the SDK has no ${method}`);
    const res = Request ? await fn.call(client, new Request(modelFields(params))) : await fn.call(client);
    return res.body.toMap();
  };
}

/** Runs a call that must fail; returns the SDK error (code, statusCode, data). */
export async function ramError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('the call was expected to fail');
}
