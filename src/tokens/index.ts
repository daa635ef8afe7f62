// STS token sealing and unsealing, the keyring and its rotation, secret derivation; the metadata
// service's hardened-mode tokens; Rampart's own OIDC issuer (its signing keys and their rotation).
export { Keyring, rotateKeys, MAX_TOKEN_LIFETIME_MS } from './keyring.js';
export { sealSessionToken, openSessionToken, sessionLink, sessionSecret, tokenKeyId, type SessionClaims, type TokenKey } from './session-token.js';
export { mintMetadataToken, metadataTokenValid, MAX_METADATA_TOKEN_TTL, type TokenSubject } from './metadata-token.js';
export {
  OidcIssuer, openIdConfiguration, accountSubject, subjectAccount, ACCOUNT_SUBJECT_PREFIX, OIDC_SUBJECT, OIDC_AUDIENCE, OIDC_ISSUER_SETTING, OIDC_SIGNING_ALG, MIN_OIDC_TOKEN_SECONDS, MAX_OIDC_TOKEN_SECONDS, OIDC_KEY_GRACE_SECONDS, DISCOVERY_PATH, JWKS_PATH,
  type IssuedOidcToken, type OidcTokenClaims, type OidcTokenRequest, type OpenIdConfiguration,
} from './oidc-issuer.js';
