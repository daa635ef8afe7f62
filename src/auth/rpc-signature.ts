// RPC signature v1 (SignatureMethod=HMAC-SHA1, SignatureVersion=1.0):
//   StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalized query)
//   Signature    = base64(HMAC-SHA1(secret + "&", StringToSign))
// over every request parameter (query and form body together) except Signature itself.
import { createHmac } from 'node:crypto';
import { percentEncode, sortedKeys } from './percent-encode.js';

export function rpcCanonicalizedQuery(params: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const key of sortedKeys(params)) {
    if (key === 'Signature') continue;
    parts.push(`${percentEncode(key)}=${percentEncode(params.get(key) ?? '')}`);
  }
  return parts.join('&');
}

/** The canonicalized query is already percent-encoded: encoding it again only touches these. */
const REENCODE: Record<string, string> = { '%': '%25', '&': '%26', '=': '%3D' };

export function rpcStringToSign(method: string, params: ReadonlyMap<string, string>): string {
  return `${method.toUpperCase()}&%2F&${rpcCanonicalizedQuery(params).replace(/[%&=]/g, (c) => REENCODE[c] ?? c)}`;
}

export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}
