// The products. An operation is a declaration of its parameters, the permissions it needs and its
// work (action.ts for the RPC products, oss/operation.ts for OSS), run by the gateway's lifecycle.
export * from './action.js';
export * from './params.js';
export { Catalog, type ResolvedAction } from './catalog.js';
export { RateLimiter, SharedRateLimiter, type CallLimiter } from './sts/rate-limit.js';
export { issueSession, expiration, type IssuedSession } from './sts/issue.js';
export { InstanceCredentials, ECS_SERVICE, type InstanceSet } from './ecs/instance-credentials.js';
export { MetadataService, TOKEN_PATH, type MetadataAnswer, type MetadataRequest } from './ecs/metadata.js';
export { hashPassword, verifyPassword } from './ram/password.js';
export { mfaSerial, seedContext } from './ram/mfa.js';
export { accountByAlias } from './ram/account-alias.js';
export { quotasFrom, DEFAULT_QUOTAS, QuotaConfigError, type RamQuotas } from './ram/quotas.js';
import { Catalog } from './catalog.js';
import { Ecs } from './ecs/index.js';
import { Actiontrail } from './trail/index.js';
import { Ims } from './ims/index.js';
import { Ram } from './ram/index.js';
import { Sts } from './sts/index.js';
import { Rampart } from './rampart/index.js';

export { Ecs, Ims, Ram, Rampart, Sts };

/** Every product the api listener serves. */
export function defaultCatalog(): Catalog {
  return new Catalog([Sts, Ram, Ims, Ecs, Actiontrail, Rampart]);
}
