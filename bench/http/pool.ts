// Request pools: requests built and signed before the clock starts, written to a file that the
// load generator reads. Signing is the client's cost and stays out of both measurements; every
// signed request carries its own nonce, so Rampart verifies each one in full.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { percentEncode, rpcSignature, rpcStringToSign } from '../../src/auth/index.js';
import { ossV1Signature, ossV1StringToSign } from '../../src/auth/oss/signature.js';

export interface PooledRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Index into the pool's shared bodies (large bodies are sent many times but stored once). */
  body?: number;
}

export interface Pool {
  bodies: Buffer[];
  requests: PooledRequest[];
}

export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export function writePool(file: string, pool: Pool): void {
  writeFileSync(file, JSON.stringify({ bodies: pool.bodies.map((b) => b.toString('base64')), requests: pool.requests }));
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An RPC request signed with signature version 1.0, as a form body (what pop-core sends). */
export function signedRpc(action: string, version: string, creds: Credentials, extra: Record<string, string>, host: string): { path: string; headers: Record<string, string>; body: Buffer } {
  const params = new Map(
    Object.entries({
      Action: action,
      Version: version,
      Format: 'JSON',
      AccessKeyId: creds.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: isoSeconds(Date.now()),
      ...(creds.securityToken !== undefined ? { SecurityToken: creds.securityToken } : {}),
      ...extra,
    }),
  );
  params.set('Signature', rpcSignature(creds.accessKeySecret, rpcStringToSign('POST', params)));
  const body = Buffer.from([...params].map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&'));
  return { path: '/', headers: { host, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'rampart-bench' }, body };
}

/** A pool of n RPC requests, each with its own nonce. */
export function rpcPool(n: number, make: () => ReturnType<typeof signedRpc>): Pool {
  const pool: Pool = { bodies: [], requests: [] };
  for (let i = 0; i < n; i++) {
    const r = make();
    pool.bodies.push(r.body);
    pool.requests.push({ method: 'POST', path: r.path, headers: r.headers, body: i });
  }
  return pool;
}

/** n OSS PutObject requests (V1 signature, path style) of one body, each to its own key. */
export function putObjectPool(n: number, bucket: string, prefix: string, body: Buffer, creds: Credentials, host: string): Pool {
  const date = new Date().toUTCString();
  const requests: PooledRequest[] = [];
  for (let i = 0; i < n; i++) {
    const key = `${prefix}${randomUUID()}.bin`;
    const ossHeaders = new Map<string, string>();
    if (creds.securityToken !== undefined) ossHeaders.set('x-oss-security-token', creds.securityToken);
    const signature = ossV1Signature(
      creds.accessKeySecret,
      ossV1StringToSign({ method: 'PUT', contentMd5: '', contentType: 'application/octet-stream', date, ossHeaders, resource: `/${bucket}/${key}`, query: [] }),
    );
    requests.push({
      method: 'PUT',
      path: `/${bucket}/${key}`,
      headers: {
        host,
        date,
        'content-type': 'application/octet-stream',
        ...Object.fromEntries(ossHeaders),
        authorization: `OSS ${creds.accessKeyId}:${signature}`,
        'user-agent': 'rampart-bench',
      },
      body: 0,
    });
  }
  return { bodies: [body], requests };
}

/** A pool of one unsigned GET (the metadata service knows its caller by address). */
export function getPool(path: string, host: string): Pool {
  return { bodies: [], requests: [{ method: 'GET', path, headers: { host, 'user-agent': 'rampart-bench' } }] };
}
