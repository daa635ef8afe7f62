// The reads every signed request makes (its AccessKey and user, an STS session's role and
// instance, the metadata caller's instance, the bucket an OSS request names with its ACL, policy
// and CORS rules) served from memory. Kept exact by the change feed: a disabled key, a deleted
// user, a revoked role session or a new Deny in a bucket policy holds on the very next request,
// here or, through catchUp(), when another process made the change.
import { FreshCache, Freshness } from './freshness.js';
import type { Store } from './repositories.js';

export function withReadCache(store: Store, onLookup?: (cache: string, hit: boolean) => void): Store {
  const freshness = new Freshness(store.changes);
  const told = (cache: string) => (onLookup ? (hit: boolean) => onLookup(cache, hit) : undefined);
  const keys = new FreshCache<NonNullable<Awaited<ReturnType<Store['accessKeys']['get']>>>>(freshness, undefined, told('access-keys'));
  const users = new FreshCache<NonNullable<Awaited<ReturnType<Store['ram']['getUserById']>>>>(freshness, undefined, told('users'));
  const roles = new FreshCache<NonNullable<Awaited<ReturnType<Store['ram']['getRoleById']>>>>(freshness, undefined, told('roles'));
  const instances = new FreshCache<NonNullable<Awaited<ReturnType<Store['ecs']['get']>>>>(freshness, undefined, told('instances'));
  const buckets = new FreshCache<NonNullable<Awaited<ReturnType<Store['oss']['getBucket']>>>>(freshness, undefined, told('buckets'));

  // Prototype-backed overrides keep every other method of the repositories as it is.
  const accessKeys: Store['accessKeys'] = Object.create(store.accessKeys);
  accessKeys.get = (id) => keys.get(id, () => store.accessKeys.get(id));
  const ram: Store['ram'] = Object.create(store.ram);
  ram.getUserById = (id) => users.get(id, () => store.ram.getUserById(id));
  ram.getRoleById = (id) => roles.get(`id\n${id}`, () => store.ram.getRoleById(id));
  ram.getRole = (accountId, name) => roles.get(`name\n${accountId}\n${name}`, () => store.ram.getRole(accountId, name));
  const ecs: Store['ecs'] = Object.create(store.ecs);
  ecs.get = (id) => instances.get(`id\n${id}`, () => store.ecs.get(id));
  ecs.byPrivateIp = (ip) => instances.get(`ip\n${ip}`, () => store.ecs.byPrivateIp(ip));
  const oss: Store['oss'] = Object.create(store.oss);
  oss.getBucket = (name) => buckets.get(name, () => store.oss.getBucket(name));
  return { ...store, accessKeys, ram, ecs, oss };
}
