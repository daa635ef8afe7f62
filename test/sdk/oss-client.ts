// The unmodified ali-oss client, pointed at a test server.
import OSS from 'ali-oss';
import type { Creds } from './ram-client.js';

export type OssClient = InstanceType<typeof OSS>;

export interface OssStyle {
  name: string;
  /** Extra client options: endpoint form, path style, signature version. */
  options: (port: string) => Record<string, unknown>;
}

/** Virtual-host style carried in the Host header (IP endpoint), and path style (host name + sldEnable); V1 and V4. */
export const STYLES: OssStyle[] = [
  { name: 'V1 virtual-host', options: (port) => ({ endpoint: `http://127.0.0.1:${port}`, sldEnable: false }) },
  { name: 'V1 path-style', options: (port) => ({ endpoint: `http://localhost:${port}`, sldEnable: true }) },
  { name: 'V4 virtual-host', options: (port) => ({ endpoint: `http://127.0.0.1:${port}`, sldEnable: false, authorizationV4: true }) },
  { name: 'V4 path-style', options: (port) => ({ endpoint: `http://localhost:${port}`, sldEnable: true, authorizationV4: true }) },
];

export function ossClient(ossEndpoint: string, creds: Creds, options: Record<string, unknown> = {}): OssClient {
  const port = new URL(ossEndpoint).port;
  // sldEnable is not in @types/ali-oss, hence the cast.
  return new OSS({
    accessKeyId: creds.accessKeyId,
    accessKeySecret: creds.accessKeySecret,
    ...(creds.securityToken ? { stsToken: creds.securityToken } : {}),
    region: 'oss-cn-hangzhou',
    endpoint: `http://localhost:${port}`,
    sldEnable: true,
    ...options,
  } as ConstructorParameters<typeof OSS>[0]);
}

export interface OssFailure {
  code?: string;
  status?: number;
  requestId?: string;
  message?: string;
}

export async function ossError(p: Promise<unknown>): Promise<OssFailure> {
  try {
    await p;
  } catch (e) {
    return e as OssFailure;
  }
  throw new Error('expected the OSS call to fail');
}
