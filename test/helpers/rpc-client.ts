// A hand-rolled RPC client for requests the official SDKs would never send (malformed,
// replayed, half-signed). Correct signing itself is proven against the SDKs elsewhere.
import { randomUUID } from 'node:crypto';
import { rpcSignature, rpcStringToSign, percentEncode } from '../../src/auth/index.js';

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json(): Record<string, unknown>;
}

export function isoSeconds(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function signedParams(
  action: string,
  creds: { accessKeyId: string; accessKeySecret: string },
  extra: Record<string, string> = {},
  method = 'POST',
): Map<string, string> {
  const params = new Map(
    Object.entries({
      Action: action,
      Version: '2015-04-01',
      Format: 'JSON',
      AccessKeyId: creds.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: randomUUID(),
      Timestamp: isoSeconds(),
      ...extra,
    }),
  );
  params.set('Signature', rpcSignature(creds.accessKeySecret, rpcStringToSign(method, params)));
  return params;
}

export function encodeParams(params: ReadonlyMap<string, string>): string {
  return [...params].map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

export function postForm(endpoint: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(`${endpoint}/`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
}
