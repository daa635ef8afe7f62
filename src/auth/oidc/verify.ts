// An OIDC token (a JWT) checked against an IMS OIDC provider: signed by the issuer's keys with an
// asymmetric algorithm, issued by the provider's IssuerUrl for one of its ClientIds, not expired,
// not older than its IssuanceLimitTime, and naming a subject.
import { createLocalJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import type { OidcProviderRecord } from '../../store/index.js';
import { OidcErrors } from './errors.js';
import type { OidcKeySource } from './keys.js';

/**
 * Asymmetric signatures only. `none` and HS* are refused before any key is looked at: an HMAC
 * "signed" with the issuer's public key (which anyone can fetch) is the classic algorithm confusion.
 */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
const ALLOWED = new Set<string>(OIDC_ALGORITHMS);

/** Clock difference tolerated with the issuer, for exp, nbf and iat alike [U: not documented]. */
export const OIDC_CLOCK_SKEW_SECONDS = 60;
/** The documented bounds of the token (OIDCToken: 4 to 20,000 characters). */
export const OIDC_TOKEN_LENGTH = { min: 4, max: 20_000 } as const;
/** A subject longer than this would make session tokens too long for request headers [U]. */
const MAX_SUBJECT = 1024;

export interface VerifiedOidcToken {
  issuer: string;
  subject: string;
  /** The token's aud, as a list. */
  audiences: string[];
  /** The first of the audiences that is one of the provider's ClientIds (oidc:aud). */
  clientId: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) throw OidcErrors.encoding();
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw OidcErrors.content('the header is not JSON');
  }
}

/** The checks that need no key: three parts, a JSON header, an algorithm from the list. */
function readHeader(token: string): { alg: string; kid: string | undefined } {
  if (token === '') throw OidcErrors.empty();
  if (token.length < OIDC_TOKEN_LENGTH.min || token.length > OIDC_TOKEN_LENGTH.max) {
    throw OidcErrors.content(`the token must be ${OIDC_TOKEN_LENGTH.min} to ${OIDC_TOKEN_LENGTH.max} characters`);
  }
  const parts = token.split('.');
  if (parts.length !== 3) throw OidcErrors.parts();
  const header = decodeSegment(parts[0] ?? '');
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw OidcErrors.content('the header is not a JSON object');
  const { alg, kid } = header as Record<string, unknown>;
  if (typeof alg !== 'string' || !ALLOWED.has(alg)) throw OidcErrors.algorithm(typeof alg === 'string' ? alg : String(alg));
  if (kid !== undefined && typeof kid !== 'string') throw OidcErrors.content('kid is not a string');
  return { alg, kid };
}

/** jose's refusals as the real service's. */
function refusal(e: unknown, { alg, kid }: { alg: string; kid: string | undefined }): unknown {
  if (e instanceof errors.JWTExpired) return OidcErrors.expired(e.claim === 'iat' ? 'it was issued longer ago than the OIDC Provider\'s IssuanceLimitTime' : undefined);
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.reason === 'missing') return OidcErrors.content(`the "${e.claim}" claim is missing`);
    if (e.claim === 'iss') return OidcErrors.issuer();
    if (e.claim === 'aud') return OidcErrors.audience();
    if (e.claim === 'iat') return OidcErrors.content('it was issued in the future');
    if (e.claim === 'nbf') return OidcErrors.content('it is not valid yet (nbf)');
    return OidcErrors.content(`the "${e.claim}" claim is not valid`);
  }
  if (e instanceof errors.JWKSNoMatchingKey) return OidcErrors.signature(kid === undefined ? 'no key of the issuer fits' : `the issuer has no key ${kid}`);
  if (e instanceof errors.JWSSignatureVerificationFailed) return OidcErrors.signature();
  if (e instanceof errors.JOSEAlgNotAllowed) return OidcErrors.algorithm(alg);
  if (e instanceof errors.JWTInvalid || e instanceof errors.JWSInvalid) return OidcErrors.content(e.message);
  if (e instanceof errors.JOSEError) return OidcErrors.signature(e.message);
  return e;
}

const audiencesOf = (aud: JWTPayload['aud']): string[] => (aud === undefined ? [] : Array.isArray(aud) ? aud : [aud]);

export async function verifyOidcToken(given: string, provider: OidcProviderRecord, keys: OidcKeySource, nowMs: number): Promise<VerifiedOidcToken> {
  // A token file written with a final newline (`rampart oidc issue > token`) is sent with it by
  // the credentials SDK, which sends the file as it is [U: the real service's handling is not documented].
  const token = given.trim();
  const header = readHeader(token);
  const { kid } = header;
  const keySet = await keys.keysFor(provider, nowMs, kid);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, createLocalJWKSet(keySet), {
      algorithms: [...OIDC_ALGORITHMS],
      issuer: provider.issuerUrl,
      // A token may name several audiences: one of them must be a client id of the provider.
      audience: provider.clientIds,
      requiredClaims: ['exp', 'iat', 'sub'],
      maxTokenAge: provider.issuanceLimitTime * 3600,
      clockTolerance: OIDC_CLOCK_SKEW_SECONDS,
      currentDate: new Date(nowMs),
    }));
  } catch (e) {
    throw refusal(e, header);
  }
  const { iss, sub, aud, iat, exp } = payload;
  if (typeof sub !== 'string' || sub === '') throw OidcErrors.content('the "sub" claim is not a string');
  if (sub.length > MAX_SUBJECT) throw OidcErrors.content(`the "sub" claim is longer than ${MAX_SUBJECT} characters`);
  const audiences = audiencesOf(aud);
  const clientId = audiences.find((a) => provider.clientIds.includes(a));
  // jose has checked all of these; the checks here only give TypeScript the types.
  if (typeof iss !== 'string' || clientId === undefined || typeof iat !== 'number' || typeof exp !== 'number') throw OidcErrors.content();
  return { issuer: iss, subject: sub, audiences, clientId, issuedAt: iat, expiresAt: exp };
}
