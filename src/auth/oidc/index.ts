export { OidcErrors } from './errors.js';
export { DEFAULT_FETCH_SETTINGS, normalizeFingerprint, type FetchSettings } from './fetch.js';
export { DEFAULT_KEY_SETTINGS, discoveryUrl, OidcKeyResolver, usableKeySet, type LocalIssuer, type OidcKeySettings, type OidcKeySource } from './keys.js';
export { OIDC_ALGORITHMS, OIDC_CLOCK_SKEW_SECONDS, OIDC_TOKEN_LENGTH, verifyOidcToken, type VerifiedOidcToken } from './verify.js';
