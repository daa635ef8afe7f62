// Access decisions over stored policies: which policies apply to a principal, compiled and cached
// exactly, and the authorization step of every front door.
export { Authorizer, type AuthorizationRequest } from './authorizer.js';
export { PolicySets } from './policy-sets.js';
export { TrustPolicies } from './trust.js';
export { requestContext } from './request-context.js';
export { resourcePrincipal, type ResourceAccess } from './resource-access.js';
export { explainDecision } from './explain.js';
export { encodeDiagnostic, decodeDiagnostic, type Diagnostic } from './diagnostic.js';
export { PolicyCatalog, type CatalogPolicy } from './policy-catalog.js';
export { SYSTEM_POLICIES, SYSTEM_POLICY_DATE, systemPolicy, type SystemPolicy } from './system-policies.js';
