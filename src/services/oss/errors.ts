// OSS's errors, with the real codes, messages and statuses: the OSS codec renders them as XML
// bodies with Code, Message, RequestId, HostId and the extra fields (for signature errors, the
// string the server signed).
import { ApiError } from '../../model/index.js';
import { OssAuthErrors } from '../../auth/oss/errors.js';
import type { XmlValue } from '../../model/index.js';

export const OssErrors = {
  ...OssAuthErrors,
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
  fileAlreadyExists: () => new ApiError('FileAlreadyExists', 'The object you specified already exists and can not be overwritten.', 409),
  methodNotAllowed: () => new ApiError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405),
};
