export { authenticate, header, signatureStyle, type AuthDeps, type Authenticated, type SignedRequest } from './authenticate.js';
export { StoreCredentialSource, STS_PREFIX, type CredentialSource, type SigningCredential } from './credentials.js';
export { MemoryNonceCache, SharedNonceCache, type NonceCache, type NonceLog } from './nonce-cache.js';
export { percentEncode } from './percent-encode.js';
export { rpcSignature, rpcStringToSign } from './rpc-signature.js';
export * from './acs3-signature.js';
export { MAX_CLOCK_SKEW_MS, parseIsoUtc, isWithinSkew } from './timestamp.js';
export { authenticateInstance, type InstanceAuthDeps, type InstanceRequest } from './instance.js';
