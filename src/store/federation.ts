// The identity providers an account trusts (IMS): OIDC providers (an issuer URL, the client ids
// its tokens must name, the fingerprints of its certificate) and SAML providers (the IdP's
// metadata, whose certificate signs its assertions). STS reads them to admit federated callers.

export interface OidcProviderRecord {
  accountId: string;
  /** OIDCProviderName, as given (looked up without regard to case). */
  name: string;
  issuerUrl: string;
  clientIds: string[];
  /** SHA-1 fingerprints of the issuer's certificate, as given. */
  fingerprints: string[];
  /** How long after its iat a token may still be exchanged, in hours (IssuanceLimitTime). */
  issuanceLimitTime: number;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  /**
   * A JWKS document pinned by the operator for a site that cannot reach the issuer: when present,
   * the issuer's keys are these and nothing is fetched.
   */
  pinnedJwks?: string;
}

export interface SamlProviderRecord {
  accountId: string;
  /** SAMLProviderName, as given (looked up without regard to case). */
  name: string;
  /** The IdP's metadata document, base64 as given (EncodedSAMLMetadataDocument). */
  encodedMetadata: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface FederationRepository {
  /** Throws StoreConflictError when the account has a provider of that name. */
  createOidcProvider(p: OidcProviderRecord): Promise<void>;
  getOidcProvider(accountId: string, name: string): Promise<OidcProviderRecord | undefined>;
  /** By name; `after` (exclusive, a name as listed) pages. */
  listOidcProviders(accountId: string, page: { after?: string; limit: number }): Promise<OidcProviderRecord[]>;
  countOidcProviders(accountId: string): Promise<number>;
  /** Replaces the provider of p.accountId named p.name; false if there is none. */
  updateOidcProvider(p: OidcProviderRecord): Promise<boolean>;
  deleteOidcProvider(accountId: string, name: string): Promise<boolean>;

  createSamlProvider(p: SamlProviderRecord): Promise<void>;
  getSamlProvider(accountId: string, name: string): Promise<SamlProviderRecord | undefined>;
  listSamlProviders(accountId: string, page: { after?: string; limit: number }): Promise<SamlProviderRecord[]>;
  countSamlProviders(accountId: string): Promise<number>;
  updateSamlProvider(p: SamlProviderRecord): Promise<boolean>;
  deleteSamlProvider(accountId: string, name: string): Promise<boolean>;
}
