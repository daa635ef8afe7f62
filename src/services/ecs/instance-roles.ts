// Instance RAM roles: AttachInstanceRamRole, DetachInstanceRamRole, DescribeInstanceRamRole.
// Results are reported per instance, in the real shapes.
import { REFUSED } from './refused.js';
import { ApiError } from '../../model/index.js';
import { action } from '../action.js';
import { integer, optional, string } from '../params.js';
import { EcsErrors } from './errors.js';
import { instanceArns, instanceIds, newAttachmentId, requireInstance } from './instances.js';
import { checkSessionPolicy } from '../sts/session-policy.js';
import { passRole, requireEcsRole } from './roles.js';
import { regionArn } from './shapes.js';

interface InstanceResult {
  InstanceId: string;
  Code: string;
  Message: string;
  Success: boolean;
}

const ok = (InstanceId: string): InstanceResult => ({ InstanceId, Code: '200', Message: 'success', Success: true });

/**
 * A refusal of one instance (not found, another role attached) is that instance's result; any
 * other failure (the store, a bug) is the whole call's, an InternalError, never a per-instance line.
 */
function failed(InstanceId: string, e: unknown): InstanceResult {
  if (!(e instanceof ApiError)) throw e;
  return { InstanceId, Code: e.code, Message: e.message, Success: false };
}

export const AttachInstanceRamRole = action({
  name: 'AttachInstanceRamRole',
  refused: REFUSED.InstanceRamRole,
  permission: 'ecs:AttachInstanceRamRole',
  rw: 'Write',
  resource: (p, caller, services) => instanceArns(services, caller, p.InstanceIds, p.RegionId),
  alsoRequires: (p, caller) => passRole(caller, p.RamRoleName),
  params: { RegionId: string({ min: 1, max: 64 }), RamRoleName: string({ min: 1, max: 64 }), InstanceIds: instanceIds(), Policy: optional(string()) },
  handle: async (p, ctx) => {
    if (p.Policy !== undefined) checkSessionPolicy(p.Policy);
    const role = await requireEcsRole(ctx.services.store, ctx.services, ctx.caller.accountId, p.RamRoleName, 404);
    const results: InstanceResult[] = [];
    for (const id of p.InstanceIds) {
      try {
        const instance = await requireInstance(ctx, id, p.RegionId);
        if (instance.ramRoleName !== undefined && instance.ramRoleName.toLowerCase() !== role.roleName.toLowerCase()) throw EcsErrors.roleAttached();
        // The same role with the same policy again changes nothing; anything else is a new
        // attachment, and the sessions of the one it replaces end.
        const same = instance.ramRoleAttachment !== undefined && instance.ramRolePolicy === p.Policy;
        if (!same) await ctx.services.store.ecs.update({ ...instance, ramRoleName: role.roleName, ramRoleAttachment: newAttachmentId(), ramRolePolicy: p.Policy });
        results.push(ok(id));
      } catch (e) {
        results.push(failed(id, e));
      }
    }
    if (results.every((r) => !r.Success) && results.length === 1 && results[0]?.Code === 'InvalidInstanceId.NotFound') throw EcsErrors.instanceNotFound();
    return {
      RamRoleName: role.roleName,
      TotalCount: results.length,
      FailCount: results.filter((r) => !r.Success).length,
      AttachInstanceRamRoleResults: { AttachInstanceRamRoleResult: results },
    };
  },
});

export const DetachInstanceRamRole = action({
  name: 'DetachInstanceRamRole',
  refused: REFUSED.InstanceRamRole,
  permission: 'ecs:DetachInstanceRamRole',
  rw: 'Write',
  resource: (p, caller, services) => instanceArns(services, caller, p.InstanceIds, p.RegionId),
  params: { RegionId: string({ min: 1, max: 64 }), InstanceIds: instanceIds(), RamRoleName: optional(string({ min: 1, max: 64 })) },
  handle: async (p, ctx) => {
    const results: (InstanceResult & { InstanceRamRoleSets?: object })[] = [];
    let roleName = p.RamRoleName ?? '';
    for (const id of p.InstanceIds) {
      try {
        const instance = await requireInstance(ctx, id, p.RegionId);
        if (instance.ramRoleName === undefined || (p.RamRoleName !== undefined && instance.ramRoleName.toLowerCase() !== p.RamRoleName.toLowerCase())) {
          throw EcsErrors.roleNotFound();
        }
        roleName = instance.ramRoleName;
        await ctx.services.store.ecs.update({ ...instance, ramRoleName: undefined, ramRoleAttachment: undefined, ramRolePolicy: undefined });
        results.push({ ...ok(id), InstanceRamRoleSets: { InstanceRamRoleSet: [{ InstanceId: id, RamRoleName: instance.ramRoleName }] } });
      } catch (e) {
        results.push(failed(id, e));
      }
    }
    if (results.length === 1 && !results[0]?.Success && results[0]?.Code === 'InvalidInstanceId.NotFound') throw EcsErrors.instanceNotFound();
    return {
      RamRoleName: roleName,
      TotalCount: results.length,
      FailCount: results.filter((r) => !r.Success).length,
      DetachInstanceRamRoleResults: { DetachInstanceRamRoleResult: results },
    };
  },
});

export const DescribeInstanceRamRole = action({
  name: 'DescribeInstanceRamRole',
  refused: REFUSED.InstanceRamRole,
  permission: 'ecs:DescribeInstanceRamRole',
  rw: 'Read',
  resource: (p, caller) => regionArn(p.RegionId, caller.accountId, 'instance/*'),
  params: {
    RegionId: string({ min: 1, max: 64 }),
    InstanceIds: optional(instanceIds()),
    RamRoleName: optional(string()),
    PageNumber: optional(integer({ min: 1 }), 1),
    PageSize: optional(integer({ min: 1, max: 100 }), 50),
  },
  handle: async (p, { caller, services }) => {
    const sets = (await services.store.ecs.list(caller.accountId, p.RegionId))
      .filter((i) => i.ramRoleName !== undefined)
      .filter((i) => p.InstanceIds === undefined || p.InstanceIds.includes(i.instanceId))
      .filter((i) => p.RamRoleName === undefined || i.ramRoleName?.toLowerCase() === p.RamRoleName.toLowerCase())
      .map((i) => ({ InstanceId: i.instanceId, RamRoleName: i.ramRoleName ?? '' }));
    return {
      RegionId: p.RegionId,
      TotalCount: sets.length,
      InstanceRamRoleSets: { InstanceRamRoleSet: sets.slice((p.PageNumber - 1) * p.PageSize, p.PageNumber * p.PageSize) },
    };
  },
});
