// IMS OpenID Connect providers: an issuer an account trusts, the client IDs (audiences) its tokens
// must name and the fingerprints of its certificate. STS admits AssumeRoleWithOIDC callers by them.
import type { OidcProviderRecord, Repositories } from '../../store/index.js';
import { StoreConflictError } from '../../store/index.js';
import { action } from '../action.js';
import { optional } from '../params.js';
import { decodeMarker, pageOf, pagingParams } from '../ram/paging.js';
import { ImsErrors, type ProviderPart } from './errors.js';
import {
  clientId,
  clientIds,
  DEFAULT_ISSUANCE_LIMIT_TIME,
  fingerprint,
  fingerprints,
  issuanceLimitTime,
  issuerUrl,
  MAX_CLIENT_IDS,
  MAX_FINGERPRINTS,
  oidcDescription,
  providerName,
  sameClientId,
  sameFingerprint,
} from './params.js';
import { oidcProviderShape, providerArn } from './shapes.js';

async function requireOidcProvider(repos: Repositories, accountId: string, name: string): Promise<OidcProviderRecord> {
  const provider = await repos.federation.getOidcProvider(accountId, name);
  if (provider === undefined) throw ImsErrors.notExist('OIDCProvider');
  return provider;
}

/** Whether another provider of the account already has this issuer (it must be unique). */
async function issuerInUse(repos: Repositories, accountId: string, url: string): Promise<boolean> {
  let after: string | undefined;
  for (;;) {
    const page = await repos.federation.listOidcProviders(accountId, { ...(after !== undefined ? { after } : {}), limit: 100 });
    if (page.some((p) => p.issuerUrl === url)) return true;
    const last = page[page.length - 1];
    if (page.length < 100 || last === undefined) return false;
    after = last.name;
  }
}

const PARTS = {
  ClientId: { max: MAX_CLIENT_IDS, same: sameClientId, of: (p: OidcProviderRecord) => p.clientIds, with: (p: OidcProviderRecord, v: string[]) => ({ ...p, clientIds: v }) },
  Fingerprint: { max: MAX_FINGERPRINTS, same: sameFingerprint, of: (p: OidcProviderRecord) => p.fingerprints, with: (p: OidcProviderRecord, v: string[]) => ({ ...p, fingerprints: v }) },
} as const;

function checkCount(part: ProviderPart, items: readonly string[]): void {
  if (items.length > PARTS[part].max) throw ImsErrors.partLimitExceeded(part, PARTS[part].max);
}

const named = (p: { OIDCProviderName: string }, caller: { accountId: string }) => providerArn.oidc(caller.accountId, p.OIDCProviderName);

export const CreateOIDCProvider = action({
  name: 'CreateOIDCProvider',
  permission: 'ram:CreateOIDCProvider',
  rw: 'Write',
  resource: named,
  params: {
    OIDCProviderName: providerName(),
    IssuerUrl: issuerUrl(),
    // [U] Optional, as the model and Terraform have them (ROS requires Fingerprints).
    Fingerprints: optional(fingerprints(), []),
    ClientIds: optional(clientIds(), []),
    IssuanceLimitTime: optional(issuanceLimitTime(), DEFAULT_ISSUANCE_LIMIT_TIME),
    Description: optional(oidcDescription(), ''),
  },
  handle: async (p, { caller, request, services }) => {
    checkCount('ClientId', p.ClientIds);
    checkCount('Fingerprint', p.Fingerprints);
    const provider: OidcProviderRecord = {
      accountId: caller.accountId,
      name: p.OIDCProviderName,
      issuerUrl: p.IssuerUrl,
      clientIds: p.ClientIds,
      fingerprints: p.Fingerprints,
      issuanceLimitTime: p.IssuanceLimitTime,
      description: p.Description,
      createdAt: request.now,
      updatedAt: request.now,
    };
    await services.store.transaction(async (tx) => {
      if ((await tx.federation.getOidcProvider(caller.accountId, p.OIDCProviderName)) !== undefined) throw ImsErrors.alreadyExists('OIDCProvider');
      if (await issuerInUse(tx, caller.accountId, p.IssuerUrl)) throw ImsErrors.issuerTaken();
      if ((await tx.federation.countOidcProviders(caller.accountId)) >= services.quotas.oidcProviders) throw ImsErrors.limitExceeded('OIDCProvider');
      try {
        await tx.federation.createOidcProvider(provider);
      } catch (e) {
        // A namesake created since the check above.
        if (e instanceof StoreConflictError) throw ImsErrors.alreadyExists('OIDCProvider');
        throw e;
      }
    });
    return { OIDCProvider: oidcProviderShape(provider) };
  },
});

export const GetOIDCProvider = action({
  name: 'GetOIDCProvider',
  permission: 'ram:GetOIDCProvider',
  rw: 'Read',
  resource: named,
  params: { OIDCProviderName: providerName() },
  handle: async (p, { caller, services }) => ({ OIDCProvider: oidcProviderShape(await requireOidcProvider(services.store, caller.accountId, p.OIDCProviderName)) }),
});

export const ListOIDCProviders = action({
  name: 'ListOIDCProviders',
  permission: 'ram:ListOIDCProviders',
  rw: 'Read',
  resource: (_p, caller) => providerArn.allOidc(caller.accountId),
  params: pagingParams(100),
  handle: async (p, { caller, services }) => {
    const after = decodeMarker(p.Marker);
    const fetched = await services.store.federation.listOidcProviders(caller.accountId, { ...(after !== undefined ? { after } : {}), limit: p.MaxItems + 1 });
    const { items, ...page } = pageOf(fetched, p.MaxItems, (o) => o.name);
    return { OIDCProviders: { OIDCProvider: items.map(oidcProviderShape) }, ...page };
  },
});

/** Replaces the provider in one transaction: read, change, write, or the real EntityNotExist. */
async function changeOidcProvider(
  repos: { transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T> },
  accountId: string,
  name: string,
  change: (p: OidcProviderRecord) => OidcProviderRecord,
): Promise<OidcProviderRecord> {
  return repos.transaction(async (tx) => {
    const next = change(await requireOidcProvider(tx, accountId, name));
    if (!(await tx.federation.updateOidcProvider(next))) throw ImsErrors.notExist('OIDCProvider');
    return next;
  });
}

export const UpdateOIDCProvider = action({
  name: 'UpdateOIDCProvider',
  permission: 'ram:UpdateOIDCProvider',
  rw: 'Write',
  resource: named,
  params: {
    OIDCProviderName: providerName(),
    // Replaces every client ID; Add/RemoveClientIdToOIDCProvider change one.
    ClientIds: optional(clientIds()),
    IssuanceLimitTime: optional(issuanceLimitTime()),
    NewDescription: optional(oidcDescription()),
  },
  handle: async (p, { caller, request, services }) => {
    if (p.ClientIds !== undefined) checkCount('ClientId', p.ClientIds);
    const updated = await changeOidcProvider(services.store, caller.accountId, p.OIDCProviderName, (old) => ({
      ...old,
      clientIds: p.ClientIds ?? old.clientIds,
      issuanceLimitTime: p.IssuanceLimitTime ?? old.issuanceLimitTime,
      description: p.NewDescription ?? old.description,
      updatedAt: request.now,
    }));
    return { OIDCProvider: oidcProviderShape(updated) };
  },
});

export const DeleteOIDCProvider = action({
  name: 'DeleteOIDCProvider',
  permission: 'ram:DeleteOIDCProvider',
  rw: 'Write',
  resource: named,
  params: { OIDCProviderName: providerName() },
  handle: async (p, { caller, services }) => {
    if (!(await services.store.federation.deleteOidcProvider(caller.accountId, p.OIDCProviderName))) throw ImsErrors.notExist('OIDCProvider');
    return {};
  },
});

/** Adds one client ID or fingerprint; one already there, or one past the limit, is refused. */
function adding(part: ProviderPart, value: string, now: Date) {
  const { max, same, of, with: set } = PARTS[part];
  return (old: OidcProviderRecord): OidcProviderRecord => {
    const items = of(old);
    if (items.some((i) => same(i) === same(value))) throw ImsErrors.partExists(part);
    if (items.length >= max) throw ImsErrors.partLimitExceeded(part, max);
    return { ...set(old, [...items, value]), updatedAt: now };
  };
}

/** Removes one client ID or fingerprint; one that is not there is refused. */
function removing(part: ProviderPart, value: string, now: Date) {
  const { same, of, with: set } = PARTS[part];
  return (old: OidcProviderRecord): OidcProviderRecord => {
    const items = of(old);
    const kept = items.filter((i) => same(i) !== same(value));
    if (kept.length === items.length) throw ImsErrors.partNotExist(part);
    return { ...set(old, kept), updatedAt: now };
  };
}

export const AddClientIdToOIDCProvider = action({
  name: 'AddClientIdToOIDCProvider',
  permission: 'ram:AddClientIdToOIDCProvider',
  rw: 'Write',
  resource: named,
  params: { OIDCProviderName: providerName(), ClientId: clientId() },
  handle: async (p, { caller, request, services }) => ({
    OIDCProvider: oidcProviderShape(await changeOidcProvider(services.store, caller.accountId, p.OIDCProviderName, adding('ClientId', p.ClientId, request.now))),
  }),
});

export const RemoveClientIdFromOIDCProvider = action({
  name: 'RemoveClientIdFromOIDCProvider',
  permission: 'ram:RemoveClientIdFromOIDCProvider',
  rw: 'Write',
  resource: named,
  params: { OIDCProviderName: providerName(), ClientId: clientId() },
  handle: async (p, { caller, request, services }) => ({
    OIDCProvider: oidcProviderShape(await changeOidcProvider(services.store, caller.accountId, p.OIDCProviderName, removing('ClientId', p.ClientId, request.now))),
  }),
});

export const AddFingerprintToOIDCProvider = action({
  name: 'AddFingerprintToOIDCProvider',
  permission: 'ram:AddFingerprintToOIDCProvider',
  rw: 'Write',
  resource: named,
  params: { OIDCProviderName: providerName(), Fingerprint: fingerprint() },
  handle: async (p, { caller, request, services }) => ({
    OIDCProvider: oidcProviderShape(await changeOidcProvider(services.store, caller.accountId, p.OIDCProviderName, adding('Fingerprint', p.Fingerprint, request.now))),
  }),
});

export const RemoveFingerprintFromOIDCProvider = action({
  name: 'RemoveFingerprintFromOIDCProvider',
  permission: 'ram:RemoveFingerprintFromOIDCProvider',
  rw: 'Write',
  resource: named,
  params: { OIDCProviderName: providerName(), Fingerprint: fingerprint() },
  handle: async (p, { caller, request, services }) => ({
    OIDCProvider: oidcProviderShape(await changeOidcProvider(services.store, caller.accountId, p.OIDCProviderName, removing('Fingerprint', p.Fingerprint, request.now))),
  }),
});
