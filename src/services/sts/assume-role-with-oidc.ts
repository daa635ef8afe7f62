// AssumeRoleWithOIDC: temporary credentials for a role, in exchange for an OIDC token of an
// identity provider the role's account registered (IMS). Called without credentials: the token is
// the proof. The role's trust policy must admit the provider, on the token's iss, aud and sub.
import { requestContext } from '../../access/index.js';
import { OidcErrors, verifyOidcToken } from '../../auth/oidc/index.js';
import { subjectAccount } from '../../tokens/index.js';
import { ANONYMOUS, ApiError, arn, isoSeconds, type SessionSource } from '../../model/index.js';
import { action } from '../action.js';
import { custom, optional, string } from '../params.js';
import { roleArn, roleSessionName, sessionDuration } from './assume-role.js';
import { StsErrors, stsInvalid } from './errors.js';
import { credentialsAnswer, issueSession } from './issue.js';
import { checkSessionPolicy } from './session-policy.js';

export interface OidcProviderArn {
  text: string;
  accountId: string;
  name: string;
}

/** acs:ram::<uid>:oidc-provider/<name> (the region may be empty or *); names as IMS allows them. */
const oidcProviderArn = () =>
  custom((raw, name): OidcProviderArn => {
    const m = /^acs:ram:\*?:(\d{1,32}):oidc-provider\/([A-Za-z0-9._-]{1,128})$/.exec(raw);
    if (!m) throw stsInvalid(name, 'expected acs:ram::<account>:oidc-provider/<name>', 'format');
    return { text: raw, accountId: m[1] ?? '', name: m[2] ?? '' };
  });

/**
 * The token is read whole by the verifier; only its absence is a parameter matter, and the real
 * service calls that an empty token.
 */
const oidcToken = () => custom((raw) => raw, { missing: () => OidcErrors.empty() });

/** The real texts (STS error codes; ACK's RRSA troubleshooting table). */
const OidcStsErrors = {
  noSuchProvider: () => new ApiError('AuthenticationFail.NoPermission', 'No such OIDC Provider registered.', 401),
  /** The trust policy does not admit the token's provider, issuer, audience or subject. */
  notTrusted: () => new ApiError('AuthenticationFail.NoPermission', 'There is no permission', 401),
  /** The real text names the role: "The role not exists: acs:ram::<uid>:role/<name>. " (status [U]: 404 as AssumeRole's). */
  roleNotFound: (roleArnText: string) => new ApiError('EntityNotExist.Role', `The role not exists: ${roleArnText}. `, 404),
};

export const AssumeRoleWithOIDC = action({
  name: 'AssumeRoleWithOIDC',
  anonymous: true,
  rw: 'Write',
  // The event is about the role, and lands in the role's account.
  resource: (p) => arn.ramRole(p.RoleArn.accountId, p.RoleArn.roleName),
  params: {
    OIDCProviderArn: oidcProviderArn(),
    RoleArn: roleArn(),
    OIDCToken: oidcToken(),
    Policy: optional(string({ min: 1 })),
    DurationSeconds: sessionDuration(),
    // Required, as documented (the real metadata: required: true); the credentials SDK always sends one.
    RoleSessionName: roleSessionName(),
  },
  handle: async (p, { request, services }) => {
    const nowMs = request.now.getTime();
    if (p.Policy !== undefined) checkSessionPolicy(p.Policy);
    // The rate is the role's account's: nobody else is calling.
    if (!(await services.assumeRoleLimiter.take(p.RoleArn.accountId, nowMs))) throw StsErrors.throttled();

    // A role trusts providers of its own account only (a trust policy naming another account's
    // provider admits nobody) [U, as AWS].
    const provider = p.OIDCProviderArn.accountId === p.RoleArn.accountId ? await services.store.federation.getOidcProvider(p.OIDCProviderArn.accountId, p.OIDCProviderArn.name) : undefined;
    if (provider === undefined) throw OidcStsErrors.noSuchProvider();
    // The token before the role: a caller without a good token learns nothing of the account's roles.
    const token = await verifyOidcToken(p.OIDCToken, provider, services.oidcKeys, nowMs);
    // Rampart's own issuer serves every account: a subject it issued to one account (through
    // IssueOIDCToken, account:<uid>:…) is good for that account's roles only, whatever a trust
    // policy forgot to check. The operator's subjects (rampart oidc issue) carry no account.
    const owner = token.issuer === services.oidcIssuer.issuer ? subjectAccount(token.subject) : undefined;
    if (owner !== undefined && owner !== provider.accountId) throw OidcStsErrors.notTrusted();

    const role = await services.store.ram.getRole(p.RoleArn.accountId, p.RoleArn.roleName);
    if (role === undefined) throw OidcStsErrors.roleNotFound(arn.ramRole(p.RoleArn.accountId, p.RoleArn.roleName));
    if (p.DurationSeconds > role.maxSessionDuration) throw StsErrors.duration(role.maxSessionDuration);

    // The provider as stored (its name is looked up without regard to case): the trust policy names that.
    const providerArn = `acs:ram::${provider.accountId}:oidc-provider/${provider.name}`;
    // oidc:aud is the audience that made the token acceptable: the first of its aud that is a
    // client id of the provider [U: a token with several audiences is not documented].
    const claims = { 'oidc:iss': token.issuer, 'oidc:aud': token.clientId, 'oidc:sub': token.subject };
    const source: SessionSource = { kind: 'Federated', arn: providerArn, claims };
    const context = requestContext(ANONYMOUS, request, claims);
    // No AccessDeniedDetail: the caller is nobody in particular, and the real answer carries none.
    if (services.trust.evaluate(role, source, context).effect !== 'Allow') throw OidcStsErrors.notTrusted();

    const session = await issueSession(services.keyring, {
      role,
      sessionName: p.RoleSessionName,
      durationSeconds: p.DurationSeconds,
      ...(p.Policy !== undefined ? { policy: p.Policy } : {}),
      source,
      assumedFrom: { sourceIp: request.sourceIp, secureTransport: request.secureTransport },
      nowMs,
    });
    return {
      OIDCTokenInfo: {
        Subject: token.subject,
        Issuer: token.issuer,
        ClientIds: token.audiences.join(','),
        ExpirationTime: isoSeconds(token.expiresAt * 1000),
        IssuanceTime: isoSeconds(token.issuedAt * 1000),
        VerificationInfo: 'Success',
      },
      AssumedRoleUser: {
        Arn: `${arn.ramRole(role.accountId, role.roleName)}/${p.RoleSessionName}`,
        AssumedRoleId: `${role.roleId}:${p.RoleSessionName}`,
      },
      Credentials: credentialsAnswer(session),
    };
  },
});
