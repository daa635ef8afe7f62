// Rampart (2026-11-01) IssueOIDCToken: an OIDC token from Rampart's own issuer, for a workload of
// the caller's account (a CI runner, a job on a host with no identity provider), to exchange with
// AssumeRoleWithOIDC. No real service has this action; it is decided, audited and refused like
// every other (rampart:IssueOIDCToken on acs:rampart::<account>:oidc-issuer).
//
// Rampart is one issuer for every account, so the subject is the caller's account's:
// sub = account:<AccountId>:<Subject>. A role that trusts Rampart's issuer and conditions on
// oidc:sub cannot be satisfied by another account's caller, whatever Subject it asks for.
import { isoSeconds } from '../../model/index.js';
import { accountSubject, MAX_OIDC_TOKEN_SECONDS, MIN_OIDC_TOKEN_SECONDS, OIDC_AUDIENCE, OIDC_SUBJECT } from '../../tokens/index.js';
import { action } from '../action.js';
import { integer, optional, string } from '../params.js';

export const IssueOIDCToken = action({
  name: 'IssueOIDCToken',
  permission: 'rampart:IssueOIDCToken',
  resource: (_p, caller) => `acs:rampart::${caller.accountId}:oidc-issuer`,
  // A credential comes into being: recorded as a write, with what it says (never the token itself).
  rw: 'Write',
  params: {
    Subject: string({ min: 1, max: 256, pattern: OIDC_SUBJECT.pattern, patternText: OIDC_SUBJECT.text }),
    Audience: string({ min: 1, max: 128, pattern: OIDC_AUDIENCE.pattern, patternText: OIDC_AUDIENCE.text }),
    DurationSeconds: optional(integer({ min: MIN_OIDC_TOKEN_SECONDS, max: MAX_OIDC_TOKEN_SECONDS }), 3600),
  },
  handle: async (p, { caller, request, services }) => {
    const { token, kid, claims } = await services.oidcIssuer.issue({
      subject: accountSubject(caller.accountId, p.Subject),
      audience: p.Audience,
      ttlSeconds: p.DurationSeconds,
      now: request.now.getTime(),
    });
    return {
      OIDCToken: token,
      Issuer: claims.iss,
      Subject: claims.sub,
      Audience: claims.aud,
      TokenId: claims.jti,
      KeyId: kid,
      Expiration: isoSeconds(new Date(claims.exp * 1000)),
    };
  },
});
