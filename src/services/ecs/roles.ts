// Giving an instance a role: the role must exist and trust ecs.aliyuncs.com, and the caller must
// hold ram:PassRole on it (declared on the actions, checked and audited by the lifecycle).
import { arn, type Principal } from '../../model/index.js';
import type { Repositories, RoleRecord } from '../../store/index.js';
import type { Check, Services } from '../action.js';
import { EcsErrors } from './errors.js';
import { conditionContext } from '../../policy/index.js';

export const ECS_SERVICE = 'ecs.aliyuncs.com';

/** ram:PassRole on the role, for the ECS service: what an operator needs to hand a role to an instance. */
export function passRole(caller: Principal, roleName: string | undefined): Check[] {
  if (roleName === undefined) return [];
  return [
    {
      permission: 'ram:PassRole',
      resource: arn.ramRole(caller.accountId, roleName),
      context: { 'acs:Service': ECS_SERVICE },
      refusal: (detail) => EcsErrors.passRoleForbidden(detail),
    },
  ];
}

export async function requireEcsRole(repos: Repositories, services: Services, accountId: string, roleName: string, notEcsStatus: 401 | 404): Promise<RoleRecord> {
  const role = await repos.ram.getRole(accountId, roleName);
  if (role === undefined) throw EcsErrors.roleNotFound();
  const trusted = services.trust.evaluate(role, { kind: 'Service', name: ECS_SERVICE }, conditionContext({}));
  if (trusted.effect !== 'Allow') throw EcsErrors.notEcsRole(notEcsStatus);
  return role;
}
