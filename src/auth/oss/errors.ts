// OSS's words for what authentication refuses: signatures that do not verify or do not fit the
// request, URLs past their time, and the API's credential errors restated as OSS states them.
// The OSS operations (services/oss/errors.ts) share the two general ones.
import { ApiError } from '../../model/index.js';

export const OssAuthErrors = {
  invalidArgument: (message: string, name?: string, value?: string) =>
    new ApiError('InvalidArgument', message, 400, { ...(name ? { ArgumentName: name } : {}), ...(value !== undefined ? { ArgumentValue: value } : {}) }),
  /** What OSS answers for functionality Rampart does not have; names the header when one asked for it. */
  notImplemented: (header?: string) =>
    header
      ? new ApiError('NotImplemented', 'A header you provided implies functionality that is not implemented.', 501, { Header: header })
      : new ApiError('NotImplemented', 'The operation or parameter you requested is not implemented.', 501),
  signatureDoesNotMatch: (stringToSign: string, provided: string, accessKeyId: string) =>
    new ApiError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
      StringToSign: stringToSign,
      StringToSignBytes: [...Buffer.from(stringToSign)].map((b) => b.toString(16).padStart(2, '0')).join(' '),
      SignatureProvided: provided,
      OSSAccessKeyId: accessKeyId,
    }),
  /** A V4 credential scope that does not fit the request (documented messages, code InvalidArgument). */
  invalidSigningScope: (what: 'date' | 'region' | 'product', value: string) =>
    new ApiError('InvalidArgument', `Invalid signing ${what} in Authorization header.`, 400, { ArgumentName: 'Credential', ArgumentValue: value }),
  /** Only UNSIGNED-PAYLOAD is documented for x-oss-content-sha256. */
  invalidContentSha256: (value: string) =>
    new ApiError('InvalidArgument', 'The value of the x-oss-content-sha256 header is invalid.', 400, { ArgumentName: 'x-oss-content-sha256', ArgumentValue: value }),
  requestTimeTooSkewed: () => new ApiError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403),
  expiredUrl: () => new ApiError('AccessDenied', 'Request has expired.', 403),
};

/** The API's credential errors, in OSS's words. */
export function fromApiError(e: ApiError, accessKeyId: string): ApiError {
  switch (e.code) {
    case 'InvalidAccessKeyId.NotFound':
    case 'InvalidAccessKeyId.Inactive':
      return new ApiError('InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', 403, { OSSAccessKeyId: accessKeyId });
    case 'InvalidSecurityToken.Expired':
      return new ApiError('SecurityTokenExpired', 'The security token you provided has expired.', 403);
    case 'InvalidSecurityToken.MismatchWithAccessKey':
      return new ApiError('AccessKeyIdAndSecurityTokenNotMatch', 'The AccessKeyId and the security token you provided do not match.', 403);
    case 'InvalidSecurityToken.Malformed':
    case 'MissingSecurityToken':
      return new ApiError('InvalidSecurityToken', 'The security token you provided is invalid.', 403);
    default:
      return new ApiError('AccessDenied', e.message, 403);
  }
}
