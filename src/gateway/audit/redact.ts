// What never leaves the request path in clear: a SecurityToken is dropped, an AccessKeySecret
// masked (nothing of it kept: even a few characters narrow a guess), passwords and signatures
// dropped. Applied to everything handed to the audit trail.

// An MFA seed (and its QR code) is a secret for good; the codes that bind a device are secrets for a
// minute. An OIDC token or a SAML assertion is a bearer credential until it expires: only the
// claims it proved are kept (in the event's own fields), never the token. Rampart's IssueOIDCToken
// answers with one (OIDCToken, the same name): its event keeps the claims (Subject, Audience,
// TokenId, Expiration), never the token.
const DROP = new Set([
  'SecurityToken', 'Password', 'Signature', 'OldPassword', 'NewPassword', 'Base32StringSeed', 'QRCodePNG', 'AuthenticationCode1', 'AuthenticationCode2',
  'OIDCToken', 'SAMLAssertion',
]);
const MASK = new Set(['AccessKeySecret']);

export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (DROP.has(k)) continue;
    out[k] = MASK.has(k) && typeof v === 'string' ? '****' : redactSecrets(v);
  }
  return out;
}
