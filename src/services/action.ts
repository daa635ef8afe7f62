// An API action is a declaration: what the lifecycle needs to authenticate, validate, authorize,
// run, audit and render it. No handler checks permissions itself.
import type { Authorizer, TrustPolicies } from '../access/index.js';
import type { NonceCache } from '../auth/nonce-cache.js';
import type { OidcKeySource } from '../auth/oidc/index.js';
import type { Keyring, OidcIssuer } from '../tokens/index.js';
import type { CallLimiter } from './sts/rate-limit.js';
import type { ApiError, Principal } from '../model/index.js';
import type { SecretBox } from '../secrets/index.js';
import type { Store } from '../store/index.js';
import type { RamQuotas } from './ram/quotas.js';
import type { ParamSpecs, ParamValues } from './params.js';

/** Facts about the request that policies and the audit trail may use. */
export interface RequestFacts {
  requestId: string;
  sourceIp: string;
  secureTransport: boolean;
  userAgent: string;
  /** The request's arrival time; handlers never read the clock themselves. */
  now: Date;
  /** Every request parameter, for actions with numbered lists (LookupAttribute.N.Key). */
  params?: ReadonlyMap<string, string>;
}

/** What handlers (and the lifecycle's authorization step) may use. Grows as products land. */
export interface Services {
  store: Store;
  authorizer: Authorizer;
  /** Seals and opens Rampart's own opaque values (e.g. diagnostic messages). */
  box: SecretBox;
  quotas: RamQuotas;
  keyring: Keyring;
  trust: TrustPolicies;
  assumeRoleLimiter: CallLimiter;
  /** Rampart's own OIDC issuer (Rampart's IssueOIDCToken). */
  oidcIssuer: OidcIssuer;
  /** The keys of OIDC providers' issuers, for AssumeRoleWithOIDC. */
  oidcKeys: OidcKeySource;
  /** Bearer assertions already exchanged (SAML assertion IDs), shared by every node like signature nonces. */
  spent: NonceCache;
}

/** One permission a request needs: a RAM action on a resource. */
export interface Check {
  permission: string;
  resource: string;
  /** Condition keys of this check only, e.g. acs:Service for ram:PassRole, oss:Prefix for a listing. */
  context?: Record<string, string | undefined>;
  /** The resource may be another account's (AssumeRole on a partner's role); else own account only. */
  foreignResource?: boolean;
  /** The resource's own rules (an OSS bucket's policy and ACLs), decided with the caller's policies. */
  resourceAccess?: import('../access/index.js').ResourceAccess;
  /** The product's own error when refused (ECS's InvalidUser.PassRoleForbidden); else the front door's. */
  refusal?(detail: Record<string, unknown>): ApiError;
}

export interface ActionContext {
  caller: Principal;
  request: RequestFacts;
  services: Services;
}

export interface Action<P extends ParamSpecs = ParamSpecs, R extends object = object> {
  name: string;
  // Methods, not function-typed properties: method parameters are bivariant, so an action with
  // specific params still fits the catalog's Action<ParamSpecs>.
  /** The RAM action checked before the handler runs; absent when every authenticated caller may call it. */
  permission?: string;
  /**
   * The ARN(s) the permission is checked against (default `*`); every one must be allowed. Built
   * from the stored resource where there is one (an instance's own region, never the caller's
   * RegionId), so it may read the store. It must not reveal through its errors whether a
   * resource exists: what it cannot find it names as the caller asked, and the handler refuses.
   */
  resource?(params: ParamValues<P>, caller: Principal, services: Services): string | string[] | Promise<string | string[]>;
  /** The resource may be another account's (AssumeRole on a partner's role); default: own account only. */
  foreignResource?: boolean;
  /**
   * Called without credentials (AssumeRoleWithOIDC, AssumeRoleWithSAML: the token or assertion is
   * the proof, checked by the handler): an unsigned request reaches it as the Anonymous caller.
   * It has no permission to check; `resource` names what its event is about (the role), so the
   * event lands in that resource's account.
   */
  anonymous?: true;
  /**
   * Further permissions the call needs on other resources (ram:PassRole on the role an instance
   * is given), checked and audited by the lifecycle after the main one.
   */
  alsoRequires?(params: ParamValues<P>, caller: Principal): Check[];
  /** ActionTrail's eventRW. */
  rw: 'Read' | 'Write';
  params: P;
  /**
   * The parameters of the official SDK's model for this action that Rampart does not honour.
   * Like any parameter not declared in `params`, a request carrying one is refused; listing them
   * says the refusal is deliberate, and test/services/sdk-models.test.ts checks that every model
   * parameter is one or the other.
   */
  refused?: readonly string[];
  /** Numbered parameters read from the request as a whole (LookupAttribute.N.Key). */
  numbered?: RegExp;
  handle(params: ParamValues<P>, ctx: ActionContext): Promise<R>;
}

/** Declares an action; the identity function exists so TypeScript infers the param types. */
export function action<P extends ParamSpecs, R extends object>(def: Action<P, R>): Action<P, R> {
  return def;
}

export interface Product {
  /** ActionTrail's serviceName, e.g. "Sts". */
  code: string;
  /** The first label of the product's host name, e.g. "sts" in sts.aliyuncs.com. */
  endpointPrefix: string;
  version: string;
  actions: ReadonlyMap<string, Action>;
}

export function product(def: Omit<Product, 'actions'> & { actions: Action[] }): Product {
  return { ...def, actions: new Map(def.actions.map((a) => [a.name, a])) };
}
