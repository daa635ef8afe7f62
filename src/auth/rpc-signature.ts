// RPC signature v1 (SignatureMethod=HMAC-SHA1, SignatureVersion=1.0):
//   StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalized query)
//   Signature    = base64(HMAC-SHA1(secret + "&", StringToSign))
// over every request parameter (query and form body together) except Signature itself.
import { createHmac } from 'node:crypto';
import { percentEncode, sortedKeys } from './percent-encode.js';

/** Percent-encoded twice: the first encoding leaves only unreserved characters and %XX. */
function encodedTwice(text: string): string {
  const once = percentEncode(text);
  return once.includes('%') ? once.replaceAll('%', '%25') : once;
}

/**
 * The canonicalized query, percent-encoded as a whole, is built in one pass: each name and value
 * encoded twice, joined by the encoded separators (%3D for =, %26 for &). Signing runs this on
 * every request, and building the query first and encoding it again cost half as much again.
 */
export function rpcStringToSign(method: string, params: ReadonlyMap<string, string>): string {
  let text = `${method.toUpperCase()}&%2F&`;
  let first = true;
  for (const key of sortedKeys(params)) {
    if (key === 'Signature') continue;
    text += `${first ? '' : '%26'}${encodedTwice(key)}%3D${encodedTwice(params.get(key) ?? '')}`;
    first = false;
  }
  return text;
}

export function rpcSignature(secret: string, stringToSign: string): string {
  return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}
