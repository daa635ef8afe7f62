// Who signed an OSS request: V1, V2 or V4 Authorization header, a V1, V2 or V4 presigned URL, or
// a PostObject form. Credentials (long-term or STS, with the token in the x-oss-security-token
// header, the security-token / x-oss-security-token query, or the form) go through the same
// verifier as the API.
import { ApiError, type Principal } from '../../model/index.js';
import { signaturesEqual } from '../constant-time.js';
import type { CredentialSource } from '../credentials.js';
import {
  ossV1Signature,
  ossV1StringToSign,
  ossV4CanonicalRequest,
  ossV4Signature,
  ossV4StringToSign,
  ossV2Signature,
  ossV2StringToSign,
  parseOssV2Authorization,
  parseOssV4Credential,
  type QueryPairs,
} from './signature.js';
import { fromApiError, OssAuthErrors as OssErrors } from './errors.js';
import { ARGUMENTS } from './vocabulary.js';

/** What an OSS signature covers, as the OSS codec reads it: bucket and key from either addressing style. */
export interface OssSignedRequest {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryPairs;
  /** First value of each query parameter. */
  params: ReadonlyMap<string, string | undefined>;
  headers: ReadonlyMap<string, string>;
}

const MAX_SKEW_MS = 15 * 60 * 1000;

export interface OssAuthDeps {
  credentials: CredentialSource;
  now: () => number;
}

async function credential(deps: OssAuthDeps, accessKeyId: string, token: string | undefined) {
  try {
    return await deps.credentials.resolve(accessKeyId, token, deps.now());
  } catch (e) {
    if (e instanceof ApiError) throw fromApiError(e, accessKeyId);
    throw e;
  }
}

/**
 * A header value as the client signed it. HTTP carries bytes; Node hands each byte over as one
 * Latin-1 character, while a client signs the text those bytes spell in UTF-8 (x-oss-meta-* in
 * Chinese, say), so non-ASCII values are read back as UTF-8 for the string to sign.
 */
function asSigned(value: string): string {
  return /[\x80-\xff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
}

/** Every header, by lower-case name, as the client signed it. */
function signedHeaders(req: OssSignedRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of req.headers) out.set(k, asSigned(v));
  return out;
}

function ossHeaders(req: OssSignedRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of req.headers) if (k.startsWith('x-oss-')) out.set(k, asSigned(v));
  return out;
}

/**
 * The resources a V1 signature may cover: /bucket/key, or for the bucket itself /bucket/ (as
 * ali-oss and the OSS reference write it) or /bucket (as the older aliyun-sdk does, and OSS takes).
 */
function resourcesOf(req: OssSignedRequest): string[] {
  if (req.bucket === undefined) return ['/'];
  return req.key === undefined ? [`/${req.bucket}/`, `/${req.bucket}`] : [`/${req.bucket}/${req.key}`];
}

/** The first string to sign whose signature is the one provided; the first of all if none is. */
function matching(stringsToSign: readonly string[], sign: (sts: string) => string, provided: string): { sts: string; ok: boolean } {
  for (const sts of stringsToSign) if (signaturesEqual(sign(sts), provided)) return { sts, ok: true };
  return { sts: stringsToSign[0] ?? '', ok: false };
}

function checkSkew(deps: OssAuthDeps, ms: number): void {
  if (Number.isNaN(ms) || Math.abs(ms - deps.now()) > MAX_SKEW_MS) throw OssErrors.requestTimeTooSkewed();
}

/** yyyymmddTHHMMSSZ → ms */
function parseV4Date(t: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(t);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
}

async function v1Header(req: OssSignedRequest, deps: OssAuthDeps, header: string): Promise<Principal> {
  const m = /^OSS ([^:\s]+):(\S+)$/.exec(header);
  if (!m) throw OssErrors.invalidArgument('Authorization header is invalid.', 'Authorization', header);
  const [, accessKeyId = '', provided = ''] = m;
  const date = req.headers.get('date') ?? req.headers.get('x-oss-date') ?? '';
  checkSkew(deps, Date.parse(date));
  const cred = await credential(deps, accessKeyId, req.headers.get('x-oss-security-token'));
  verifyV1(req, cred.secret, date, provided, accessKeyId);
  return cred.principal;
}

/** V1, in a header or a presigned URL (where Expires stands where the Date does). */
function verifyV1(req: OssSignedRequest, secret: string, date: string, provided: string, accessKeyId: string): void {
  const headers = ossHeaders(req);
  const candidates = resourcesOf(req).map((resource) =>
    ossV1StringToSign({
      method: req.method,
      contentMd5: req.headers.get('content-md5') ?? '',
      contentType: asSigned(req.headers.get('content-type') ?? ''),
      date,
      ossHeaders: headers,
      resource,
      query: req.query,
    }),
  );
  const { sts, ok } = matching(candidates, (text) => ossV1Signature(secret, text), provided);
  if (!ok) throw OssErrors.signatureDoesNotMatch(sts, provided, accessKeyId);
}

/**
 * V4: the credential scope must be the request's own: its day that of x-oss-date and its product
 * oss (checked here), its region the bucket's (checked by the front door once the bucket is known).
 */
async function v4(req: OssSignedRequest, deps: OssAuthDeps, fields: { credential: string; signature: string; additional: string[]; date: string; token: string | undefined }): Promise<OssCaller> {
  const scope = parseOssV4Credential(fields.credential);
  if (!scope) throw OssErrors.invalidArgument('Credential is invalid.', 'Credential', fields.credential);
  if (scope.day !== fields.date.slice(0, 8)) throw OssErrors.invalidSigningScope('date', scope.day);
  if (scope.product !== 'oss') throw OssErrors.invalidSigningScope('product', scope.product);
  const cred = await credential(deps, scope.accessKeyId, fields.token);
  const input = { method: req.method, bucket: req.bucket, key: req.key, query: req.query, headers: signedHeaders(req), additionalHeaders: fields.additional };
  const candidates = [ossV4CanonicalRequest(input)];
  // Arguments sent empty ("marker=") were signed by ali-oss as it held them: absent (undefined,
  // which it sends all the same), "k=" (an empty string) or the bare key (null). An empty
  // argument changes nothing an operation does, so any of the three may stand.
  const empty = new Set(req.query.filter(([k, v]) => (v === undefined || v === '') && ARGUMENTS.has(k)).map(([k]) => k));
  if (empty.size > 0) {
    candidates.push(ossV4CanonicalRequest({ ...input, query: req.query.filter(([k]) => !empty.has(k)) }));
    candidates.push(ossV4CanonicalRequest({ ...input, emptyAsEquals: empty }));
  }
  const { sts, ok } = matching(
    candidates.map((c) => ossV4StringToSign(fields.date, scope.scope, c)),
    (text) => ossV4Signature(cred.secret, scope.day, scope.region, scope.product, text),
    fields.signature,
  );
  if (!ok) throw OssErrors.signatureDoesNotMatch(sts, fields.signature, scope.accessKeyId);
  return { principal: cred.principal, signingRegion: scope.region };
}

async function v4Header(req: OssSignedRequest, deps: OssAuthDeps, header: string): Promise<OssCaller> {
  const fields = new Map<string, string>();
  for (const part of header.slice('OSS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credentialText = fields.get('Credential');
  const signature = fields.get('Signature');
  if (!credentialText || !signature) throw OssErrors.invalidArgument('Authorization header is invalid.', 'Authorization', header);
  const date = req.headers.get('x-oss-date') ?? '';
  checkSkew(deps, parseV4Date(date));
  const additional = (fields.get('AdditionalHeaders') ?? '').split(';').filter((h) => h !== '').map((h) => h.toLowerCase());
  return v4(req, deps, { credential: credentialText, signature, additional, date, token: req.headers.get('x-oss-security-token') });
}

async function presignedV1(req: OssSignedRequest, deps: OssAuthDeps): Promise<Principal> {
  const accessKeyId = req.params.get('OSSAccessKeyId') ?? '';
  const expires = req.params.get('Expires') ?? '';
  const provided = req.params.get('Signature') ?? '';
  if (!/^\d{1,12}$/.test(expires)) throw OssErrors.invalidArgument('Expires is invalid.', 'Expires', expires);
  if (Number(expires) * 1000 < deps.now()) throw OssErrors.expiredUrl();
  const cred = await credential(deps, accessKeyId, req.params.get('security-token'));
  verifyV1(req, cred.secret, expires, provided, accessKeyId);
  return cred.principal;
}

async function presignedV4(req: OssSignedRequest, deps: OssAuthDeps): Promise<OssCaller> {
  const date = req.params.get('x-oss-date') ?? '';
  const expires = Number(req.params.get('x-oss-expires') ?? 'NaN');
  const issued = parseV4Date(date);
  if (Number.isNaN(issued) || !Number.isInteger(expires) || expires < 1 || expires > 7 * 24 * 3600) throw OssErrors.invalidArgument('x-oss-date or x-oss-expires is invalid.');
  // A URL dated ahead of the clock would outlive the seven-day cap by as much: refused beyond the
  // same 15 minutes of skew a signed header is allowed.
  if (issued - deps.now() > MAX_SKEW_MS) throw OssErrors.requestTimeTooSkewed();
  if (issued + expires * 1000 < deps.now()) throw OssErrors.expiredUrl();
  const additional = (req.params.get('x-oss-additional-headers') ?? '').split(';').filter((h) => h !== '');
  return v4(req, deps, {
    credential: req.params.get('x-oss-credential') ?? '',
    signature: req.params.get('x-oss-signature') ?? '',
    additional,
    date,
    token: req.params.get('x-oss-security-token'),
  });
}

/** V2 in a header or a presigned URL: the Date (or x-oss-expires) line, every parameter signed. */
async function v2(req: OssSignedRequest, deps: OssAuthDeps, fields: { accessKeyId: string; signature: string; additional: string[]; date: string; token: string | undefined }): Promise<Principal> {
  const cred = await credential(deps, fields.accessKeyId, fields.token);
  const input = {
    method: req.method,
    contentMd5: req.headers.get('content-md5') ?? '',
    contentType: asSigned(req.headers.get('content-type') ?? ''),
    date: fields.date,
    headers: signedHeaders(req),
    additionalHeaders: fields.additional,
    bucket: req.bucket,
    key: req.key,
    query: req.query,
  };
  // Clients disagree on an empty value: the bare key (Python, Go, Java) or "k=" (the Tea client).
  const candidates = [ossV2StringToSign(input)];
  if (req.query.some(([, v]) => v === '')) candidates.push(ossV2StringToSign({ ...input, emptyAsEquals: true }));
  const { sts, ok } = matching(candidates, (text) => ossV2Signature(cred.secret, text), fields.signature);
  if (!ok) throw OssErrors.signatureDoesNotMatch(sts, fields.signature, fields.accessKeyId);
  return cred.principal;
}

async function v2Header(req: OssSignedRequest, deps: OssAuthDeps, header: string): Promise<Principal> {
  const parsed = parseOssV2Authorization(header);
  if (!parsed) throw OssErrors.invalidArgument('Authorization header is invalid.', 'Authorization', header);
  checkSkew(deps, Date.parse(req.headers.get('date') ?? req.headers.get('x-oss-date') ?? ''));
  return v2(req, deps, { ...parsed, additional: parsed.additionalHeaders, date: req.headers.get('date') ?? '', token: req.headers.get('x-oss-security-token') });
}

async function presignedV2(req: OssSignedRequest, deps: OssAuthDeps): Promise<Principal> {
  const expires = req.params.get('x-oss-expires') ?? '';
  if (!/^\d{1,12}$/.test(expires)) throw OssErrors.invalidArgument('x-oss-expires is invalid.', 'x-oss-expires', expires);
  if (Number(expires) * 1000 < deps.now()) throw OssErrors.expiredUrl();
  const additional = (req.params.get('x-oss-additional-headers') ?? '').split(';').filter((h) => h !== '');
  return v2(req, deps, {
    accessKeyId: req.params.get('x-oss-access-key-id') ?? '',
    signature: req.params.get('x-oss-signature') ?? '',
    additional,
    date: expires,
    token: req.params.get('security-token'),
  });
}

/** Who signed, and for V4 the region the signature was scoped to. */
export interface OssCaller {
  principal: Principal;
  signingRegion?: string;
}

/** undefined for an anonymous request. */
export async function authenticateOss(req: OssSignedRequest, deps: OssAuthDeps): Promise<OssCaller | undefined> {
  // The body is never hashed into a signature here: only UNSIGNED-PAYLOAD is accepted, so a
  // declared digest can never stand for a body nobody compared it with.
  const sha256 = req.headers.get('x-oss-content-sha256');
  if (sha256 !== undefined && sha256 !== 'UNSIGNED-PAYLOAD') throw OssErrors.invalidContentSha256(sha256);
  const authorization = req.headers.get('authorization');
  if (authorization !== undefined) {
    if (authorization.startsWith('OSS4-HMAC-SHA256 ')) return v4Header(req, deps, authorization);
    if (authorization.startsWith('OSS2 ')) return { principal: await v2Header(req, deps, authorization) };
    if (authorization.startsWith('OSS ')) return { principal: await v1Header(req, deps, authorization) };
    // OSS's S3-compatible signatures (AWS, AWS4-HMAC-SHA256) are a real way in that is not implemented.
    if (/^AWS4?(-HMAC-SHA256)? /.test(authorization)) throw OssErrors.notImplemented('Authorization');
    throw OssErrors.invalidArgument('Authorization header is invalid.', 'Authorization', authorization);
  }
  if (req.params.has('X-Amz-Signature') || req.params.has('AWSAccessKeyId')) throw OssErrors.notImplemented('X-Amz-Signature');
  if (req.params.has('OSSAccessKeyId') || req.params.has('Signature')) return { principal: await presignedV1(req, deps) };
  if (req.params.get('x-oss-signature-version') === 'OSS4-HMAC-SHA256') return presignedV4(req, deps);
  if (req.params.get('x-oss-signature-version') === 'OSS2') return { principal: await presignedV2(req, deps) };
  return undefined;
}

/**
 * PostObject: the form's policy is what is signed, with V1 (OSSAccessKeyId + Signature, base64
 * HMAC-SHA1 over the base64 policy) or V4 (x-oss-credential + x-oss-signature, hex HMAC-SHA256 with
 * the V4 signing key over the base64 policy). A V4 form's region is checked by the front door once
 * the bucket is known, as a V4 header's is.
 */
export async function authenticatePostForm(deps: OssAuthDeps, fields: ReadonlyMap<string, string>): Promise<OssCaller> {
  const v4 = fields.has('x-oss-signature-version') || fields.has('x-oss-credential') || fields.has('x-oss-signature');
  // A form that carries both signatures would be judged by one and could smuggle the other. [U]
  if (v4 && (fields.has('ossaccesskeyid') || fields.has('signature'))) throw OssErrors.invalidArgument('A form upload is signed with either V1 (OSSAccessKeyId, Signature) or V4 (x-oss-credential, x-oss-signature), not both.');
  if (v4) return postFormV4(deps, fields);
  const accessKeyId = fields.get('ossaccesskeyid') ?? '';
  const policy = fields.get('policy') ?? '';
  const provided = fields.get('signature') ?? '';
  if (!accessKeyId || !policy || !provided) throw OssErrors.invalidArgument('OSSAccessKeyId, policy and Signature are required for a signed form upload.');
  const cred = await credential(deps, accessKeyId, fields.get('x-oss-security-token'));
  if (!signaturesEqual(ossV1Signature(cred.secret, policy), provided)) throw OssErrors.signatureDoesNotMatch(policy, provided, accessKeyId);
  return { principal: cred.principal };
}

/** How long after its x-oss-date a V4 form may be used at most, whatever its policy's expiration says. */
const MAX_FORM_AGE_MS = 7 * 24 * 3600 * 1000;

/**
 * A V4 form. OSS documents x-oss-date as allowed 15 minutes of skew, a request no older than seven
 * days from it, and the same day as the credential scope; within that, the policy's expiration
 * governs (checked with the policy's conditions). The form fields a V4 signature rests on are not
 * themselves signed, only the policy is: so the policy must name each of them with its exact value.
 */
async function postFormV4(deps: OssAuthDeps, fields: ReadonlyMap<string, string>): Promise<OssCaller> {
  const version = fields.get('x-oss-signature-version') ?? '';
  if (version !== 'OSS4-HMAC-SHA256') throw OssErrors.invalidArgument('x-oss-signature-version must be OSS4-HMAC-SHA256.', 'x-oss-signature-version', version);
  const credentialText = fields.get('x-oss-credential') ?? '';
  const date = fields.get('x-oss-date') ?? '';
  const provided = fields.get('x-oss-signature') ?? '';
  const policy = fields.get('policy') ?? '';
  if (!credentialText || !date || !provided || !policy) throw OssErrors.invalidArgument('x-oss-credential, x-oss-date, x-oss-signature and policy are required for a V4-signed form upload.');
  const scope = parseOssV4Credential(credentialText);
  if (!scope) throw OssErrors.invalidArgument('x-oss-credential is invalid.', 'x-oss-credential', credentialText);
  const issued = parseV4Date(date);
  if (Number.isNaN(issued)) throw OssErrors.invalidArgument('x-oss-date is invalid.', 'x-oss-date', date);
  if (scope.day !== date.slice(0, 8)) throw OssErrors.invalidSigningScope('date', scope.day);
  if (scope.product !== 'oss') throw OssErrors.invalidSigningScope('product', scope.product);
  // Dated ahead of the clock by more than the skew allowed, or older than seven days. [U: the
  // documented "15 minutes backward" read as the client's clock running at most 15 minutes fast]
  if (issued - deps.now() > MAX_SKEW_MS) throw OssErrors.requestTimeTooSkewed();
  if (deps.now() - issued > MAX_FORM_AGE_MS) throw OssErrors.expiredUrl();
  const token = fields.get('x-oss-security-token');
  const cred = await credential(deps, scope.accessKeyId, token);
  const expected = ossV4Signature(cred.secret, scope.day, scope.region, scope.product, policy);
  if (!signaturesEqual(expected, provided.toLowerCase())) throw OssErrors.signatureDoesNotMatch(policy, provided, scope.accessKeyId);
  requireBoundByPolicy(policy, fields, ['x-oss-signature-version', 'x-oss-credential', 'x-oss-date', ...(token !== undefined ? ['x-oss-security-token'] : [])]);
  return { principal: cred.principal, signingRegion: scope.region };
}

/** The real service's answer to a policy it cannot accept. */
const invalidPolicy = (why: string) => new ApiError('InvalidPolicyDocument', `Invalid Policy: ${why}`, 400);

/**
 * Each of the named fields must be pinned by the signed policy to the value the form carries, by an
 * exact-match condition ({"x-oss-date": "…"} or ["eq", "$x-oss-date", "…"]). Everything else in
 * the policy is checked with the operation (services/oss/post-policy.ts).
 */
function requireBoundByPolicy(policyB64: string, fields: ReadonlyMap<string, string>, names: readonly string[]): void {
  let conditions: unknown;
  try {
    conditions = (JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8')) as { conditions?: unknown } | null)?.conditions;
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (!Array.isArray(conditions)) throw invalidPolicy('Invalid conditions: they must be a list.');
  const pinned = new Map<string, unknown[]>();
  const pin = (name: string, value: unknown) => {
    const key = name.replace(/^\$/, '').toLowerCase();
    pinned.set(key, [...(pinned.get(key) ?? []), value]);
  };
  for (const c of conditions as unknown[]) {
    if (Array.isArray(c)) {
      if (c[0] === 'eq' && typeof c[1] === 'string' && c[1].startsWith('$')) pin(c[1], c[2]);
    } else if (c !== null && typeof c === 'object') {
      for (const [name, value] of Object.entries(c)) pin(name, value);
    }
  }
  for (const name of names) {
    const values = pinned.get(name);
    // [U] the real service's wording for a V4 form whose policy leaves a signature field out.
    if (values === undefined) throw invalidPolicy(`A V4-signed form's policy must contain the condition {"${name}": "…"}.`);
    const actual = fields.get(name);
    for (const value of values) {
      if (value !== actual) throw new ApiError('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(['eq', `$${name}`, value])}`, 403);
    }
  }
}
