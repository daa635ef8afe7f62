// Instance credentials: the temporary credentials of the RAM role attached to an instance, as the
// metadata service hands them to the apps on it. Valid 6 hours (configurable); a new set is
// issued 30 minutes before the old one expires, and both stay valid meanwhile. Issuing one is a
// role assumption (by ecs.aliyuncs.com, the session named after the instance), audited as one.
import type { CredentialSource } from '../../auth/index.js';
import { ApiError, type Principal } from '../../model/index.js';
import { conditionContext } from '../../policy/index.js';
import { Freshness, type InstanceRecord, type RoleRecord } from '../../store/index.js';
import type { Services } from '../action.js';
import { issueSession, type IssuedSession } from '../sts/issue.js';

const RENEW_BEFORE_MS = 30 * 60 * 1000;
export const ECS_SERVICE = 'ecs.aliyuncs.com';
const ECS_PRINCIPAL = { kind: 'Service', name: ECS_SERVICE } as const;

interface CachedSet {
  session: IssuedSession;
  /** When the API's verifier last honoured it (a Freshness stamp). */
  verified: number;
}

/** A set to hand out; `issued` when it is new: the role assumption to record, by its session's principal. */
export interface InstanceSet {
  session: IssuedSession;
  issued?: {
    principal: Principal;
    role: RoleRecord;
    expiresAt: number;
    /** Keeps the set for the next requests: called once its assumption is recorded, never before. */
    keep(): void;
  };
}

export class InstanceCredentials {
  readonly #cache = new Map<string, CachedSet>();
  readonly #freshness: Freshness;

  constructor(
    private readonly services: Services,
    /** The API's verifier: a set it would refuse is never handed out again. */
    private readonly verifier: CredentialSource,
    /** How long a set lasts (real service: 6 hours). */
    private readonly seconds: number,
    private readonly now: () => number,
  ) {
    this.#freshness = new Freshness(services.store.changes);
  }

  /**
   * Whether the API would still honour a set: revocation, a re-created role or a new attachment
   * ends it. Asked again only once the instance's account has changed since the last answer.
   */
  async #honoured(cached: CachedSet, accountId: string, now: number): Promise<boolean> {
    const stamp = this.#freshness.stamp();
    if (this.#freshness.isFresh(accountId, cached.verified)) return true;
    try {
      await this.verifier.resolve(cached.session.accessKeyId, cached.session.securityToken, now);
      cached.verified = stamp;
      return true;
    } catch (e) {
      if (e instanceof ApiError) return false;
      throw e;
    }
  }

  /**
   * The instance's current set, or a new one once the current is within 30 minutes of expiry or
   * has been ended (the role revoked, deleted and re-created, or attached again): what was ended
   * is never handed out again. Undefined when the instance has no role its trust still allows.
   */
  async forInstance(instance: InstanceRecord): Promise<InstanceSet | undefined> {
    const { ramRoleName: roleName, ramRoleAttachment: attachment } = instance;
    if (roleName === undefined || attachment === undefined) return undefined;
    const role = await this.services.store.ram.getRole(instance.accountId, roleName);
    if (role === undefined) return undefined;
    // The role must still trust ECS; a session it would refuse is not handed out.
    if (this.services.trust.evaluate(role, ECS_PRINCIPAL, conditionContext({})).effect !== 'Allow') return undefined;
    const now = this.now();
    const cached = this.#cache.get(instance.instanceId);
    if (cached && now < cached.session.expiresAt - RENEW_BEFORE_MS && (await this.#honoured(cached, instance.accountId, now))) return { session: cached.session };
    const stamp = this.#freshness.stamp();
    const session = await issueSession(this.services.keyring, {
      role,
      sessionName: instance.instanceId,
      durationSeconds: this.seconds,
      ...(instance.ramRolePolicy !== undefined ? { policy: instance.ramRolePolicy } : {}),
      source: ECS_PRINCIPAL,
      assumedFrom: { sourceIp: instance.privateIp, secureTransport: false },
      instance: { instanceId: instance.instanceId, attachment },
      nowMs: now,
    });
    // The event names the new session (assumed-role <role>:<instance id>), so later calls it signs line up with it.
    const { principal } = await this.verifier.resolve(session.accessKeyId, session.securityToken, now);
    return { session, issued: { principal, role, expiresAt: session.expiresAt, keep: () => void this.#cache.set(instance.instanceId, { session, verified: stamp }) } };
  }
}
