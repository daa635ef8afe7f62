// Hand-signed (V1) OSS requests, for inputs no SDK would send: traversal keys, bad digests,
// broken XML, wrong tokens. Path style against the oss listener.
import { request } from 'node:http';
import { ossV1Signature, ossV1StringToSign } from '../../src/auth/oss-signature.js';

export interface RawOssAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RawOssRequest {
  method: string;
  /** Path as sent (already encoded), e.g. /bucket/key?uploads= */
  path: string;
  body?: Buffer | string;
  headers?: Record<string, string>;
  creds?: { accessKeyId: string; accessKeySecret: string; securityToken?: string };
  /** Overrides the resource that is signed (default: decoded path without the query). */
  resource?: string;
  date?: Date;
}

export function rawOss(endpoint: string, r: RawOssRequest): Promise<RawOssAnswer> {
  const url = new URL(r.path, endpoint);
  const headers: Record<string, string> = { date: (r.date ?? new Date()).toUTCString(), ...(r.headers ?? {}) };
  if (r.creds?.securityToken) headers['x-oss-security-token'] = r.creds.securityToken;
  if (r.creds && headers['authorization'] === undefined) {
    const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const query: [string, string | undefined][] = [...url.searchParams.entries()];
    const sts = ossV1StringToSign({
      method: r.method,
      contentMd5: lower.get('content-md5') ?? '',
      contentType: lower.get('content-type') ?? '',
      date: lower.get('date') ?? '',
      ossHeaders: new Map([...lower].filter(([k]) => k.startsWith('x-oss-'))),
      // A bucket is signed as /bucket/ (as ali-oss does); an object as /bucket/key.
      resource: r.resource ?? (/^\/[^/]+$/.test(url.pathname) ? `${url.pathname}/` : decodeURIComponent(url.pathname)),
      query,
    });
    headers['authorization'] = `OSS ${r.creds.accessKeyId}:${ossV1Signature(r.creds.accessKeySecret, sts)}`;
  }
  return new Promise((resolve, reject) => {
    const req = request(url, { method: r.method, headers: { ...headers, 'content-length': String(r.body ? Buffer.byteLength(r.body) : 0) }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

export const errorCode = (a: RawOssAnswer): string | undefined => /<Code>([^<]+)<\/Code>/.exec(a.body)?.[1];
