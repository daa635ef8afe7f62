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

export function rpcStringToSign(method: string, params: ReadonlyMap<string, string>): string {
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(rpcCanonicalizedQuery(params))}`;
}

export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}
