// Who an AccessKeyId belongs to, and the secret its requests must be signed with: a long-term
// AccessKey from the store, or an STS session whose sealed token travels with the request.
import type { TrustPolicies } from '../access/index.js';
import { CommonErrors, isoSeconds, type Principal, type SessionLink } from '../model/index.js';
import { conditionContext } from '../policy/index.js';
import type { RoleRecord, Store, TokenKeyRecord } from '../store/index.js';
import { openSessionToken, sessionLink, sessionSecret, tokenKeyId, type Keyring, type SessionClaims } from '../tokens/index.js';

export interface SigningCredential {
  principal: Principal;
  secret: string;
}

export interface CredentialSource {
  /** Throws the real service's error for unknown, disabled, expired or mismatched credentials. */
  resolve(accessKeyId: string, securityToken: string | undefined, nowMs: number): Promise<SigningCredential>;
}

export const STS_PREFIX = 'STS.';

interface OpenedToken {
  key: TokenKeyRecord;
  claims: SessionClaims;
  secret: string;
  /** The session's link and its chain's, nearest first. */
  chain: readonly SessionLink[];
  /** The trust verdict on each link, for the role record it was reached with. */
  trust: ({ role: RoleRecord; allowed: boolean } | undefined)[];
}

const MAX_OPENED_TOKENS = 10_000;

/**
 * Long-term AccessKeys are looked up on every request (through the store's exact cache), so a
 * disabled key stops at once. A session is checked against the current state of its role on every
 * request too: a deleted (or re-created) role, a revocation of earlier sessions, or a trust policy
 * that no longer admits the session's origin ends it at once, whatever its expiry time says.
 */
export class StoreCredentialSource implements CredentialSource {
  readonly #tokens = new Map<string, OpenedToken>();

  constructor(
    private readonly store: Store,
    private readonly keyring: Keyring,
    private readonly trust: TrustPolicies,
  ) {}

  async resolve(accessKeyId: string, securityToken: string | undefined, nowMs: number): Promise<SigningCredential> {
    if (accessKeyId.startsWith(STS_PREFIX)) return this.#session(accessKeyId, securityToken, nowMs);
    const key = await this.store.accessKeys.get(accessKeyId);
    if (key === undefined) throw CommonErrors.accessKeyNotFound();
    if (key.status !== 'Active') throw CommonErrors.accessKeyInactive();
    // A SecurityToken belongs with an STS AccessKeyId; beside a long-term key it is a client error.
    if (securityToken !== undefined && securityToken !== '') throw CommonErrors.securityTokenMismatch();
    if (key.userId === undefined) {
      return { principal: { type: 'Account', accountId: key.accountId, accessKeyId }, secret: key.secret };
    }
    const user = await this.store.ram.getUserById(key.userId);
    // A user's keys go with the user; a key whose user is gone is no key at all.
    if (user === undefined) throw CommonErrors.accessKeyNotFound();
    return {
      principal: { type: 'RAMUser', accountId: key.accountId, userId: user.userId, userName: user.userName, accessKeyId },
      secret: key.secret,
    };
  }

  async #session(accessKeyId: string, token: string | undefined, nowMs: number): Promise<SigningCredential> {
    if (token === undefined || token === '') throw CommonErrors.missingSecurityToken();
    const keyId = tokenKeyId(token);
    const key = keyId === undefined ? undefined : await this.keyring.find(keyId);
    if (key === undefined) throw CommonErrors.securityTokenMalformed();
    const opened = this.#open(key, token);
    if (opened === undefined) throw CommonErrors.securityTokenMalformed();
    const { claims } = opened;
    if (claims.accessKeyId !== accessKeyId) throw CommonErrors.securityTokenMismatch();
    if (nowMs >= claims.expiresAt) throw CommonErrors.securityTokenExpired();
    // A chained session ends with any session it was assumed through.
    for (let i = 0; i < opened.chain.length; i++) {
      if (!(await this.#stillHonoured(opened, i))) throw CommonErrors.securityTokenExpired();
    }
    return {
      principal: {
        type: 'AssumedRoleUser',
        accountId: claims.accountId,
        roleId: claims.roleId,
        roleName: claims.roleName,
        sessionName: claims.sessionName,
        accessKeyId,
        ...(claims.policy !== undefined ? { sessionPolicy: claims.policy } : {}),
        issuedAt: claims.issuedAt,
        expiresAt: claims.expiresAt,
        source: claims.source,
        chain: opened.chain,
      },
      secret: opened.secret,
    };
  }

  /**
   * A token's claims and secret. A token is immutable and authenticated by its key, so once opened
   * it is remembered with that key (a clip of the keyring that drops the key drops the token too);
   * what can change, the role and the clock, is checked on every request all the same.
   */
  #open(key: TokenKeyRecord, token: string): OpenedToken | undefined {
    const hit = this.#tokens.get(token);
    if (hit !== undefined && hit.key === key) return hit;
    const claims = openSessionToken(key, token);
    if (claims === undefined) return undefined;
    const chain = [sessionLink(claims), ...(claims.chain ?? [])];
    const opened: OpenedToken = { key, claims, secret: sessionSecret(key, claims.accessKeyId), chain, trust: chain.map(() => undefined) };
    if (this.#tokens.size >= MAX_OPENED_TOKENS) this.#tokens.clear();
    this.#tokens.set(token, opened);
    return opened;
  }

  /**
   * Whether the i-th link of a session still stands: its role exists (the same role, not a
   * namesake), no revocation came after it began, an instance session's instance still holds
   * that attachment of the role, and every trust policy since it began admits its origin.
   */
  async #stillHonoured(opened: OpenedToken, i: number): Promise<boolean> {
    const link = opened.chain[i];
    if (link === undefined) return false;
    const role = await this.store.ram.getRoleById(link.roleId);
    if (role === undefined || role.accountId !== link.accountId) return false;
    if (role.revokeSessionsBefore !== undefined && link.issuedAt < role.revokeSessionsBefore.getTime()) return false;
    // The AccessKey (and user) that assumed it must still stand: read through the exact cache.
    if (link.source.kind === 'RAM') {
      const { accessKeyId, userId, accountId } = link.source;
      if (accessKeyId !== undefined) {
        const key = await this.store.accessKeys.get(accessKeyId);
        if (key === undefined || key.status !== 'Active' || key.accountId !== accountId || key.userId !== userId) return false;
      }
      if (userId !== undefined && (await this.store.ram.getUserById(userId)) === undefined) return false;
    }
    if (link.instanceId !== undefined) {
      const instance = await this.store.ecs.get(link.instanceId);
      if (instance?.ramRoleAttachment === undefined || instance.ramRoleAttachment !== link.attachment) return false;
      if (instance.ramRoleName?.toLowerCase() !== role.roleName.toLowerCase()) return false;
    }
    // The verdict depends on the role record and the link alone; a changed role is a new record.
    const known = opened.trust[i];
    if (known?.role === role) return known.allowed;
    const context = conditionContext({
      'acs:SourceIp': link.assumedFrom.sourceIp,
      'acs:SecureTransport': String(link.assumedFrom.secureTransport),
      'acs:CurrentTime': isoSeconds(link.issuedAt),
      'sts:ExternalId': link.externalId,
      // A federated session is admitted again on the claims it was admitted on.
      ...(link.source.kind === 'Federated' ? link.source.claims : {}),
    });
    const allowed = this.trust.admitsSince(role, link.issuedAt, link.source, context).effect === 'Allow';
    opened.trust[i] = { role, allowed };
    return allowed;
  }
}
