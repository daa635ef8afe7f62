// Hand-signed (V1) OSS requests, for inputs no SDK would send: traversal keys, bad digests,
// broken XML, wrong tokens. Path style against the oss listener.
import { request } from 'node:http';
import { ossV1Signature, ossV1StringToSign, ossV4CanonicalRequest, ossV4Signature, ossV4StringToSign } from '../../src/auth/oss/signature.js';

export interface RawOssAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface V4Scope {
  /** x-oss-date; the scope's day is its day unless `day` says otherwise. */
  date?: Date;
  day?: string;
  region?: string;
  product?: string;
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
  /** Sign with V4 (OSS4-HMAC-SHA256) instead of V1, with this scope. */
  v4?: V4Scope;
  /** Headers signed as the text given and sent as its UTF-8 bytes (Node's http sends Latin-1 only). */
  utf8Headers?: Record<string, string>;
}

const v4Time = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The V4 Authorization header for a path-style request, signed as ali-oss signs. */
function v4Authorization(r: RawOssRequest, url: URL, headers: Record<string, string>): string {
  const creds = r.creds!;
  const time = headers['x-oss-date'] ?? '';
  const scope = `${r.v4?.day ?? time.slice(0, 8)}/${r.v4?.region ?? 'cn-hangzhou'}/${r.v4?.product ?? 'oss'}/aliyun_v4_request`;
  const [, bucket, ...rest] = decodeURIComponent(url.pathname).split('/');
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonical = ossV4CanonicalRequest({ method: r.method, bucket: bucket || undefined, key: rest.length ? rest.join('/') : undefined, query: [...url.searchParams.entries()], headers: lower, additionalHeaders: [] });
  const [day = '', region = '', product = ''] = scope.split('/');
  const signature = ossV4Signature(creds.accessKeySecret, day, region, product, ossV4StringToSign(time, scope, canonical));
  return `OSS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope},Signature=${signature}`;
}

export function rawOss(endpoint: string, r: RawOssRequest): Promise<RawOssAnswer> {
  const url = new URL(r.path, endpoint);
  const headers: Record<string, string> = { date: (r.date ?? new Date()).toUTCString(), ...(r.headers ?? {}), ...(r.utf8Headers ?? {}) };
  if (r.creds?.securityToken) headers['x-oss-security-token'] = r.creds.securityToken;
  if (r.creds && r.v4 && headers['authorization'] === undefined) {
    headers['x-oss-date'] = v4Time(r.v4.date ?? new Date());
    headers['x-oss-content-sha256'] ??= 'UNSIGNED-PAYLOAD';
    headers['authorization'] = v4Authorization(r, url, headers);
  } else if (r.creds && headers['authorization'] === undefined) {
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
  for (const [name, value] of Object.entries(r.utf8Headers ?? {})) headers[name] = Buffer.from(value, 'utf8').toString('latin1');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: r.method, headers: { ...headers, 'content-length': String(r.body ? Buffer.byteLength(r.body) : 0) }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    // A string body would be written in one go with the headers, as UTF-8, headers included.
    req.end(r.body === undefined ? undefined : Buffer.from(r.body));
  });
}

export const errorCode = (a: RawOssAnswer): string | undefined => /<Code>([^<]+)<\/Code>/.exec(a.body)?.[1];
