// Virtual MFA devices: made with a TOTP seed (shown once, as text and as a QR code for an
// authenticator app), bound to one user by two consecutive codes, unbound, deleted. The console's
// sign-in asks a user with a bound device for a code, and such a session has acs:MFAPresent.
// [U] The codes for a wrong authentication code and for a device or user already bound are ours;
// the shapes are the official SDK's.
import QRCode from 'qrcode';
import { fromBase32, hotp, newTotpSeed, totpStep } from '../../auth/totp.js';
import { ApiError } from '../../model/index.js';
import type { MfaDeviceRecord } from '../../store/index.js';
import { StoreConflictError } from '../../store/index.js';
import { action, type ActionContext } from '../action.js';
import { string } from '../params.js';
import { RamErrors } from './errors.js';
import { requireUser } from './lookup.js';
import { principalName } from './params.js';
import { ramDate } from './shapes.js';

export const mfaSerial = (accountId: string, name: string): string => `acs:ram::${accountId}:mfa/${name}`;

/** The seed is sealed for its own serial number: a sealed seed moved to another row does not open. */
export const seedContext = (serialNumber: string): string => `mfa-seed:${serialNumber}`;

const MfaErrors = {
  code: () => new ApiError('InvalidParameter.AuthenticationCode', 'The authentication codes are not two consecutive codes of this device.', 400),
  deviceBound: () => new ApiError('EntityAlreadyExists.VirtualMFADevice.User', 'The virtual MFA device is already bound to a user.', 409),
  userBound: () => new ApiError('EntityAlreadyExists.User.MFADevice', 'The user already has an MFA device.', 409),
};

const code = () => string({ min: 6, max: 6, pattern: /^\d{6}$/, patternText: 'six digits' });
const serialNumber = () => string({ min: 1, max: 256 });

async function requireDevice(store: { getMfaDevice(s: string): Promise<MfaDeviceRecord | undefined> }, accountId: string, serial: string): Promise<MfaDeviceRecord> {
  const device = await store.getMfaDevice(serial);
  if (device === undefined || device.accountId !== accountId) throw RamErrors.notExist('VirtualMFADevice');
  return device;
}

export const CreateVirtualMFADevice = action({
  name: 'CreateVirtualMFADevice',
  permission: 'ram:CreateVirtualMFADevice',
  rw: 'Write',
  resource: (p, caller) => mfaSerial(caller.accountId, p.VirtualMFADeviceName),
  params: { VirtualMFADeviceName: principalName() },
  handle: async (p, { caller, request, services }) => {
    const serial = mfaSerial(caller.accountId, p.VirtualMFADeviceName);
    const seed = newTotpSeed();
    try {
      await services.store.ram.createMfaDevice({ serialNumber: serial, accountId: caller.accountId, sealedSeed: services.box.seal(seed, seedContext(serial)), userId: undefined, activateDate: undefined, createDate: request.now });
    } catch (e) {
      if (e instanceof StoreConflictError) throw RamErrors.alreadyExists('VirtualMFADevice');
      throw e;
    }
    const uri = `otpauth://totp/${encodeURIComponent(`${p.VirtualMFADeviceName}@${caller.accountId}`)}?secret=${seed}&issuer=Rampart`;
    const png = await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2 });
    return { VirtualMFADevice: { SerialNumber: serial, Base32StringSeed: seed, QRCodePNG: png.toString('base64') } };
  },
});

export const BindMFADevice = action({
  name: 'BindMFADevice',
  permission: 'ram:BindMFADevice',
  rw: 'Write',
  resource: (p, caller) => `acs:ram::${caller.accountId}:user/${p.UserName}`,
  params: { SerialNumber: serialNumber(), UserName: principalName(), AuthenticationCode1: code(), AuthenticationCode2: code() },
  handle: async (p, { caller, request, services }) => {
    const { ram } = services.store;
    const device = await requireDevice(ram, caller.accountId, p.SerialNumber);
    const user = await requireUser(services.store, caller.accountId, p.UserName);
    if (device.userId !== undefined) throw MfaErrors.deviceBound();
    if ((await ram.mfaDeviceOfUser(user.userId)) !== undefined) throw MfaErrors.userBound();
    // Two consecutive codes, the first of the last two steps or of this one: proof the app holds the seed.
    const key = fromBase32(services.box.open(device.sealedSeed, seedContext(device.serialNumber)));
    const now = totpStep(request.now.getTime());
    let proven = false;
    for (let step = now - 2; step <= now && !proven; step++) proven = hotp(key, step) === p.AuthenticationCode1 && hotp(key, step + 1) === p.AuthenticationCode2;
    if (!proven) throw MfaErrors.code();
    if (!(await ram.bindMfaDevice(device.serialNumber, user.userId, request.now))) throw MfaErrors.userBound();
    return {};
  },
});

/** The device bound to a user of the caller's account; EntityNotExist.User.MFADevice when none is. */
async function boundDevice(ctx: ActionContext, userName: string): Promise<MfaDeviceRecord> {
  const user = await requireUser(ctx.services.store, ctx.caller.accountId, userName);
  const device = await ctx.services.store.ram.mfaDeviceOfUser(user.userId);
  if (device === undefined) throw RamErrors.notExist('User.MFADevice');
  return device;
}

export const UnbindMFADevice = action({
  name: 'UnbindMFADevice',
  permission: 'ram:UnbindMFADevice',
  rw: 'Write',
  resource: (p, caller) => `acs:ram::${caller.accountId}:user/${p.UserName}`,
  params: { UserName: principalName() },
  handle: async (p, ctx) => {
    const device = await boundDevice(ctx, p.UserName);
    await ctx.services.store.ram.unbindMfaDevice(device.serialNumber);
    return { MFADevice: { SerialNumber: device.serialNumber } };
  },
});

export const GetUserMFAInfo = action({
  name: 'GetUserMFAInfo',
  permission: 'ram:GetUserMFAInfo',
  rw: 'Read',
  resource: (p, caller) => `acs:ram::${caller.accountId}:user/${p.UserName}`,
  params: { UserName: principalName() },
  handle: async (p, ctx) => ({ MFADevice: { SerialNumber: (await boundDevice(ctx, p.UserName)).serialNumber, Type: 'VMFA' } }),
});

export const ListVirtualMFADevices = action({
  name: 'ListVirtualMFADevices',
  permission: 'ram:ListVirtualMFADevices',
  rw: 'Read',
  params: {},
  handle: async (_p, { caller, services }) => {
    const devices = await services.store.ram.listMfaDevices(caller.accountId);
    const shaped = [];
    for (const d of devices) {
      const user = d.userId === undefined ? undefined : await services.store.ram.getUserById(d.userId);
      shaped.push({
        SerialNumber: d.serialNumber,
        ...(d.activateDate ? { ActivateDate: ramDate(d.activateDate) } : {}),
        ...(user ? { User: { UserId: user.userId, UserName: user.userName, DisplayName: user.displayName } } : {}),
      });
    }
    return { VirtualMFADevices: { VirtualMFADevice: shaped } };
  },
});

export const DeleteVirtualMFADevice = action({
  name: 'DeleteVirtualMFADevice',
  permission: 'ram:DeleteVirtualMFADevice',
  rw: 'Write',
  resource: (p) => p.SerialNumber,
  params: { SerialNumber: serialNumber() },
  handle: async (p, { caller, services }) => {
    const device = await requireDevice(services.store.ram, caller.accountId, p.SerialNumber);
    if (device.userId !== undefined) throw RamErrors.deleteConflict('VirtualMFADevice.User');
    await services.store.ram.deleteMfaDevice(device.serialNumber);
    return {};
  },
});
