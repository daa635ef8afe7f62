// Signature V3 (ACS3-HMAC-SHA256, and its SM3 twin):
//   CanonicalRequest = METHOD \n URI \n sorted query \n canonical headers \n signed headers \n payload hash
//   StringToSign     = ALGORITHM \n hex(hash(CanonicalRequest))
//   Signature        = hex(HMAC(secret, StringToSign))
import { createHash, createHmac } from 'node:crypto';
import { percentEncode } from './percent-encode.js';

export const ACS3_ALGORITHMS = { 'ACS3-HMAC-SHA256': 'sha256', 'ACS3-HMAC-SM3': 'sm3' } as const;
export type Acs3Algorithm = keyof typeof ACS3_ALGORITHMS;

export function isAcs3Algorithm(name: string): name is Acs3Algorithm {
  return Object.hasOwn(ACS3_ALGORITHMS, name);
}

export interface Acs3Authorization {
  algorithm: Acs3Algorithm;
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export interface Acs3AuthorizationProblem {
  reason: string;
  /** The header names no AccessKeyId, which the gateway reports as MissingAccessKeyId. */
  missingCredential: boolean;
}

/** Parses `ACS3-HMAC-SHA256 Credential=<ak>,SignedHeaders=<a;b>,Signature=<hex>`. */
export function parseAcs3Authorization(header: string): Acs3Authorization | Acs3AuthorizationProblem {
  const problem = (reason: string, missingCredential = false) => ({ reason, missingCredential });
  const space = header.indexOf(' ');
  if (space < 0) return problem('the Authorization header has no credential part', true);
  const algorithm = header.slice(0, space);
  if (!isAcs3Algorithm(algorithm)) return problem(`the signature algorithm ${algorithm} is not supported`);
  const fields = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return problem(`the Authorization field "${part.trim()}" has no value`);
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return problem(`the Authorization field ${name} is repeated`);
    fields.set(name, part.slice(eq + 1).trim());
  }
  const accessKeyId = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!accessKeyId) return problem('the Authorization header has no Credential', true);
  if (!signedHeaders) return problem('the Authorization header has no SignedHeaders');
  if (!signature) return problem('the Authorization header has no Signature');
  return { algorithm, accessKeyId, signedHeaders: signedHeaders.split(';'), signature };
}

export function acs3Hash(algorithm: Acs3Algorithm, data: string | Buffer): string {
  return createHash(ACS3_ALGORITHMS[algorithm]).update(data).digest('hex');
}

export interface Acs3Request {
  method: string;
  /** The path as sent on the wire (already percent-encoded). */
  path: string;
  query: ReadonlyMap<string, string>;
  /** Lower-case header names, each with every value it was sent with. */
  headers: ReadonlyMap<string, readonly string[]>;
  signedHeaders: readonly string[];
  payloadHash: string;
}

export function acs3CanonicalRequest(req: Acs3Request): string {
  // Names are percent-encoded as well as values, as the specification says. The SDKs never send a
  // name that encoding changes, so their signatures are the same either way; left raw, a name
  // holding "=" or "&" (DurationSeconds=3600&Policy) would sign exactly like two parameters.
  const query = [...req.query.keys()]
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(req.query.get(key) ?? '')}`)
    .join('&');
  const names = [...req.signedHeaders].sort();
  // As the SDKs do: trim each value, sort repeats and join them with ','.
  const headers = names
    .map((name) => `${name}:${[...(req.headers.get(name) ?? [])].map((v) => v.trim()).sort().join(',')}\n`)
    .join('');
  const uri = req.path.replace(/\+/g, '%20').replace(/\*/g, '%2A').replace(/%7E/g, '~');
  return [req.method.toUpperCase(), uri, query, headers, names.join(';'), req.payloadHash].join('\n');
}

export function acs3StringToSign(algorithm: Acs3Algorithm, canonicalRequest: string): string {
  return `${algorithm}\n${acs3Hash(algorithm, canonicalRequest)}`;
}

export function acs3Signature(algorithm: Acs3Algorithm, secret: string, stringToSign: string): string {
  return createHmac(ACS3_ALGORITHMS[algorithm], secret).update(stringToSign, 'utf8').digest('hex');
}
