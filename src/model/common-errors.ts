// The errors every RPC product's gateway returns, with the real codes, statuses and messages
// (see shared/ALIBABA-FACTS.md). Where no source settled a detail, the choice is marked [U].
import { ApiError } from './errors.js';

export const CommonErrors = {
  /** Current gateways answer Missing<Param> / "<Param> is mandatory for this action." */
  missing: (name: string) => new ApiError(`Missing${name}`, `${name} is mandatory for this action.`, 400),

  accessKeyNotFound: () => new ApiError('InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404),
  accessKeyInactive: () => new ApiError('InvalidAccessKeyId.Inactive', 'Specified access key is disabled.', 400),

  /** RPC v1: the credentials SDK parses the text after "is:" and compares it with its own. */
  rpcSignatureMismatch: (stringToSign: string) =>
    new ApiError(
      'SignatureDoesNotMatch',
      `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`,
      400,
    ),
  acs3SignatureMismatch: (stringToSign: string) =>
    new ApiError('SignatureDoesNotMatch', `Specified signature does not match our calculation. server StringToSign is [${stringToSign}]`, 400),
  incompleteSignature: (detail?: string) =>
    new ApiError('IncompleteSignature', `The request signature does not conform to Aliyun standards.${detail ? ` ${detail}` : ''}`, 400),
  /** [U] message and status. */
  invalidSignatureMethod: (name: string, value: string) =>
    new ApiError('InvalidSignatureMethod', `Specified signature method is not supported: ${name}=${value}.`, 400),

  timestampFormat: () => new ApiError('InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.', 400),
  timestampExpired: () => new ApiError('InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.', 400),
  nonceUsed: () => new ApiError('SignatureNonceUsed', 'Specified signature nonce was used already.', 400),

  missingSecurityToken: () => new ApiError('MissingSecurityToken', 'SecurityToken is mandatory for this action.', 400),
  securityTokenExpired: () => new ApiError('InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.', 400),
  securityTokenMalformed: () => new ApiError('InvalidSecurityToken.Malformed', 'Specified SecurityToken is malformed.', 400),
  securityTokenMismatch: () =>
    new ApiError('InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.', 400),

  actionNotFound: () => new ApiError('InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404),
  invalidVersion: () => new ApiError('InvalidVersion', 'Specified parameter Version is not valid.', 400),
  /** [U] message and status; the code is in the published list of gateway codes. */
  invalidFormat: (value: string) =>
    new ApiError('InvalidParameter.Format', `Specified parameter Format is not valid: ${value}. Use JSON or XML.`, 400),

  /** [U] the real gateway's answers to undecodable or ambiguous requests were not found. */
  malformedRequest: (why: string) => new ApiError('InvalidParameter', `The request is malformed: ${why}.`, 400),
  requestTooLarge: (limit: number) =>
    new ApiError('RequestEntityTooLarge', `The request body exceeds the limit of ${limit} bytes.`, 413),

  /** [U] The gateway ignores what it does not know; Rampart refuses what it does not honour. */
  unsupportedParameter: (name: string) =>
    new ApiError('InvalidParameter', `The parameter ${name} is not supported by this server: the request was not run.`, 400),

  noPermission: (extra: Record<string, unknown> = {}) =>
    new ApiError('NoPermission', 'You are not authorized to do this action.', 403, extra),

  /** The database or Redis behind Rampart does not answer: the gateway's answer to a temporary failure. */
  serviceUnavailable: () => new ApiError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503),

  internal: () => new ApiError('InternalError', 'The request processing has failed due to some unknown error, exception or failure.', 500),
} as const;
