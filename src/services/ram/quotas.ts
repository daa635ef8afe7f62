// RAM quotas, as the real service sets them by default; each can be changed per server
// (RampartConfig.quotas, or RAMPART_QUOTAS='{"users":10}').

export interface RamQuotas {
  users: number;
  groups: number;
  roles: number;
  customPolicies: number;
  /** Custom policies attached to one user, group or role. */
  customPoliciesPerPrincipal: number;
  /** System policies attached to one user, group or role. */
  systemPoliciesPerPrincipal: number;
  accessKeysPerUser: number;
  groupsPerUser: number;
  versionsPerPolicy: number;
  /** IMS identity providers of an account: OpenID Connect and SAML (role-based SSO). */
  oidcProviders: number;
  samlProviders: number;
}

export const DEFAULT_QUOTAS: RamQuotas = {
  users: 5000,
  groups: 300,
  roles: 1000,
  customPolicies: 1500,
  customPoliciesPerPrincipal: 10,
  systemPoliciesPerPrincipal: 20,
  accessKeysPerUser: 2,
  groupsPerUser: 10,
  versionsPerPolicy: 5,
  // "You can create a maximum of 100 OIDC IdPs in an Alibaba Cloud account" (CreateOIDCProvider).
  oidcProviders: 100,
  // [U] no published limit for SAML providers was found; taken to be the OIDC one.
  samlProviders: 100,
};

export class QuotaConfigError extends Error {}

export function quotasFrom(overrides: Partial<RamQuotas> = {}, envText?: string): RamQuotas {
  let fromEnv: Record<string, unknown> = {};
  if (envText !== undefined && envText !== '') {
    try {
      fromEnv = JSON.parse(envText) as Record<string, unknown>;
    } catch {
      throw new QuotaConfigError('RAMPART_QUOTAS must be a JSON object, e.g. {"users":10}');
    }
  }
  const out = { ...DEFAULT_QUOTAS };
  for (const [k, v] of Object.entries({ ...fromEnv, ...overrides })) {
    if (!(k in DEFAULT_QUOTAS)) throw new QuotaConfigError(`unknown quota ${k}; known: ${Object.keys(DEFAULT_QUOTAS).join(', ')}`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new QuotaConfigError(`quota ${k} must be a non-negative integer`);
    out[k as keyof RamQuotas] = v;
  }
  return out;
}
