// AssumeRole: temporary credentials for a role. The caller's own policies must allow
// sts:AssumeRole on the role (checked by the lifecycle, on a role of any account), and the role's
// trust policy must admit the caller. Nothing is written per session: the token is sealed.
import { requestContext } from '../../access/index.js';
import { arn, principalArn, type Principal, type SessionSource } from '../../model/index.js';
import { action } from '../action.js';
import { custom, integer, optional, string } from '../params.js';
import { StsErrors, stsInvalid } from './errors.js';
import { credentialsAnswer, issueSession } from './issue.js';
import { checkSessionPolicy } from './session-policy.js';

export interface RoleArn {
  text: string;
  accountId: string;
  roleName: string;
}

/** acs:ram::<uid>:role/<name> (the region may be empty or *). */
export const roleArn = () =>
  custom((raw, name): RoleArn => {
    const m = /^acs:ram:\*?:(\d{1,32}):role\/([A-Za-z0-9.@-]{1,64})$/.exec(raw);
    if (!m) throw stsInvalid(name, 'expected acs:ram::<account>:role/<name>', 'format');
    return { text: raw, accountId: m[1] ?? '', roleName: m[2] ?? '' };
  });

/** RoleSessionName as STS takes it: 2 to 64 of letters, digits and . @ _ - */
export const roleSessionName = () => string({ min: 2, max: 64, pattern: /^[A-Za-z0-9.@_-]+$/, invalid: stsInvalid });

/** DurationSeconds: 15 minutes to 12 hours (the role's MaxSessionDuration bounds it further), 1 hour when absent. */
export const sessionDuration = () => optional(integer({ min: 900, max: 43200, invalid: stsInvalid }), 3600);

/**
 * Role chaining. Alibaba documents no cap of its own (its AssumeRole page bounds DurationSeconds by
 * the role's MaxSessionDuration only): we take AWS's one hour for a session assumed with another
 * session's credentials [U], and a chained session never outlives the session it came from, so a
 * chain cannot renew itself past its origin. Each session carries its chain and ends with any
 * link of it; the chain is bounded so tokens stay small.
 */
export const MAX_CHAINED_SECONDS = 3600;
export const MAX_CHAIN = 8;

function sourceOf(caller: Principal): SessionSource {
  // A session that assumes another role (role chaining) is named by its role, and ends with that
  // session (its link is in the chain). One assumed with a user's AccessKey ends when that key is
  // disabled or deleted, or the user is: disabling a key is how a leak is answered.
  if (caller.type === 'AssumedRoleUser') return { kind: 'RAM', accountId: caller.accountId, arn: arn.ramRole(caller.accountId, caller.roleName) };
  return {
    kind: 'RAM',
    accountId: caller.accountId,
    arn: principalArn(caller),
    // A console session signed in with a password holds no AccessKey: it has only its user.
    ...(caller.accessKeyId !== '' ? { accessKeyId: caller.accessKeyId } : {}),
    ...(caller.type === 'RAMUser' ? { userId: caller.userId } : {}),
  };
}

export const AssumeRole = action({
  name: 'AssumeRole',
  refused: ['SourceIdentity'],
  permission: 'sts:AssumeRole',
  foreignResource: true,
  rw: 'Write',
  resource: (p) => arn.ramRole(p.RoleArn.accountId, p.RoleArn.roleName),
  params: {
    RoleArn: roleArn(),
    RoleSessionName: roleSessionName(),
    DurationSeconds: sessionDuration(),
    Policy: optional(string({ min: 1 })),
    ExternalId: optional(string({ min: 2, max: 1224, pattern: /^[\w+=,.@:/-]+$/, invalid: stsInvalid })),
  },
  handle: async (p, { caller, request, services }) => {
    if (caller.type === 'Account') throw StsErrors.rootMayNotAssume();
    const chained = caller.type === 'AssumedRoleUser';
    if (chained && p.DurationSeconds > MAX_CHAINED_SECONDS) throw StsErrors.chainedDuration();
    if (chained && caller.chain.length >= MAX_CHAIN) throw StsErrors.chainTooLong(MAX_CHAIN);
    if (p.Policy !== undefined) checkSessionPolicy(p.Policy);
    if (!(await services.assumeRoleLimiter.take(caller.accountId, request.now.getTime()))) throw StsErrors.throttled();

    const role = await services.store.ram.getRole(p.RoleArn.accountId, p.RoleArn.roleName);
    if (role === undefined) throw StsErrors.roleNotFound();
    if (p.DurationSeconds > role.maxSessionDuration) throw StsErrors.duration(role.maxSessionDuration);

    const source = sourceOf(caller);
    const context = requestContext(caller, request, { 'sts:ExternalId': p.ExternalId });
    const trusted = services.trust.evaluate(role, source, context);
    if (trusted.effect !== 'Allow') {
      const detail = services.authorizer.denialDetail({ caller, permission: 'sts:AssumeRole', resource: arn.ramRole(role.accountId, role.roleName), context }, trusted);
      throw StsErrors.notTrusted({ AccessDeniedDetail: { ...detail, PolicyType: 'AssumeRolePolicy' } });
    }

    const session = await issueSession(services.keyring, {
      role,
      sessionName: p.RoleSessionName,
      durationSeconds: p.DurationSeconds,
      ...(p.Policy !== undefined ? { policy: p.Policy } : {}),
      ...(p.ExternalId !== undefined ? { externalId: p.ExternalId } : {}),
      source,
      assumedFrom: { sourceIp: request.sourceIp, secureTransport: request.secureTransport },
      ...(chained ? { chain: caller.chain, notAfter: caller.expiresAt } : {}),
      nowMs: request.now.getTime(),
    });
    return {
      AssumedRoleUser: {
        Arn: `${arn.ramRole(role.accountId, role.roleName)}/${p.RoleSessionName}`,
        AssumedRoleId: `${role.roleId}:${p.RoleSessionName}`,
      },
      Credentials: credentialsAnswer(session),
    };
  },
});
