// V1-signed OSS requests with binary bodies both ways (test/helpers/oss-raw.ts reads answers as
// text, which would mangle the object bytes this suite compares).
import { request } from 'node:http';
import { ossV1Signature, ossV1StringToSign } from '../../src/auth/oss/signature.js';

export interface OssAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** x-oss-request-id, the id the trail keeps. */
  requestId: string;
}

export interface OssCreds {
  accessKeyId: string;
  accessKeySecret: string;
}

/** One request, path style (`/bucket/key?sub`), signed as ali-oss signs V1. */
export function ossCall(endpoint: string, creds: OssCreds, method: string, path: string, body?: Buffer): Promise<OssAnswer> {
  const url = new URL(path, endpoint);
  const headers: Record<string, string> = { date: new Date().toUTCString() };
  if (body !== undefined) headers['content-type'] = 'application/octet-stream';
  const stringToSign = ossV1StringToSign({
    method,
    contentMd5: '',
    contentType: headers['content-type'] ?? '',
    date: headers['date'] ?? '',
    ossHeaders: new Map(),
    resource: decodeURIComponent(url.pathname),
    query: [...url.searchParams.entries()],
  });
  headers['authorization'] = `OSS ${creds.accessKeyId}:${ossV1Signature(creds.accessKeySecret, stringToSign)}`;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, 'content-length': String(body?.length ?? 0) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const id = res.headers['x-oss-request-id'];
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), requestId: typeof id === 'string' ? id : '' });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const ossCode = (a: OssAnswer): string | undefined => /<Code>([^<]+)<\/Code>/.exec(a.body.toString('utf8'))?.[1];
export const xmlField = (a: OssAnswer, name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(a.body.toString('utf8'))?.[1];
