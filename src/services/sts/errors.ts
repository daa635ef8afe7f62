// STS's own errors, with the real codes, statuses and texts.
import { ApiError } from '../../model/index.js';
import type { InvalidParam } from '../params.js';

const WRONGLY_FORMED: Record<string, string> = {
  RoleArn: 'The parameter RoleArn is wrongly formed.',
  RoleSessionName: 'The parameter RoleSessionName is wrongly formed.',
  ExternalId: 'The parameter ExternalId is wrongly formed.',
  DurationSeconds: 'The Min/Max value of DurationSeconds is 15min/1hr.',
};

/** STS reports a bad value as InvalidParameter.<Field>, whatever is wrong with it. */
export const stsInvalid: InvalidParam = (name: string, reason: string) =>
  new ApiError(`InvalidParameter.${name}`, `${WRONGLY_FORMED[name] ?? `The parameter ${name} is wrongly formed.`} (${reason})`, 400);

export const StsErrors = {
  rootMayNotAssume: () => new ApiError('NoPermission', 'Roles may not be assumed by root accounts.', 403),
  roleNotFound: () => new ApiError('EntityNotExist.Role', 'The specified Role not exists .', 404),
  notTrusted: (extra: Record<string, unknown>) => new ApiError('NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.', 403, extra),
  duration: (max: number) => new ApiError('InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/1hr. (This role allows 900 to ${max} seconds.)`, 400),
  chainedDuration: () =>
    new ApiError('InvalidParameter.DurationSeconds', `The Min/Max value of DurationSeconds is 15min/1hr. (A role session may assume a role for at most 3600 seconds.)`, 400),
  /** [U] no real code: chains are bounded here to keep tokens small. */
  chainTooLong: (max: number) => new ApiError('NoPermission', `You are not authorized to do this action. A role session chained through ${max} sessions may not assume another role.`, 403),
  throttled: () => new ApiError('Throttling.User', 'Request was denied due to user flow control.', 400),
};
