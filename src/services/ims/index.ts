// IMS (2019-08-15): the identity providers an account trusts (OpenID Connect and SAML), and
// GetAccountSummary, which the real service documents here as well as under RAM.
import { product } from '../action.js';
import { GetAccountSummary } from '../ram/account.js';
import {
  AddClientIdToOIDCProvider,
  AddFingerprintToOIDCProvider,
  CreateOIDCProvider,
  DeleteOIDCProvider,
  GetOIDCProvider,
  ListOIDCProviders,
  RemoveClientIdFromOIDCProvider,
  RemoveFingerprintFromOIDCProvider,
  UpdateOIDCProvider,
} from './oidc-providers.js';
import { CreateSAMLProvider, DeleteSAMLProvider, GetSAMLProvider, ListSAMLProviders, UpdateSAMLProvider } from './saml-providers.js';

export const Ims = product({
  code: 'Ims',
  endpointPrefix: 'ims',
  version: '2019-08-15',
  actions: [
    GetAccountSummary,
    CreateOIDCProvider, GetOIDCProvider, ListOIDCProviders, UpdateOIDCProvider, DeleteOIDCProvider,
    AddClientIdToOIDCProvider, RemoveClientIdFromOIDCProvider, AddFingerprintToOIDCProvider, RemoveFingerprintFromOIDCProvider,
    CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders, UpdateSAMLProvider, DeleteSAMLProvider,
  ],
});
