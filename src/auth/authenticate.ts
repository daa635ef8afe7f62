// Proves who signed an API request: RPC v1 (signature in the parameters) or V3 (ACS3-* in the
// Authorization header). Order: shape of the request, time stamp, credential, signature, and
// only then the nonce, so a forged request cannot use up a real client's nonce.
import { ApiError, CommonErrors, type Principal } from '../model/index.js';
import {
  acs3CanonicalRequest,
  acs3Hash,
  acs3Signature,
  acs3StringToSign,
  parseAcs3Authorization,
} from './acs3-signature.js';
import { signaturesEqual } from './constant-time.js';
import type { CredentialSource } from './credentials.js';
import type { NonceCache } from './nonce-cache.js';
import { rpcSignature, rpcStringToSign } from './rpc-signature.js';
import { isWithinSkew, parseIsoUtc } from './timestamp.js';

export interface SignedRequest {
  method: string;
  /** The path exactly as sent (still percent-encoded). */
  path: string;
  /** Query-string parameters, decoded. */
  query: ReadonlyMap<string, string>;
  /** Query and form-body parameters together, decoded. */
  params: ReadonlyMap<string, string>;
  /** Lower-case names, every value each was sent with. */
  headers: ReadonlyMap<string, readonly string[]>;
  body: Buffer;
}

export interface AuthDeps {
  credentials: CredentialSource;
  nonces: NonceCache;
  /** Milliseconds since the epoch; injected so tests control time. */
  now: () => number;
}

export interface Authenticated {
  principal: Principal;
  signatureStyle: 'rpc' | 'acs3';
}

export function header(req: SignedRequest, name: string): string | undefined {
  const values = req.headers.get(name);
  return values === undefined ? undefined : values.join(',');
}

export function signatureStyle(req: SignedRequest): 'rpc' | 'acs3' {
  return header(req, 'authorization') === undefined ? 'rpc' : 'acs3';
}

export async function authenticate(req: SignedRequest, deps: AuthDeps): Promise<Authenticated> {
  return signatureStyle(req) === 'rpc'
    ? { principal: await authenticateRpc(req, deps), signatureStyle: 'rpc' }
    : { principal: await authenticateAcs3(req, deps), signatureStyle: 'acs3' };
}

function requireParam(req: SignedRequest, name: string): string {
  const value = req.params.get(name);
  if (value === undefined || value === '') throw CommonErrors.missing(name);
  return value;
}

function checkTimestamp(text: string, nowMs: number): number {
  const ms = parseIsoUtc(text);
  if (ms === undefined) throw CommonErrors.timestampFormat();
  if (!isWithinSkew(ms, nowMs)) throw CommonErrors.timestampExpired();
  return ms;
}

async function claimNonce(deps: AuthDeps, accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<void> {
  if (!(await deps.nonces.claim(accessKeyId, nonce, requestMs, nowMs))) throw CommonErrors.nonceUsed();
}

async function authenticateRpc(req: SignedRequest, deps: AuthDeps): Promise<Principal> {
  const accessKeyId = requireParam(req, 'AccessKeyId');
  const signature = requireParam(req, 'Signature');
  const method = requireParam(req, 'SignatureMethod');
  if (method !== 'HMAC-SHA1') throw CommonErrors.invalidSignatureMethod('SignatureMethod', method);
  const version = requireParam(req, 'SignatureVersion');
  if (version !== '1.0') throw CommonErrors.invalidSignatureMethod('SignatureVersion', version);
  const nonce = requireParam(req, 'SignatureNonce');
  const nowMs = deps.now();
  const requestMs = checkTimestamp(requireParam(req, 'Timestamp'), nowMs);

  const credential = await deps.credentials.resolve(accessKeyId, req.params.get('SecurityToken'), nowMs);
  const stringToSign = rpcStringToSign(req.method, req.params);
  if (!signaturesEqual(rpcSignature(credential.secret, stringToSign), signature)) {
    throw CommonErrors.rpcSignatureMismatch(stringToSign);
  }
  await claimNonce(deps, accessKeyId, nonce, requestMs, nowMs);
  return credential.principal;
}

async function authenticateAcs3(req: SignedRequest, deps: AuthDeps): Promise<Principal> {
  const parsed = parseAcs3Authorization(header(req, 'authorization') ?? '');
  if ('reason' in parsed) {
    if (parsed.missingCredential) throw CommonErrors.missing('AccessKeyId');
    throw CommonErrors.incompleteSignature(`Authorization: ${parsed.reason}.`);
  }
  const signed = new Set(parsed.signedHeaders);
  if (!signed.has('host')) throw CommonErrors.incompleteSignature('SignedHeaders must include host.');
  for (const name of req.headers.keys()) {
    // Every x-acs-* header the request carries must be covered, so none can be swapped in transit.
    if (name.startsWith('x-acs-') && !signed.has(name)) {
      throw CommonErrors.incompleteSignature(`SignedHeaders must include ${name}.`);
    }
  }
  for (const name of signed) {
    if (!req.headers.has(name)) throw CommonErrors.incompleteSignature(`The signed header ${name} is not in the request.`);
  }
  // Form-body parameters are covered by the body hash only as bytes: whether those bytes are read
  // as parameters is the Content-Type's to say, so it must be signed too (the SDKs sign it).
  if (req.params.size !== req.query.size && !signed.has('content-type')) {
    throw CommonErrors.incompleteSignature('SignedHeaders must include content-type when the body carries parameters.');
  }
  const dateText = header(req, 'x-acs-date');
  if (dateText === undefined || dateText === '') throw new ApiError('MissingTimestamp', 'x-acs-date is mandatory for this action.', 400);
  const nonce = header(req, 'x-acs-signature-nonce');
  if (nonce === undefined || nonce === '') throw CommonErrors.missing('SignatureNonce');
  const nowMs = deps.now();
  const requestMs = checkTimestamp(dateText, nowMs);

  const bodyHash = acs3Hash(parsed.algorithm, req.body);
  const declaredHash = header(req, 'x-acs-content-sha256');
  // [U] The real gateway's answer to a wrong body hash was not found; the body is what the
  // signature must cover, so a declared hash that differs is refused outright.
  if (declaredHash !== undefined && declaredHash.toLowerCase() !== bodyHash) {
    throw CommonErrors.incompleteSignature('x-acs-content-sha256 does not match the request body.');
  }
  const token = header(req, 'x-acs-security-token');
  const credential = await deps.credentials.resolve(parsed.accessKeyId, token, nowMs);
  const stringToSign = acs3StringToSign(
    parsed.algorithm,
    acs3CanonicalRequest({
      method: req.method,
      path: req.path,
      query: req.query,
      headers: req.headers,
      signedHeaders: parsed.signedHeaders,
      payloadHash: declaredHash ?? bodyHash,
    }),
  );
  if (!signaturesEqual(acs3Signature(parsed.algorithm, credential.secret, stringToSign), parsed.signature.toLowerCase())) {
    throw CommonErrors.acs3SignatureMismatch(stringToSign);
  }
  await claimNonce(deps, parsed.accessKeyId, nonce, requestMs, nowMs);
  return credential.principal;
}
