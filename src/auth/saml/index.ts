export { SamlErrors } from './errors.js';
export { MetadataRefused, parseIdpMetadata, readIdpMetadata, type IdpMetadata } from './metadata.js';
export { ATTRIBUTE, readRoleAttributes, type RoleAttributes, type RoleEntitlement } from './role-attributes.js';
export { ALIBABA_CLOUD_SP, verifySamlResponse, type ServiceProvider, type VerifiedAssertion } from './verify.js';
