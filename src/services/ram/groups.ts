// RAM groups and their members.
import { arn } from '../../model/index.js';
import { StoreConflictError } from '../../store/index.js';
import { action } from '../action.js';
import { RamErrors } from './errors.js';
import { newGroupId } from './ids.js';
import { requireGroup, requireUser } from './lookup.js';
import { decodeMarker, pageOf, pagingParams } from './paging.js';
import { comments, optional, principalName } from './params.js';
import { groupShape, ramDate } from './shapes.js';

export const CreateGroup = action({
  name: 'CreateGroup',
  permission: 'ram:CreateGroup',
  rw: 'Write',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName(), Comments: optional(comments()) },
  handle: async (p, { caller, request, services }) => {
    const group = { groupId: newGroupId(), accountId: caller.accountId, groupName: p.GroupName, comments: p.Comments ?? '', createDate: request.now, updateDate: request.now };
    await services.store.transaction(async (tx) => {
      if ((await tx.ram.getGroup(caller.accountId, p.GroupName)) !== undefined) throw RamErrors.alreadyExists('Group');
      if ((await tx.ram.countGroups(caller.accountId)) >= services.quotas.groups) throw RamErrors.limitExceeded('Group');
      await tx.ram.createGroup(group);
    });
    return { Group: groupShape(group, false) };
  },
});

export const GetGroup = action({
  name: 'GetGroup',
  permission: 'ram:GetGroup',
  rw: 'Read',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName() },
  handle: async (p, { caller, services }) => ({ Group: groupShape(await requireGroup(services.store, caller.accountId, p.GroupName)) }),
});

export const UpdateGroup = action({
  name: 'UpdateGroup',
  permission: 'ram:UpdateGroup',
  rw: 'Write',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName(), NewGroupName: optional(principalName()), NewComments: optional(comments()) },
  handle: async (p, { caller, request, services }) => {
    const updated = await services.store.transaction(async (tx) => {
      const group = await requireGroup(tx, caller.accountId, p.GroupName);
      const next = { ...group, groupName: p.NewGroupName ?? group.groupName, comments: p.NewComments ?? group.comments, updateDate: request.now };
      try {
        await tx.ram.updateGroup(next);
      } catch (e) {
        if (e instanceof StoreConflictError) throw RamErrors.alreadyExists('Group');
        throw e;
      }
      return next;
    });
    return { Group: groupShape(updated) };
  },
});

export const DeleteGroup = action({
  name: 'DeleteGroup',
  permission: 'ram:DeleteGroup',
  rw: 'Write',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const group = await requireGroup(tx, caller.accountId, p.GroupName);
      if ((await tx.ram.countMembers(group.groupId)) > 0) throw RamErrors.deleteConflict('Group.User');
      if ((await tx.ram.attachmentsOf(caller.accountId, 'Group', group.groupId)).length > 0) throw RamErrors.deleteConflict('Group.Policy');
      await tx.ram.deleteGroup(group.groupId);
    });
    return {};
  },
});

export const ListGroups = action({
  name: 'ListGroups',
  permission: 'ram:ListGroups',
  rw: 'Read',
  resource: (_p, caller) => arn.ramAll(caller.accountId, 'group'),
  params: pagingParams(100),
  handle: async (p, { caller, services }) => {
    const fetched = await services.store.ram.listGroups(caller.accountId, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
    const { items, ...page } = pageOf(fetched, p.MaxItems, (g) => g.groupName.toLowerCase());
    return { Groups: { Group: items.map((g) => groupShape(g)) }, ...page };
  },
});

export const AddUserToGroup = action({
  name: 'AddUserToGroup',
  permission: 'ram:AddUserToGroup',
  rw: 'Write',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName(), UserName: principalName() },
  handle: async (p, { caller, request, services }) => {
    await services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      const group = await requireGroup(tx, caller.accountId, p.GroupName);
      const groups = await tx.ram.groupsForUser(user.userId);
      if (groups.some((g) => g.groupId === group.groupId)) throw RamErrors.alreadyExists('User.Group');
      if (groups.length >= services.quotas.groupsPerUser) throw RamErrors.limitExceeded('User.Group');
      await tx.ram.addMember(group.groupId, user.userId, request.now);
    });
    return {};
  },
});

export const RemoveUserFromGroup = action({
  name: 'RemoveUserFromGroup',
  permission: 'ram:RemoveUserFromGroup',
  rw: 'Write',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName(), UserName: principalName() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      const group = await requireGroup(tx, caller.accountId, p.GroupName);
      if (!(await tx.ram.removeMember(group.groupId, user.userId))) throw RamErrors.notExist('User.Group');
    });
    return {};
  },
});

export const ListGroupsForUser = action({
  name: 'ListGroupsForUser',
  permission: 'ram:ListGroupsForUser',
  rw: 'Read',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName() },
  handle: async (p, { caller, services }) => {
    const user = await requireUser(services.store, caller.accountId, p.UserName);
    const groups = await services.store.ram.groupsForUser(user.userId);
    return { Groups: { Group: groups.map((g) => ({ GroupName: g.groupName, GroupId: g.groupId, Comments: g.comments, JoinDate: ramDate(g.joinDate) })) } };
  },
});

export const ListUsersForGroup = action({
  name: 'ListUsersForGroup',
  permission: 'ram:ListUsersForGroup',
  rw: 'Read',
  resource: (p, caller) => arn.ramGroup(caller.accountId, p.GroupName),
  params: { GroupName: principalName(), ...pagingParams() },
  handle: async (p, { caller, services }) => {
    const group = await requireGroup(services.store, caller.accountId, p.GroupName);
    const fetched = await services.store.ram.usersForGroup(group.groupId, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
    const { items, ...page } = pageOf(fetched, p.MaxItems, (u) => u.userName.toLowerCase());
    return { Users: { User: items.map((u) => ({ UserName: u.userName, DisplayName: u.displayName, UserId: u.userId, JoinDate: ramDate(u.joinDate) })) }, ...page };
  },
});
