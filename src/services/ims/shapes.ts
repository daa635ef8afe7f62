// IMS's identity providers as the API names and shows them: their ARNs, and the response objects
// (lists joined with commas, dates in RAM's form, GmtCreate/GmtModified as epoch milliseconds in
// strings, as the real responses carry them).
import type { OidcProviderRecord, SamlProviderRecord } from '../../store/index.js';
import { ramDate } from '../ram/shapes.js';

export const providerArn = {
  oidc: (accountId: string, name: string): string => `acs:ram::${accountId}:oidc-provider/${name}`,
  saml: (accountId: string, name: string): string => `acs:ram::${accountId}:saml-provider/${name}`,
  /** Every provider of one kind in an account, for the List actions. */
  allOidc: (accountId: string): string => `acs:ram::${accountId}:oidc-provider/*`,
  allSaml: (accountId: string): string => `acs:ram::${accountId}:saml-provider/*`,
};

export function oidcProviderShape(p: OidcProviderRecord) {
  return {
    OIDCProviderName: p.name,
    Arn: providerArn.oidc(p.accountId, p.name),
    IssuerUrl: p.issuerUrl,
    ClientIds: p.clientIds.join(','),
    Fingerprints: p.fingerprints.join(','),
    IssuanceLimitTime: p.issuanceLimitTime,
    Description: p.description,
    CreateDate: ramDate(p.createdAt),
    UpdateDate: ramDate(p.updatedAt),
    GmtCreate: String(p.createdAt.getTime()),
    GmtModified: String(p.updatedAt.getTime()),
  };
}

/**
 * [U] The real responses also carry AuthnSignAlgo (the algorithm the Alibaba Cloud SP signs its
 * SAML AuthnRequests with, rsa-sha1 by default). Rampart sends no AuthnRequests and does not
 * keep the setting (the parameter is refused), so it does not claim one.
 */
export function samlProviderShape(p: SamlProviderRecord, opts: { document?: boolean } = {}) {
  return {
    SAMLProviderName: p.name,
    Arn: providerArn.saml(p.accountId, p.name),
    Description: p.description,
    ...(opts.document ? { EncodedSAMLMetadataDocument: p.encodedMetadata } : {}),
    CreateDate: ramDate(p.createdAt),
    UpdateDate: ramDate(p.updatedAt),
  };
}
