// ECS instances (2014-05-26), as far as instance roles need them: register (RunInstances,
// CreateInstance) with a private address the metadata service will know the instance by,
// describe, delete, and set the metadata options.
import { REFUSED } from './refused.js';
import { randomInt } from 'node:crypto';
import { randomBase62, type Principal } from '../../model/index.js';
import { StoreConflictError, type InstanceRecord } from '../../store/index.js';
import { action, type ActionContext, type Services } from '../action.js';
import { boolean, custom, integer, oneOf, optional, string, type ParamValues } from '../params.js';
import { EcsErrors } from './errors.js';
import { instanceArn, instanceShape, regionArn } from './shapes.js';
import { passRole, requireEcsRole } from './roles.js';
import { isIP } from 'node:net';

export const newInstanceId = (): string => `i-${randomBase62(20).toLowerCase()}`;

/**
 * An address in one canonical spelling (IPv6 compressed and lower-case, an IPv4-mapped IPv6 as
 * plain IPv4, the form the metadata service sees callers in): instances are told apart by their
 * address, so two spellings of one address must be one address, and conflict.
 */
export function canonicalAddress(raw: string): string | undefined {
  const family = isIP(raw);
  if (family === 4) return raw;
  // A zone (fe80::1%eth0) names an interface of one host, not an instance's address.
  if (family !== 6 || raw.includes('%')) return undefined;
  const compressed = new URL(`http://[${raw}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped === null) return compressed;
  const hi = parseInt(mapped[1] ?? '0', 16);
  const lo = parseInt(mapped[2] ?? '0', 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

const address = () =>
  custom((raw) => {
    const canonical = canonicalAddress(raw);
    if (canonical === undefined) throw EcsErrors.malformedAddress();
    return canonical;
  });

/** Addresses handed out when the caller names none: 172.31.x.y, never one already in use. */
async function freeAddress(ctx: ActionContext): Promise<string> {
  for (;;) {
    const ip = `172.31.${randomInt(0, 256)}.${randomInt(2, 255)}`;
    if ((await ctx.services.store.ecs.byPrivateIp(ip)) === undefined) return ip;
  }
}

const createParams = {
  RegionId: string({ min: 1, max: 64 }),
  ImageId: string({ min: 1, max: 128 }),
  InstanceType: string({ min: 1, max: 64 }),
  InstanceName: optional(string({ min: 2, max: 128 })),
  HostName: optional(string({ min: 2, max: 64 })),
  RamRoleName: optional(string({ min: 1, max: 64 })),
  PrivateIpAddress: optional(address()),
  HttpTokens: optional(oneOf(['optional', 'required'] as const), 'optional' as const),
  HttpEndpoint: optional(oneOf(['enabled', 'disabled'] as const), 'enabled' as const),
};

/** A fresh id for one attachment of a role to an instance. */
export const newAttachmentId = (): string => randomBase62(16);

async function register(p: ParamValues<typeof createParams>, ctx: ActionContext): Promise<InstanceRecord> {
  const { caller, request, services } = ctx;
  const role = p.RamRoleName === undefined ? undefined : await requireEcsRole(services.store, services, caller.accountId, p.RamRoleName, 401);
  const instanceId = newInstanceId();
  const instance: InstanceRecord = {
    instanceId,
    accountId: caller.accountId,
    regionId: p.RegionId,
    instanceName: p.InstanceName ?? instanceId,
    hostName: p.HostName ?? `iZ${instanceId.slice(2, 14)}Z`,
    instanceType: p.InstanceType,
    imageId: p.ImageId,
    privateIp: p.PrivateIpAddress ?? (await freeAddress(ctx)),
    ramRoleName: role?.roleName,
    ramRoleAttachment: role === undefined ? undefined : newAttachmentId(),
    ramRolePolicy: undefined,
    httpTokens: p.HttpTokens,
    httpEndpoint: p.HttpEndpoint,
    creationTime: request.now,
  };
  try {
    await services.store.ecs.create(instance);
  } catch (e) {
    if (e instanceof StoreConflictError) throw EcsErrors.addressInUse();
    throw e;
  }
  return instance;
}

export const CreateInstance = action({
  name: 'CreateInstance',
  refused: REFUSED.CreateInstance,
  permission: 'ecs:CreateInstance',
  rw: 'Write',
  resource: (p, caller) => regionArn(p.RegionId, caller.accountId, 'instance/*'),
  alsoRequires: (p, caller) => passRole(caller, p.RamRoleName),
  params: createParams,
  handle: async (p, ctx) => {
    const instance = await register(p, ctx);
    return { InstanceId: instance.instanceId, OrderId: '', TradePrice: 0 };
  },
});

export const RunInstances = action({
  name: 'RunInstances',
  refused: REFUSED.RunInstances,
  permission: 'ecs:RunInstances',
  rw: 'Write',
  resource: (p, caller) => regionArn(p.RegionId, caller.accountId, 'instance/*'),
  alsoRequires: (p, caller) => passRole(caller, p.RamRoleName),
  // One instance per call here: each needs its own private address.
  params: { ...createParams, Amount: optional(integer({ min: 1, max: 1 }), 1) },
  handle: async (p, ctx) => {
    const instance = await register(p, ctx);
    return { InstanceIdSets: { InstanceIdSet: [instance.instanceId] }, OrderId: '', TradePrice: 0 };
  },
});

/** InstanceIds arrive as a JSON array in a string, as the SDKs send them. */
export const instanceIds = () =>
  custom((raw) => {
    let ids: unknown;
    try {
      ids = JSON.parse(raw);
    } catch {
      throw EcsErrors.instanceIds();
    }
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((i) => typeof i === 'string')) throw EcsErrors.instanceIds();
    return ids as string[];
  });

export const DescribeInstances = action({
  name: 'DescribeInstances',
  refused: REFUSED.DescribeInstances,
  permission: 'ecs:DescribeInstances',
  rw: 'Read',
  resource: (p, caller) => regionArn(p.RegionId, caller.accountId, 'instance/*'),
  params: {
    RegionId: string({ min: 1, max: 64 }),
    InstanceIds: optional(instanceIds()),
    PageNumber: optional(integer({ min: 1 }), 1),
    PageSize: optional(integer({ min: 1, max: 100 }), 10),
  },
  handle: async (p, { caller, services }) => {
    const all = (await services.store.ecs.list(caller.accountId, p.RegionId)).filter((i) => p.InstanceIds === undefined || p.InstanceIds.includes(i.instanceId));
    const page = all.slice((p.PageNumber - 1) * p.PageSize, p.PageNumber * p.PageSize);
    return { TotalCount: all.length, PageNumber: p.PageNumber, PageSize: p.PageSize, Instances: { Instance: page.map(instanceShape) } };
  },
});

/** The caller's instance; one in another region than the RegionId named is not found there. */
async function findInstance(services: Services, caller: Principal, instanceId: string, regionId: string | undefined): Promise<InstanceRecord | undefined> {
  const instance = await services.store.ecs.get(instanceId);
  if (instance === undefined || instance.accountId !== caller.accountId) return undefined;
  if (regionId !== undefined && instance.regionId !== regionId) return undefined;
  return instance;
}

export async function requireInstance(ctx: ActionContext, instanceId: string, regionId: string | undefined): Promise<InstanceRecord> {
  const instance = await findInstance(ctx.services, ctx.caller, instanceId, regionId);
  if (instance === undefined) throw EcsErrors.instanceNotFound();
  return instance;
}

/**
 * The ARNs of the instances a call names, each in the instance's own region as stored. An id that
 * names no instance of the caller's (there) gets the ARN the caller asked for, so authorization
 * says nothing about whether it exists; the handler then answers InvalidInstanceId.NotFound.
 */
export async function instanceArns(services: Services, caller: Principal, instanceIds: readonly string[], regionId: string | undefined): Promise<string[]> {
  const arns: string[] = [];
  for (const id of instanceIds) {
    const instance = await findInstance(services, caller, id, regionId);
    arns.push(instanceArn(instance?.regionId ?? regionId ?? '*', caller.accountId, id));
  }
  return arns;
}

export const DeleteInstance = action({
  name: 'DeleteInstance',
  refused: REFUSED.DeleteInstance,
  permission: 'ecs:DeleteInstance',
  rw: 'Write',
  resource: (p, caller, services) => instanceArns(services, caller, [p.InstanceId], p.RegionId),
  // Force releases a running instance; every instance here may be released, so either value does.
  // RegionId is not in DeleteInstance's model, but generic clients send it with every ECS call:
  // honoured like everywhere else (an instance is not found in a region it is not in).
  params: { InstanceId: string({ min: 1, max: 64 }), Force: optional(boolean()), RegionId: optional(string({ min: 1, max: 64 })) },
  handle: async (p, ctx) => {
    const instance = await requireInstance(ctx, p.InstanceId, p.RegionId);
    await ctx.services.store.ecs.delete(instance.instanceId);
    return {};
  },
});

export const ModifyInstanceMetadataOptions = action({
  name: 'ModifyInstanceMetadataOptions',
  refused: REFUSED.ModifyInstanceMetadataOptions,
  permission: 'ecs:ModifyInstanceMetadataOptions',
  rw: 'Write',
  resource: (p, caller, services) => instanceArns(services, caller, [p.InstanceId], p.RegionId),
  params: {
    InstanceId: string({ min: 1, max: 64 }),
    RegionId: optional(string()),
    HttpTokens: optional(oneOf(['optional', 'required'] as const)),
    HttpEndpoint: optional(oneOf(['enabled', 'disabled'] as const)),
  },
  handle: async (p, ctx) => {
    const instance = await requireInstance(ctx, p.InstanceId, p.RegionId);
    await ctx.services.store.ecs.update({ ...instance, httpTokens: p.HttpTokens ?? instance.httpTokens, httpEndpoint: p.HttpEndpoint ?? instance.httpEndpoint });
    return {};
  },
});
