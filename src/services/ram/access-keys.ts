// AccessKeys of RAM users (or of the account root, when the root calls without UserName):
// CreateAccessKey (the secret is shown this once), UpdateAccessKey, DeleteAccessKey, ListAccessKeys.
// Without UserName the keys are the caller's own: a RAM user's, or the root's for the root itself.
// A role session has no keys of its own and may never reach the root's, whatever its policies
// allow: it must name a user.
import { arn, CommonErrors, newAccessKeyId, newAccessKeySecret, type Principal } from '../../model/index.js';
import type { AccessKeyRecord, Repositories } from '../../store/index.js';
import { action } from '../action.js';
import { oneOf, optional, string } from '../params.js';
import { RamErrors, ramInvalid } from './errors.js';
import { requireUser } from './lookup.js';
import { principalName } from './params.js';
import { ramDate } from './shapes.js';

/** Whose keys: the named user, or the caller itself (a RAM user, or the root) when no name is given. */
interface KeyOwner {
  userId: string | undefined;
}

async function owner(repos: Repositories, caller: Principal, userName: string | undefined): Promise<KeyOwner> {
  if (userName !== undefined) return { userId: (await requireUser(repos, caller.accountId, userName)).userId };
  switch (caller.type) {
    case 'RAMUser':
      return { userId: caller.userId };
    case 'Account':
      return { userId: undefined };
    case 'AssumedRoleUser':
    case 'Anonymous':
      // [U] The real answer to a role session without UserName was not found.
      throw CommonErrors.missing('UserName');
  }
}

function ownerArn(caller: Principal, userName: string | undefined): string {
  if (userName !== undefined) return arn.ramUser(caller.accountId, userName);
  switch (caller.type) {
    case 'RAMUser':
      return arn.ramUser(caller.accountId, caller.userName);
    case 'Account':
      return arn.accountRoot(caller.accountId);
    case 'AssumedRoleUser':
    case 'Anonymous':
      throw CommonErrors.missing('UserName');
  }
}

async function requireKey(repos: Repositories, caller: Principal, who: KeyOwner, accessKeyId: string): Promise<AccessKeyRecord> {
  const key = await repos.accessKeys.get(accessKeyId);
  if (key === undefined || key.accountId !== caller.accountId || key.userId !== who.userId) throw RamErrors.notExist('User.AccessKey');
  return key;
}

const keyShape = (k: AccessKeyRecord) => ({ AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: ramDate(k.createdAt) });

export const CreateAccessKey = action({
  name: 'CreateAccessKey',
  permission: 'ram:CreateAccessKey',
  rw: 'Write',
  resource: (p, caller) => ownerArn(caller, p.UserName),
  params: { UserName: optional(principalName()) },
  handle: async (p, { caller, request, services }) => {
    const created = await services.store.transaction(async (tx) => {
      const who = await owner(tx, caller, p.UserName);
      const existing = await tx.accessKeys.listForOwner(caller.accountId, who.userId);
      if (existing.length >= services.quotas.accessKeysPerUser) throw RamErrors.limitExceeded('User.AccessKey');
      return tx.accessKeys.create({
        accessKeyId: newAccessKeyId(),
        accountId: caller.accountId,
        ...(who.userId !== undefined ? { userId: who.userId } : {}),
        secret: newAccessKeySecret(),
        createdAt: request.now,
      });
    });
    return { AccessKey: { ...keyShape(created), AccessKeySecret: created.secret } };
  },
});

export const UpdateAccessKey = action({
  name: 'UpdateAccessKey',
  permission: 'ram:UpdateAccessKey',
  rw: 'Write',
  resource: (p, caller) => ownerArn(caller, p.UserName),
  params: {
    UserName: optional(principalName()),
    UserAccessKeyId: string({ min: 1, max: 128, invalid: ramInvalid }),
    Status: oneOf(['Active', 'Inactive'] as const, { invalid: ramInvalid }),
  },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const key = await requireKey(tx, caller, await owner(tx, caller, p.UserName), p.UserAccessKeyId);
      await tx.accessKeys.setStatus(key.accessKeyId, p.Status);
    });
    return {};
  },
});

export const DeleteAccessKey = action({
  name: 'DeleteAccessKey',
  permission: 'ram:DeleteAccessKey',
  rw: 'Write',
  resource: (p, caller) => ownerArn(caller, p.UserName),
  params: { UserName: optional(principalName()), UserAccessKeyId: string({ min: 1, max: 128, invalid: ramInvalid }) },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const key = await requireKey(tx, caller, await owner(tx, caller, p.UserName), p.UserAccessKeyId);
      await tx.accessKeys.delete(key.accessKeyId);
    });
    return {};
  },
});

export const ListAccessKeys = action({
  name: 'ListAccessKeys',
  permission: 'ram:ListAccessKeys',
  rw: 'Read',
  resource: (p, caller) => ownerArn(caller, p.UserName),
  params: { UserName: optional(principalName()) },
  handle: async (p, { caller, services }) => {
    const who = await owner(services.store, caller, p.UserName);
    const keys = await services.store.accessKeys.listForOwner(caller.accountId, who.userId);
    return { AccessKeys: { AccessKey: keys.map(keyShape) } };
  },
});
