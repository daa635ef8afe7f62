// Why an OIDC token was refused, with the real STS codes, texts and status (401 for all of them).
// Sources: STS's error-code page (help.aliyun.com/zh/ram/developer-reference/api-sts-2015-04-01-errorcodes)
// and ACK's RRSA troubleshooting table (help.aliyun.com/zh/ack/…/use-rrsa-to-authorize-pods-to-access-different-cloud-services).
// Rampart appends its own reason in parentheses where the real text says too little to act on.
import { ApiError } from '../../model/index.js';

const refused = (code: string, message: string, reason?: string) => new ApiError(code, reason === undefined ? message : `${message} (${reason})`, 401);

export const OidcErrors = {
  empty: () => refused('AuthenticationFail.OIDCToken.Invalid', 'The OIDCToken can not empty.'),
  parts: () => refused('AuthenticationFail.OIDCToken.Invalid', "The number of Jwt field should be divided into 3 parts with '.' ."),
  encoding: () => refused('AuthenticationFail.OIDCToken.Invalid', 'Cannot decode base64 encoded response(format invalided).'),
  /** `none`, HS256 (an HMAC keyed with the issuer's public key: algorithm confusion) and anything not asymmetric. */
  algorithm: (alg: string) => refused('AuthenticationFail.OIDCToken.Invalid', `The algorithm ${alg} that be specified in Jwt header is unknown.`),
  content: (reason?: string) => refused('AuthenticationFail.OIDCToken.Invalid', 'The Jwt content is invalid that cannot be recognized.', reason),
  signature: (reason?: string) => refused('AuthenticationFail.OIDCToken.InvalidSignature', 'OIDC token validate failed: invalid signature.', reason),
  expired: (reason?: string) => refused('AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.', reason),
  audience: () => refused('AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.'),
  issuer: () => refused('AuthenticationFail.OIDCToken.IssuerNotMatch', "The issuer in the OIDC Token doesn't match the OIDC Provider registered."),
  /** The issuer's keys could not be had: unreachable, a bad answer, a bad discovery document. */
  keysUnavailable: (issuer: string, reason: string) =>
    refused('AuthenticationFail.OIDCToken.IssuerConfigurationBroken', `Get public keys from OIDC Provider failed, the issuer is ${issuer}.`, reason),
  /** The issuer's https certificate did not verify against the trusted CAs. */
  certificateChain: (url: string) => refused('AuthenticationFail.OIDCToken.HttpsUrlInvalid', 'Invoke url failed due to certificate chain validation', url),
  /** The code is the real one (seen by the official SDKs' integration tests); the text is ours [U]. */
  fingerprint: (url: string) =>
    refused('AuthenticationFail.OIDCToken.PublicKeyFingerprintMismatch', `No certificate of ${url} has a fingerprint of the OIDC Provider's Fingerprints.`),
};
