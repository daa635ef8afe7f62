// The official SDK clients, loaded from node_modules exactly as an application would.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface PopCoreClient {
  request(action: string, params: Record<string, unknown>, opts: Record<string, unknown>): Promise<Record<string, unknown>>;
}
export const PopCore = require('@alicloud/pop-core') as new (config: Record<string, unknown>) => PopCoreClient;

export interface StsClient {
  getCallerIdentity(): Promise<{ statusCode: number; body: Record<string, unknown> }>;
}
const StsModule = require('@alicloud/sts20150401') as { default: new (config: unknown) => StsClient };
const OpenApi = require('@alicloud/openapi-client') as { Config: new (fields: Record<string, unknown>) => unknown };

export function stsClient(fields: Record<string, unknown>): StsClient {
  return new StsModule.default(new OpenApi.Config(fields));
}

/** Nonce sources of the SDKs, so a test can make them send the same nonce twice. */
// pop-core has its own copy of kitx: resolve it from pop-core, as pop-core does.
export const kitx = require(require.resolve('kitx', { paths: [require.resolve('@alicloud/pop-core')] })) as { makeNonce(): string };
export const teaUtils = require('@alicloud/openapi-core/dist/utils.js').default as { getNonce(): string };

export interface SdkError extends Error {
  code?: string;
  statusCode?: number;
  data?: Record<string, unknown>;
}
