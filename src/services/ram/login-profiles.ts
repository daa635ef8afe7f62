// Console login profiles and the account's password policy.
import { arn } from '../../model/index.js';
import type { LoginProfileRecord } from '../../store/index.js';
import { action } from '../action.js';
import { integer, optional, string } from '../params.js';
import { RamErrors, ramInvalid } from './errors.js';
import { requireUser } from './lookup.js';
import { flag, principalName } from './params.js';
import { checkPassword, hashPassword, passwordPolicy, savePasswordPolicy, verifyPassword, type PasswordPolicy } from './password.js';
import { ramDate } from './shapes.js';

const password = () => string({ min: 1, max: 128, invalid: ramInvalid });

const profileShape = (userName: string, p: LoginProfileRecord) => ({
  UserName: userName,
  PasswordResetRequired: p.passwordResetRequired,
  MFABindRequired: p.mfaBindRequired,
  CreateDate: ramDate(p.createDate),
});

export const CreateLoginProfile = action({
  name: 'CreateLoginProfile',
  permission: 'ram:CreateLoginProfile',
  rw: 'Write',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName(), Password: password(), PasswordResetRequired: optional(flag(), false), MFABindRequired: optional(flag(), false) },
  handle: async (p, { caller, request, services }) => {
    checkPassword(p.Password, await passwordPolicy(services.store, caller.accountId));
    const passwordHash = await hashPassword(p.Password);
    return services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      if ((await tx.ram.getLoginProfile(user.userId)) !== undefined) throw RamErrors.alreadyExists('User.LoginProfile');
      const profile = {
        userId: user.userId,
        passwordHash,
        passwordResetRequired: p.PasswordResetRequired,
        mfaBindRequired: p.MFABindRequired,
        createDate: request.now,
        updateDate: request.now,
      };
      await tx.ram.putLoginProfile(profile);
      return { LoginProfile: profileShape(user.userName, profile) };
    });
  },
});

export const GetLoginProfile = action({
  name: 'GetLoginProfile',
  permission: 'ram:GetLoginProfile',
  rw: 'Read',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName() },
  handle: async (p, { caller, services }) => {
    const user = await requireUser(services.store, caller.accountId, p.UserName);
    const profile = await services.store.ram.getLoginProfile(user.userId);
    if (profile === undefined) throw RamErrors.notExist('User.LoginProfile');
    return { LoginProfile: profileShape(user.userName, profile) };
  },
});

export const UpdateLoginProfile = action({
  name: 'UpdateLoginProfile',
  permission: 'ram:UpdateLoginProfile',
  rw: 'Write',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName(), Password: optional(password()), PasswordResetRequired: optional(flag()), MFABindRequired: optional(flag()) },
  handle: async (p, { caller, request, services }) => {
    if (p.Password !== undefined) checkPassword(p.Password, await passwordPolicy(services.store, caller.accountId));
    const passwordHash = p.Password === undefined ? undefined : await hashPassword(p.Password);
    await services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      const profile = await tx.ram.getLoginProfile(user.userId);
      if (profile === undefined) throw RamErrors.notExist('User.LoginProfile');
      await tx.ram.putLoginProfile({
        ...profile,
        passwordHash: passwordHash ?? profile.passwordHash,
        passwordResetRequired: p.PasswordResetRequired ?? profile.passwordResetRequired,
        mfaBindRequired: p.MFABindRequired ?? profile.mfaBindRequired,
        updateDate: request.now,
      });
    });
    return {};
  },
});

export const DeleteLoginProfile = action({
  name: 'DeleteLoginProfile',
  permission: 'ram:DeleteLoginProfile',
  rw: 'Write',
  resource: (p, caller) => arn.ramUser(caller.accountId, p.UserName),
  params: { UserName: principalName() },
  handle: async (p, { caller, services }) => {
    await services.store.transaction(async (tx) => {
      const user = await requireUser(tx, caller.accountId, p.UserName);
      if ((await tx.ram.getLoginProfile(user.userId)) === undefined) throw RamErrors.notExist('User.LoginProfile');
      await tx.ram.deleteLoginProfile(user.userId);
    });
    return {};
  },
});

export const GetPasswordPolicy = action({
  name: 'GetPasswordPolicy',
  permission: 'ram:GetPasswordPolicy',
  rw: 'Read',
  params: {},
  handle: async (_p, { caller, services }) => ({ PasswordPolicy: await passwordPolicy(services.store, caller.accountId) }),
});

const count = (max: number) => optional(integer({ min: 0, max, invalid: ramInvalid }));

export const SetPasswordPolicy = action({
  name: 'SetPasswordPolicy',
  permission: 'ram:SetPasswordPolicy',
  rw: 'Write',
  params: {
    MinimumPasswordLength: optional(integer({ invalid: () => RamErrors.minimumPasswordLength() })),
    RequireLowercaseCharacters: optional(flag()),
    RequireUppercaseCharacters: optional(flag()),
    RequireNumbers: optional(flag()),
    RequireSymbols: optional(flag()),
    HardExpiry: optional(flag()),
    MaxPasswordAge: count(1095),
    PasswordReusePrevention: count(24),
    MaxLoginAttemps: count(32),
  },
  handle: async (p, { caller, services }) => {
    if (p.MinimumPasswordLength !== undefined && (p.MinimumPasswordLength < 8 || p.MinimumPasswordLength > 32)) throw RamErrors.minimumPasswordLength();
    const current = await passwordPolicy(services.store, caller.accountId);
    const next: PasswordPolicy = { ...current };
    for (const [k, v] of Object.entries(p)) if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    await savePasswordPolicy(services.store, caller.accountId, next);
    return { PasswordPolicy: next };
  },
});

/**
 * A RAM user changes its own console password, proving the old one. The real service lets a RAM
 * user do this when the account allows it (SetSecurityPreference's AllowUserToChangePassword, true
 * by default); Rampart has no security preferences, so it is always allowed, to RAM users only,
 * and needs no policy (a user made with PasswordResetRequired has none yet). [U] The code for a
 * wrong old password is ours.
 */
export const ChangePassword = action({
  name: 'ChangePassword',
  rw: 'Write',
  params: { OldPassword: password(), NewPassword: password() },
  handle: async (p, { caller, request, services }) => {
    if (caller.type !== 'RAMUser') throw RamErrors.onlyRamUsers('ChangePassword');
    checkPassword(p.NewPassword, await passwordPolicy(services.store, caller.accountId));
    const profile = await services.store.ram.getLoginProfile(caller.userId);
    if (profile === undefined) throw RamErrors.notExist('User.LoginProfile');
    if (!(await verifyPassword(p.OldPassword, profile.passwordHash))) throw RamErrors.oldPassword();
    const passwordHash = await hashPassword(p.NewPassword);
    await services.store.transaction(async (tx) => {
      const current = await tx.ram.getLoginProfile(caller.userId);
      if (current === undefined) throw RamErrors.notExist('User.LoginProfile');
      await tx.ram.putLoginProfile({ ...current, passwordHash, passwordResetRequired: false, updateDate: request.now });
    });
    return {};
  },
});
