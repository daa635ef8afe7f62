// STS token sealing and unsealing, the keyring and its rotation, secret derivation; the metadata
// service's hardened-mode tokens.
export { Keyring, rotateKeys, MAX_TOKEN_LIFETIME_MS } from './keyring.js';
export { sealSessionToken, openSessionToken, sessionLink, sessionSecret, tokenKeyId, type SessionClaims, type TokenKey } from './session-token.js';
export { mintMetadataToken, metadataTokenValid, MAX_METADATA_TOKEN_TTL, type TokenSubject } from './metadata-token.js';
