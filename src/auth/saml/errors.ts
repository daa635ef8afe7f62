// The refusals of AssumeRoleWithSAML's assertion checks, with the real codes, statuses and texts
// (STS API reference, AssumeRoleWithSAML "Error codes"); the reason follows in parentheses, as
// STS's other InvalidParameter texts in Rampart do.
import { ApiError } from '../../model/index.js';

export const SamlErrors = {
  invalid: (why: string) => new ApiError('AuthenticationFail.SAMLAssertion.Invalid', `The SAML Assertion is invalid. (${why})`, 401),
  expired: (why: string) => new ApiError('AuthenticationFail.SAMLAssertion.Expired', `The SAML Assertion is expired. (${why})`, 401),
  metadataInvalid: (why: string) =>
    new ApiError('AuthenticationFail.IDPMetadata.Invalid', `The IdP Metadata of your SAML Provider is invalid. (${why})`, 401),
  /** [U] the code and text: not base64 at all is a bad parameter rather than a bad assertion. */
  undecodable: (why: string) => new ApiError('InvalidParameter.SAMLAssertion', `The parameter SAMLAssertion is wrongly formed. (${why})`, 400),
  /** [U] Rampart holds no SP decryption key: an encrypted assertion is refused, never half-read. */
  encrypted: () =>
    new ApiError('NotImplemented', 'The SAML Assertion is encrypted (EncryptedAssertion / EncryptedID): this server does not implement SAML decryption.', 501),
};
