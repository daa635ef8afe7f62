// IMS SAML providers (role-based SSO): an IdP an account trusts, described by its metadata, whose
// signing certificate STS checks AssumeRoleWithSAML assertions against.
import type { Repositories, SamlProviderRecord } from '../../store/index.js';
import { StoreConflictError } from '../../store/index.js';
import { action } from '../action.js';
import { optional } from '../params.js';
import { decodeMarker, pageOf, pagingParams } from '../ram/paging.js';
import { ImsErrors } from './errors.js';
import { providerName, samlDescription, samlMetadata } from './params.js';
import { providerArn, samlProviderShape } from './shapes.js';

async function requireSamlProvider(repos: Repositories, accountId: string, name: string): Promise<SamlProviderRecord> {
  const provider = await repos.federation.getSamlProvider(accountId, name);
  if (provider === undefined) throw ImsErrors.notExist('SAMLProvider');
  return provider;
}

const named = (p: { SAMLProviderName: string }, caller: { accountId: string }) => providerArn.saml(caller.accountId, p.SAMLProviderName);

/**
 * AuthnSignAlgo chooses how the Alibaba Cloud SP signs the AuthnRequests it sends the IdP.
 * Rampart sends none and does not keep the choice, so a request naming one is refused.
 */
const REFUSED = ['AuthnSignAlgo'] as const;

export const CreateSAMLProvider = action({
  name: 'CreateSAMLProvider',
  // [U] The reference lists CreateSAMLProvider on "all resources"; the provider's own ARN is
  // checked here, which a policy naming `*` allows as well.
  permission: 'ram:CreateSAMLProvider',
  rw: 'Write',
  resource: named,
  refused: REFUSED,
  params: {
    SAMLProviderName: providerName(),
    // Optional, as the API documents it: a provider without metadata admits no one until
    // UpdateSAMLProvider gives it some (it is stored as the empty string).
    EncodedSAMLMetadataDocument: optional(samlMetadata(), ''),
    Description: optional(samlDescription(), ''),
  },
  handle: async (p, { caller, request, services }) => {
    const provider: SamlProviderRecord = {
      accountId: caller.accountId,
      name: p.SAMLProviderName,
      encodedMetadata: p.EncodedSAMLMetadataDocument,
      description: p.Description,
      createdAt: request.now,
      updatedAt: request.now,
    };
    await services.store.transaction(async (tx) => {
      if ((await tx.federation.getSamlProvider(caller.accountId, p.SAMLProviderName)) !== undefined) throw ImsErrors.alreadyExists('SAMLProvider');
      if ((await tx.federation.countSamlProviders(caller.accountId)) >= services.quotas.samlProviders) throw ImsErrors.limitExceeded('SAMLProvider');
      try {
        await tx.federation.createSamlProvider(provider);
      } catch (e) {
        if (e instanceof StoreConflictError) throw ImsErrors.alreadyExists('SAMLProvider');
        throw e;
      }
    });
    return { SAMLProvider: samlProviderShape(provider) };
  },
});

export const GetSAMLProvider = action({
  name: 'GetSAMLProvider',
  permission: 'ram:GetSAMLProvider',
  rw: 'Read',
  resource: named,
  params: { SAMLProviderName: providerName() },
  handle: async (p, { caller, services }) => ({
    SAMLProvider: samlProviderShape(await requireSamlProvider(services.store, caller.accountId, p.SAMLProviderName), { document: true }),
  }),
});

export const ListSAMLProviders = action({
  name: 'ListSAMLProviders',
  permission: 'ram:ListSAMLProviders',
  rw: 'Read',
  resource: (_p, caller) => providerArn.allSaml(caller.accountId),
  params: pagingParams(100),
  handle: async (p, { caller, services }) => {
    const after = decodeMarker(p.Marker);
    const fetched = await services.store.federation.listSamlProviders(caller.accountId, { ...(after !== undefined ? { after } : {}), limit: p.MaxItems + 1 });
    const { items, ...page } = pageOf(fetched, p.MaxItems, (s) => s.name);
    return { SAMLProviders: { SAMLProvider: items.map((s) => samlProviderShape(s)) }, ...page };
  },
});

const UPDATABLE = ['NewDescription', 'NewEncodedSAMLMetadataDocument'] as const;

export const UpdateSAMLProvider = action({
  name: 'UpdateSAMLProvider',
  permission: 'ram:UpdateSAMLProvider',
  rw: 'Write',
  resource: named,
  refused: REFUSED,
  params: {
    SAMLProviderName: providerName(),
    NewEncodedSAMLMetadataDocument: optional(samlMetadata()),
    NewDescription: optional(samlDescription()),
  },
  handle: async (p, { caller, request, services }) => {
    // "You must specify at least one of the NewDescription and NewEncodedSAMLMetadataDocument parameters."
    if (p.NewDescription === undefined && p.NewEncodedSAMLMetadataDocument === undefined) throw ImsErrors.nothingToUpdate(UPDATABLE);
    const updated = await services.store.transaction(async (tx) => {
      const old = await requireSamlProvider(tx, caller.accountId, p.SAMLProviderName);
      const next = {
        ...old,
        encodedMetadata: p.NewEncodedSAMLMetadataDocument ?? old.encodedMetadata,
        description: p.NewDescription ?? old.description,
        updatedAt: request.now,
      };
      if (!(await tx.federation.updateSamlProvider(next))) throw ImsErrors.notExist('SAMLProvider');
      return next;
    });
    return { SAMLProvider: samlProviderShape(updated) };
  },
});

export const DeleteSAMLProvider = action({
  name: 'DeleteSAMLProvider',
  permission: 'ram:DeleteSAMLProvider',
  rw: 'Write',
  resource: named,
  params: { SAMLProviderName: providerName() },
  handle: async (p, { caller, services }) => {
    if (!(await services.store.federation.deleteSamlProvider(caller.accountId, p.SAMLProviderName))) throw ImsErrors.notExist('SAMLProvider');
    return {};
  },
});
