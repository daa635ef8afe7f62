// AssumeRoleWithSAML: temporary credentials for a role, in exchange for a SAML Response signed by
// an IdP the role's account registered as a SAML provider. Called without credentials: the signed
// assertion is the proof. The assertion must entitle its user to this role through this provider
// (its Role attribute), and the role's trust policy must admit the provider; the session is named
// by the assertion (RoleSessionName), never by the caller.
import { MAX_CLOCK_SKEW_MS } from '../../auth/timestamp.js';
import { parseIdpMetadata, readRoleAttributes, SamlErrors, verifySamlResponse, type IdpMetadata, type RoleEntitlement } from '../../auth/saml/index.js';
import { requestContext } from '../../access/index.js';
import { ANONYMOUS, ApiError, arn, type SessionSource } from '../../model/index.js';
import { action } from '../action.js';
import { custom, integer, optional, string, type InvalidParam } from '../params.js';
import { StsErrors, stsInvalid } from './errors.js';
import { credentialsAnswer, issueSession } from './issue.js';
import { checkSessionPolicy } from './session-policy.js';

interface RoleArn {
  accountId: string;
  roleName: string;
}

interface ProviderArn {
  accountId: string;
  name: string;
}

/**
 * This action's own texts (AssumeRoleWithSAML "Error codes"). The API metadata marks its
 * parameters not required (only docRequired): STS itself, not the gateway, reports one missing,
 * as MissingParameter.<Name>.
 */
const SamlActionErrors = {
  missing: (name: string) => new ApiError(`MissingParameter.${name}`, `Parameter ${name} is required.`, 400),
  providerNotFound: () => new ApiError('EntityNotExist.SAMLProvider', 'Can not find SAML provider.', 404),
  roleNotFound: () => new ApiError('EntityNotExist.RoleArn', 'The specified Role does not exists.', 404),
  duration: (why: string) => new ApiError('InvalidParameter.DurationSeconds', `The DurationSeconds is invalid. (${why})`, 400),
  /** [U] the code: a valid assertion that does not entitle its user to this role is a refusal of authority. */
  notEntitled: () =>
    new ApiError(
      'NoPermission',
      "You are not authorized to do this action. You should be authorized by RAM. (The SAML assertion's Role attribute does not pair this RoleArn with this SAMLProviderArn.)",
      403,
    ),
};

const invalid: InvalidParam = (name, reason, kind) =>
  name === 'DurationSeconds' ? SamlActionErrors.duration(reason) : stsInvalid(name, reason, kind);

const roleArn = () =>
  custom(
    (raw, name): RoleArn => {
      const m = /^acs:ram:\*?:(\d{1,32}):role\/([A-Za-z0-9.@-]{1,64})$/.exec(raw);
      if (!m) throw stsInvalid(name, 'expected acs:ram::<account>:role/<name>', 'format');
      return { accountId: m[1] ?? '', roleName: m[2] ?? '' };
    },
    { missing: SamlActionErrors.missing },
  );

/** acs:ram::<uid>:saml-provider/<name>; the name's characters as IMS allows them [U: 1–128 of letters, digits, . _ -]. */
const providerArn = () =>
  custom(
    (raw, name): ProviderArn => {
      const m = /^acs:ram:\*?:(\d{1,32}):saml-provider\/([A-Za-z0-9._-]{1,128})$/.exec(raw);
      if (!m) throw stsInvalid(name, 'expected acs:ram::<account>:saml-provider/<name>', 'format');
      return { accountId: m[1] ?? '', name: m[2] ?? '' };
    },
    { missing: SamlActionErrors.missing },
  );

/** RAM names are matched without regard to case; the account and the kind exactly. */
const sameEntity = (text: string, kind: 'role' | 'saml-provider', accountId: string, name: string): boolean => {
  const m = /^acs:ram:\*?:(\d{1,32}):(role|saml-provider)\/(.+)$/.exec(text);
  return m !== null && m[1] === accountId && m[2] === kind && (m[3] ?? '').toLowerCase() === name.toLowerCase();
};

const entitles = (e: RoleEntitlement, role: RoleArn, provider: ProviderArn): boolean =>
  sameEntity(e.roleArn, 'role', role.accountId, role.roleName) && sameEntity(e.providerArn, 'saml-provider', provider.accountId, provider.name);

/** Parsed metadata by document: a provider's users present the same metadata over and over. */
const parsedMetadata = new Map<string, IdpMetadata>();
const MAX_PARSED_METADATA = 1_000;

function metadataOf(encoded: string): IdpMetadata {
  let idp = parsedMetadata.get(encoded);
  if (idp === undefined) {
    idp = parseIdpMetadata(encoded);
    if (parsedMetadata.size >= MAX_PARSED_METADATA) parsedMetadata.clear();
    parsedMetadata.set(encoded, idp);
  }
  return idp;
}

export const AssumeRoleWithSAML = action({
  name: 'AssumeRoleWithSAML',
  anonymous: true,
  rw: 'Write',
  // No permission of the caller's to check (there is no caller); the event is the role's account's.
  resource: (p) => arn.ramRole(p.RoleArn.accountId, p.RoleArn.roleName),
  params: {
    SAMLProviderArn: providerArn(),
    RoleArn: roleArn(),
    SAMLAssertion: string({ min: 4, max: 100_000, invalid: stsInvalid, missing: SamlActionErrors.missing }),
    Policy: optional(string({ min: 1 })),
    DurationSeconds: optional(integer({ min: 900, max: 43200, invalid })),
  },
  handle: async (p, { request, services }) => {
    if (p.Policy !== undefined) checkSessionPolicy(p.Policy);
    const nowMs = request.now.getTime();
    // Before any signature is checked: verifying is the expensive part, and anyone may ask.
    if (!(await services.assumeRoleLimiter.take(p.RoleArn.accountId, nowMs))) throw StsErrors.throttled();

    const provider = await services.store.federation.getSamlProvider(p.SAMLProviderArn.accountId, p.SAMLProviderArn.name);
    if (provider === undefined) throw SamlActionErrors.providerNotFound();
    const assertion = verifySamlResponse(p.SAMLAssertion, metadataOf(provider.encodedMetadata), nowMs);
    const attributes = readRoleAttributes(assertion.attributes);
    const providerName = { accountId: provider.accountId, name: provider.name };
    if (!attributes.roles.some((e) => entitles(e, p.RoleArn, providerName))) throw SamlActionErrors.notEntitled();

    // Whether the role exists is said only to holders of a valid assertion that names it.
    const role = await services.store.ram.getRole(p.RoleArn.accountId, p.RoleArn.roleName);
    if (role === undefined) throw SamlActionErrors.roleNotFound();
    if (p.DurationSeconds !== undefined && p.DurationSeconds > role.maxSessionDuration) {
      throw SamlActionErrors.duration(`this role allows 900 to ${role.maxSessionDuration} seconds`);
    }
    if (attributes.sessionDuration !== undefined && attributes.sessionDuration > role.maxSessionDuration) {
      throw SamlActionErrors.duration(`the assertion's SessionDuration exceeds the role's maximum of ${role.maxSessionDuration} seconds`);
    }
    // DurationSeconds, else the assertion's SessionDuration, else an hour; never past the
    // assertion's SessionDuration [U: documented for console sign-in] or its IdP session's end
    // (AuthnStatement SessionNotOnOrAfter, documented for this call).
    const durationSeconds = Math.min(p.DurationSeconds ?? attributes.sessionDuration ?? 3600, attributes.sessionDuration ?? Infinity);

    const providerArnText = `acs:ram::${provider.accountId}:saml-provider/${provider.name}`;
    // The documented condition key of a SAML trust policy; the session carries it, to be admitted on it again.
    const claims = { 'saml:recipient': assertion.recipient };
    const source: SessionSource = { kind: 'Federated', arn: providerArnText, claims };
    const context = requestContext(ANONYMOUS, request, claims);
    const trusted = services.trust.evaluate(role, source, context);
    if (trusted.effect !== 'Allow') {
      const detail = services.authorizer.denialDetail({ caller: ANONYMOUS, permission: 'sts:AssumeRole', resource: arn.ramRole(role.accountId, role.roleName), context }, trusted);
      throw StsErrors.notTrusted({
        AccessDeniedDetail: { ...detail, AuthPrincipalType: 'SAMLProvider', AuthPrincipalDisplayName: providerArnText, AuthPrincipalOwnerId: provider.accountId, PolicyType: 'AssumeRolePolicy' },
      });
    }

    // A bearer assertion is exchanged once [U: STS documents no rule; an IdP issues one per sign-in,
    // so a second exchange is a replay]. Remembered by every node until it expires.
    const fresh = await services.spent.claim(`saml-assertion ${providerArnText}`, assertion.id, assertion.notOnOrAfter - MAX_CLOCK_SKEW_MS, nowMs);
    if (!fresh) throw SamlErrors.invalid('the assertion was exchanged already');

    const session = await issueSession(services.keyring, {
      role,
      sessionName: attributes.roleSessionName,
      durationSeconds,
      ...(p.Policy !== undefined ? { policy: p.Policy } : {}),
      source,
      assumedFrom: { sourceIp: request.sourceIp, secureTransport: request.secureTransport },
      ...(assertion.sessionNotOnOrAfter !== undefined ? { notAfter: assertion.sessionNotOnOrAfter } : {}),
      nowMs,
    });
    return {
      SAMLAssertionInfo: {
        SubjectType: assertion.subjectType,
        Subject: assertion.subject,
        Recipient: assertion.recipient,
        Issuer: assertion.issuer,
      },
      AssumedRoleUser: {
        // The reference's documented form for this call [U: its examples differ on acs:sts vs acs:ram].
        Arn: arn.assumedRole(role.accountId, role.roleName, attributes.roleSessionName),
        AssumedRoleId: `${role.roleId}:${attributes.roleSessionName}`,
      },
      Credentials: credentialsAnswer(session),
    };
  },
});
