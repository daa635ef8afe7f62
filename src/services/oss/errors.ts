// OSS's errors, with the real codes, messages and statuses: the OSS codec renders them as XML
// bodies with Code, Message, RequestId, HostId and the extra fields (for signature errors, the
// string the server signed).
import { ApiError } from '../../model/index.js';
import type { XmlValue } from './xml.js';

export const OssErrors = {
  accessDenied: (why = 'You have no right to access this object because of bucket acl.', extra: Record<string, XmlValue> = {}) => new ApiError('AccessDenied', why, 403, extra),
  /** What a caller of another account is told: nothing of the owner or of the policies. */
  notYourBucket: () => new ApiError('AccessDenied', 'The bucket you access does not belong to you.', 403),
  noSuchBucket: (bucket: string) => new ApiError('NoSuchBucket', 'The specified bucket does not exist.', 404, { BucketName: bucket }),
  noSuchKey: (key: string) => new ApiError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }),
  bucketExists: (bucket: string) => new ApiError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { BucketName: bucket }),
  bucketNotEmpty: (bucket: string) => new ApiError('BucketNotEmpty', 'The bucket you tried to delete is not empty.', 409, { BucketName: bucket }),
  invalidBucketName: (bucket: string) => new ApiError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket }),
  invalidObjectName: () => new ApiError('InvalidObjectName', 'The Length of Object name must be less than 1024 and can not begin with a slash, contain empty or "." or ".." path segments, or a NUL character.', 400),
  invalidDigest: () => new ApiError('InvalidDigest', 'The Content-MD5 you specified is not valid.', 400),
  badDigest: () => new ApiError('InvalidDigest', 'The Content-MD5 you specified did not match what was received.', 400),
  entityTooLarge: (limit: number) => new ApiError('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${limit} bytes).`, 400),
  entityTooSmall: () => new ApiError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size.', 400),
  noSuchUpload: (uploadId: string) => new ApiError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId }),
  invalidPart: () => new ApiError('InvalidPart', 'One or more of the specified parts could not be found or the specified entity tag might not have matched the part\'s entity tag.', 400),
  invalidPartOrder: () => new ApiError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts list must specified in order by part number.', 400),
  malformedXml: () => new ApiError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.', 400),
  invalidArgument: (message: string, name?: string, value?: string) =>
    new ApiError('InvalidArgument', message, 400, { ...(name ? { ArgumentName: name } : {}), ...(value !== undefined ? { ArgumentValue: value } : {}) }),
  invalidRange: () => new ApiError('InvalidRange', 'The requested range cannot be satisfied.', 416),
  /** Condition: the header whose test failed (ali-oss adds it to the message as "(condition: …)"). */
  preconditionFailed: (condition: string) => new ApiError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold.', 412, { Condition: condition }),
  notModified: () => new ApiError('NotModified', 'Not Modified', 304),
  /** The real answer carries the length the next append must start at (x-oss-next-append-position). */
  positionNotEqualToLength: (length: number) => new ApiError('PositionNotEqualToLength', 'Position is not equal to file length', 409, {}, { 'x-oss-next-append-position': String(length) }),
  invalidObjectState: () => new ApiError('InvalidObjectState', "The operation is not valid for the object's state", 403),
  operationNotSupported: () => new ApiError('OperationNotSupported', 'The operation is not supported for this resource', 400),
  restoreAlreadyInProgress: () => new ApiError('RestoreAlreadyInProgress', 'The restore operation is in progress.', 409),
  objectNotAppendable: () => new ApiError('ObjectNotAppendable', 'The object is not appendable.', 409),
  /** What OSS answers for functionality Rampart does not have; names the header when one asked for it. */
  notImplemented: (header?: string) =>
    header
      ? new ApiError('NotImplemented', 'A header you provided implies functionality that is not implemented.', 501, { Header: header })
      : new ApiError('NotImplemented', 'The operation or parameter you requested is not implemented.', 501),
  methodNotAllowed: () => new ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405),
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
