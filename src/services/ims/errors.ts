// IMS's errors for identity providers. The codes EntityNotExist.OIDCProvider and
// EntityNotExist.SAMLProvider are the ones clients match on (Terraform's alicloud provider treats
// them as "gone"); EntityAlreadyExists.OIDCProvider.Url is what the real service answers for an
// issuer URL the account already trusts. The rest follow RAM's own <Kind>.<Entity>[.<Part>]
// pattern and RAM's wording, and are marked [U].
import { ApiError } from '../../model/index.js';

export type ProviderKind = 'OIDCProvider' | 'SAMLProvider';
/** The parts of an OIDC provider that are added and removed one at a time. */
export type ProviderPart = 'ClientId' | 'Fingerprint';

const WORDS: Record<ProviderKind, string> = { OIDCProvider: 'OIDC provider', SAMLProvider: 'SAML provider' };
const PART_WORDS: Record<ProviderPart, string> = { ClientId: 'client ID', Fingerprint: 'fingerprint' };

export const ImsErrors = {
  notExist: (kind: ProviderKind) => new ApiError(`EntityNotExist.${kind}`, `The ${WORDS[kind]} does not exist.`, 404),
  /** [U] code and message, after RAM's EntityAlreadyExists.<Entity>. */
  alreadyExists: (kind: ProviderKind) => new ApiError(`EntityAlreadyExists.${kind}`, `The ${WORDS[kind]} does already EXIST.`, 409),
  /** [U] message. */
  issuerTaken: () => new ApiError('EntityAlreadyExists.OIDCProvider.Url', 'An OIDC provider with the issuer URL does already EXIST.', 409),
  /** [U] code and message, after RAM's LimitExceeded.<Entity>. */
  limitExceeded: (kind: ProviderKind) => new ApiError(`LimitExceeded.${kind}`, `The count of ${WORDS[kind]}s beyond the current limits.`, 409),
  /** [U] code and message. */
  partLimitExceeded: (part: ProviderPart, limit: number) =>
    new ApiError(`LimitExceeded.OIDCProvider.${part}`, `The count of ${PART_WORDS[part]}s of the OIDC provider beyond the current limits (${limit}).`, 409),
  /** [U] code and message. */
  partExists: (part: ProviderPart) => new ApiError(`EntityAlreadyExists.OIDCProvider.${part}`, `The ${PART_WORDS[part]} does already EXIST in the OIDC provider.`, 409),
  /** [U] code and message. */
  partNotExist: (part: ProviderPart) => new ApiError(`EntityNotExist.OIDCProvider.${part}`, `The ${PART_WORDS[part]} does not exist in the OIDC provider.`, 404),
  /** [U] code and message: "You must specify at least one of NewDescription and NewEncodedSAMLMetadataDocument." */
  nothingToUpdate: (names: readonly string[]) => new ApiError('MissingParameter', `At least one of ${names.join(', ')} is mandatory for this action.`, 400),
};
