// ECS's own errors for instances and instance roles, with the real codes and statuses.
import { ApiError } from '../../model/index.js';

export const EcsErrors = {
  instanceNotFound: () => new ApiError('InvalidInstanceId.NotFound', 'The specified InstanceId does not exist.', 404),
  roleNotFound: () => new ApiError('InvalidRamRole.NotFound', 'The specified parameter "RAMRoleName" does not exist.', 404),
  /** 404 on AttachInstanceRamRole, 401 on RunInstances/CreateInstance, as the real service answers. */
  notEcsRole: (status: 401 | 404) => new ApiError('InvalidRamRole.NotEcsRole', 'The specified RAM role is not authorized to ECS, please check your role policy.', status),
  passRoleForbidden: (extra: Record<string, unknown>) => new ApiError('InvalidUser.PassRoleForbidden', 'The RAM user does not have the privilege to pass a RAM role.', 403, extra),
  malformedAddress: () => new ApiError('InvalidPrivateIpAddress.Malformed', 'Specified private IP address is malformed.', 400),
  addressInUse: () => new ApiError('InvalidPrivateIpAddress.Duplicated', 'Specified private IP address is duplicated.', 400),
  instanceIds: () => new ApiError('InvalidInstanceIds.Malformed', 'The specified parameter InstanceIds is not valid: expected a JSON array of instance ids.', 400),
  roleAttached: () => new ApiError('InvalidParameter.RamRoleAttached', 'The instance already has a RAM role; detach it first.', 400),
};
