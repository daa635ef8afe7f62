// RAM's response shapes: field names, nesting and the date form (2015-01-23T12:33:18Z).
import { arn, isoSeconds } from '../../model/index.js';
import type { AttachablePolicyType, GroupRecord, PolicyRecord, PolicyVersionRecord, RoleRecord, UserRecord } from '../../store/index.js';

export const ramDate = (d: Date): string => isoSeconds(d);

export function userShape(u: UserRecord, withUpdateDate = true) {
  return {
    UserId: u.userId,
    UserName: u.userName,
    DisplayName: u.displayName,
    MobilePhone: u.mobilePhone,
    Email: u.email,
    Comments: u.comments,
    CreateDate: ramDate(u.createDate),
    ...(withUpdateDate ? { UpdateDate: ramDate(u.updateDate) } : {}),
  };
}

export function groupShape(g: GroupRecord, withUpdateDate = true) {
  return {
    GroupId: g.groupId,
    GroupName: g.groupName,
    Comments: g.comments,
    CreateDate: ramDate(g.createDate),
    ...(withUpdateDate ? { UpdateDate: ramDate(g.updateDate) } : {}),
  };
}

export function roleShape(r: RoleRecord, opts: { document?: boolean; updateDate?: boolean } = {}) {
  return {
    RoleId: r.roleId,
    RoleName: r.roleName,
    Arn: arn.ramRole(r.accountId, r.roleName),
    Description: r.description,
    ...(opts.document !== false ? { AssumeRolePolicyDocument: r.assumeRolePolicyDocument } : {}),
    MaxSessionDuration: r.maxSessionDuration,
    CreateDate: ramDate(r.createDate),
    ...(opts.updateDate !== false ? { UpdateDate: ramDate(r.updateDate) } : {}),
  };
}

export interface PolicySummary {
  PolicyName: string;
  PolicyType: AttachablePolicyType;
  Description: string;
  DefaultVersion: string;
  CreateDate: string;
  UpdateDate: string;
}

export function customPolicyShape(p: PolicyRecord): PolicySummary {
  return {
    PolicyName: p.policyName,
    PolicyType: 'Custom',
    Description: p.description,
    DefaultVersion: p.defaultVersion,
    CreateDate: ramDate(p.createDate),
    UpdateDate: ramDate(p.updateDate),
  };
}

export function versionShape(v: PolicyVersionRecord, defaultVersion: string) {
  return { VersionId: v.versionId, IsDefaultVersion: v.versionId === defaultVersion, PolicyDocument: v.document, CreateDate: ramDate(v.createDate) };
}
