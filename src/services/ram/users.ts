// RAM users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers.
import { arn } from '../../model/index.js';
import { StoreConflictError } from '../../store/index.js';
import { action } from '../action.js';
import { RamErrors } from './errors.js';
import { newUserId } from './ids.js';
import { requireUser } from './lookup.js';
import { decodeMarker, pageOf, pagingParams } from './paging.js';
import { comments, displayName, email, mobilePhone, optional, principalName } from './params.js';
import { userShape } from './shapes.js';

export const CreateUser = action({
  name: 'CreateUser',
  permission: 'ram:CreateUser',
  rw: 'Write',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: {
    UserName: principalName(),
    DisplayName: optional(displayName()),
    MobilePhone: optional(mobilePhone()),
    Email: optional(email()),
    Comments: optional(comments()),
  },
  handle: async (p, { caller, request, services }) => {
    const user = {
      userId: newUserId(),
      accountId: caller.accountId,
      userName: p.UserName,
      displayName: p.DisplayName ?? '',
      mobilePhone: p.MobilePhone ?? '',
      email: p.Email ?? '',
      comments: p.Comments ?? '',
      createDate: request.now,
      updateDate: request.now,
    };
    await services.store.transaction(async (tx) => {
      if ((await tx.ram.getUser(caller.accountId, p.UserName)) !== undefined) throw RamErrors.alreadyExists('User');
      if ((await tx.ram.countUsers(caller.accountId)) >= services.quotas.users) throw RamErrors.limitExceeded('User');
      await tx.ram.createUser(user);
    });
    return { User: userShape(user, false) };
  },
});

export const GetUser = action({
  name: 'GetUser',
  permission: 'ram:GetUser',
  rw: 'Read',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName() },
  handle: async (p, { caller, services }) => ({ User: userShape(await requireUser(services.store, caller.accountId, p.UserName)) }),
});

export const UpdateUser = action({
  name: 'UpdateUser',
  permission: 'ram:UpdateUser',
  rw: 'Write',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: {
    UserName: principalName(),
    NewUserName: optional(principalName()),
    NewDisplayName: optional(displayName()),
    NewMobilePhone: optional(mobilePhone()),
    NewEmail: optional(email()),
    NewComments: optional(comments()),
  },
  handle: async (p, { caller, request, services }) => {
    const updated = await services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      const next = {
        ...user,
        userName: p.NewUserName ?? user.userName,
        displayName: p.NewDisplayName ?? user.displayName,
        mobilePhone: p.NewMobilePhone ?? user.mobilePhone,
        email: p.NewEmail ?? user.email,
        comments: p.NewComments ?? user.comments,
        updateDate: request.now,
      };
      try {
        await tx.ram.updateUser(next);
      } catch (e) {
        if (e instanceof StoreConflictError) throw RamErrors.alreadyExists('User');
        throw e;
      }
      return next;
    });
    return { User: userShape(updated) };
  },
});

export const DeleteUser = action({
  name: 'DeleteUser',
  permission: 'ram:DeleteUser',
  rw: 'Write',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      if ((await tx.ram.groupsForUser(user.userId)).length > 0) throw RamErrors.deleteConflict('User.Group');
      if ((await tx.accessKeys.listForOwner(caller.accountId, user.userId)).length > 0) throw RamErrors.deleteConflict('User.AccessKey');
      if ((await tx.ram.getLoginProfile(user.userId)) !== undefined) throw RamErrors.deleteConflict('User.LoginProfile');
      if ((await tx.ram.attachmentsOf(caller.accountId, 'User', user.userId)).length > 0) throw RamErrors.deleteConflict('User.Policy');
      // As with keys and groups, the user's MFA device is let go of first (UnbindMFADevice).
      if ((await tx.ram.mfaDeviceOfUser(user.userId)) !== undefined) throw RamErrors.deleteConflict('User.MFADevice');
      await tx.ram.deleteUser(user.userId);
    });
    return {};
  },
});

export const ListUsers = action({
  name: 'ListUsers',
  permission: 'ram:ListUsers',
  rw: 'Read',
  resource: (_p, caller) => arn.ramAll(caller.accountId, 'user'),
  params: pagingParams(),
  handle: async (p, { caller, services }) => {
    const fetched = await services.store.ram.listUsers(caller.accountId, { after: decodeMarker(p.Marker), limit: p.MaxItems + 1 });
    const { items, ...page } = pageOf(fetched, p.MaxItems, (u) => u.userName.toLowerCase());
    return { Users: { User: items.map((u) => userShape(u)) }, ...page };
  },
});
