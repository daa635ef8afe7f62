// STS token sealing and unsealing, the keyring and its rotation, secret derivation.
export { Keyring, rotateKeys, MAX_TOKEN_LIFETIME_MS } from './keyring.js';
export { sealSessionToken, openSessionToken, sessionLink, sessionSecret, tokenKeyId, type SessionClaims, type TokenKey } from './session-token.js';
