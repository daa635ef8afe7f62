// One conformance suite for every storage backend: each backend's test file calls it with a
// factory that opens a fresh, empty store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreConflictError, type AuditEventRow, type InstanceRecord, type ObjectRecord, type OidcProviderRecord, type SamlProviderRecord, type Store } from '../../src/store/index.js';

export function storeConformance(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>): void {
  const t0 = new Date('2026-11-24T10:00:00.000Z');

  async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
    const { store, cleanup } = await open();
    try {
      await fn(store);
    } finally {
      await store.close();
      await cleanup();
    }
  }

  test(`${name}: accounts are created once and listed in creation order`, () =>
    withStore(async (store) => {
      await store.accounts.create('2000000000000002', new Date(t0.getTime() + 1));
      await store.accounts.create('1000000000000001', t0);
      await assert.rejects(store.accounts.create('1000000000000001', t0), StoreConflictError);
      assert.deepEqual(await store.accounts.get('1000000000000001'), { accountId: '1000000000000001', createdAt: t0 });
      assert.equal(await store.accounts.get('9999999999999999'), undefined);
      assert.deepEqual((await store.accounts.list()).map((a) => a.accountId), ['1000000000000001', '2000000000000002']);
    }));

  test(`${name}: AccessKeys keep their secret, status and owner`, () =>
    withStore(async (store) => {
      await store.accounts.create('1000000000000001', t0);
      const created = await store.accessKeys.create({ accessKeyId: 'LTAI5tAAAAAAAAAAAAAAAAAA', accountId: '1000000000000001', secret: 's3cret-value', createdAt: t0 });
      assert.deepEqual(created, { accessKeyId: 'LTAI5tAAAAAAAAAAAAAAAAAA', accountId: '1000000000000001', userId: undefined, secret: 's3cret-value', status: 'Active', createdAt: t0 });
      assert.deepEqual(await store.accessKeys.get('LTAI5tAAAAAAAAAAAAAAAAAA'), created);
      await assert.rejects(
        store.accessKeys.create({ accessKeyId: 'LTAI5tAAAAAAAAAAAAAAAAAA', accountId: '1000000000000001', secret: 'x', createdAt: t0 }),
        StoreConflictError,
      );
      await store.accessKeys.setStatus('LTAI5tAAAAAAAAAAAAAAAAAA', 'Inactive');
      await store.accessKeys.setSecret('LTAI5tAAAAAAAAAAAAAAAAAA', 'new-secret');
      assert.deepEqual(await store.accessKeys.get('LTAI5tAAAAAAAAAAAAAAAAAA'), { ...created, status: 'Inactive', secret: 'new-secret' });
      await store.accessKeys.create({ accessKeyId: 'LTAI5tUSERKEY00000000000', accountId: '1000000000000001', userId: '200000000000001', secret: 'u', createdAt: t0 });
      assert.deepEqual((await store.accessKeys.listForOwner('1000000000000001')).map((k) => k.accessKeyId), ['LTAI5tAAAAAAAAAAAAAAAAAA']);
      assert.deepEqual((await store.accessKeys.listForOwner('1000000000000001', '200000000000001')).map((k) => k.accessKeyId), ['LTAI5tUSERKEY00000000000']);
    }));

  test(`${name}: an AccessKey needs an existing account`, () =>
    withStore(async (store) => {
      await assert.rejects(store.accessKeys.create({ accessKeyId: 'LTAI5tORPHAN000000000000', accountId: '3000000000000003', secret: 'x', createdAt: t0 }));
    }));

  test(`${name}: a failed transaction leaves nothing behind`, () =>
    withStore(async (store) => {
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.accounts.create('1000000000000001', t0);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.accounts.get('1000000000000001'), undefined);
    }));

  test(`${name}: settings are upserted`, () =>
    withStore(async (store) => {
      assert.equal(await store.settings.get('a'), undefined);
      await store.settings.set('a', '1');
      await store.settings.set('a', '2');
      assert.equal(await store.settings.get('a'), '2');
    }));
}

/** The RAM part of the contract, run against every backend. */
export function ramConformance(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>): void {
  const t0 = new Date('2026-11-24T10:00:00.000Z');
  const A = '1000000000000001';

  async function withAccount(fn: (store: Store) => Promise<void>): Promise<void> {
    const { store, cleanup } = await open();
    try {
      await store.accounts.create(A, t0);
      await fn(store);
    } finally {
      await store.close();
      await cleanup();
    }
  }

  const user = (id: string, userName: string) => ({ userId: id, accountId: A, userName, displayName: '', mobilePhone: '', email: '', comments: '', createDate: t0, updateDate: t0 });

  test(`${name}: RAM users are unique per account without regard to case, renamed in place, paged by name`, () =>
    withAccount(async (store) => {
      for (const [id, n] of [['3', 'carol'], ['1', 'alice'], ['2', 'Bob']] as const) await store.ram.createUser(user(id, n));
      await assert.rejects(store.ram.createUser(user('9', 'ALICE')), StoreConflictError);
      assert.equal((await store.ram.getUser(A, 'BOB'))?.userId, '2');
      assert.deepEqual((await store.ram.listUsers(A, { limit: 2 })).map((u) => u.userName), ['alice', 'Bob']);
      assert.deepEqual((await store.ram.listUsers(A, { after: 'bob', limit: 2 })).map((u) => u.userName), ['carol']);
      await store.ram.updateUser({ ...user('1', 'alicia') });
      assert.equal(await store.ram.getUser(A, 'alice'), undefined);
      await assert.rejects(store.ram.updateUser(user('1', 'carol')), StoreConflictError);
      assert.equal(await store.ram.countUsers(A), 3);
    }));

  test(`${name}: virtual MFA devices are unique, bound to one user each, unbound and deleted`, () =>
    withAccount(async (store) => {
      const device = (n: string) => ({ serialNumber: `acs:ram::${A}:mfa/${n}`, accountId: A, sealedSeed: `sealed-${n}`, userId: undefined, activateDate: undefined, createDate: t0 });
      for (const [id, n] of [['1', 'alice'], ['2', 'bob']] as const) await store.ram.createUser(user(id, n));
      await store.ram.createMfaDevice(device('phone'));
      await store.ram.createMfaDevice(device('laptop'));
      await assert.rejects(store.ram.createMfaDevice(device('phone')), StoreConflictError);
      assert.equal((await store.ram.getMfaDevice(`acs:ram::${A}:mfa/phone`))?.sealedSeed, 'sealed-phone');
      const t1 = new Date('2026-11-24T11:00:00.000Z');
      assert.equal(await store.ram.bindMfaDevice(`acs:ram::${A}:mfa/phone`, '1', t1), true);
      assert.equal(await store.ram.bindMfaDevice(`acs:ram::${A}:mfa/phone`, '2', t1), false, 'a device has one user');
      assert.equal(await store.ram.bindMfaDevice(`acs:ram::${A}:mfa/laptop`, '1', t1), false, 'a user has one device');
      const bound = await store.ram.mfaDeviceOfUser('1');
      assert.equal(bound?.serialNumber, `acs:ram::${A}:mfa/phone`);
      assert.equal(bound?.activateDate?.toISOString(), t1.toISOString());
      assert.deepEqual((await store.ram.listMfaDevices(A)).map((d) => [d.serialNumber.split('/')[1], d.userId]), [['laptop', undefined], ['phone', '1']]);
      await store.ram.unbindMfaDevice(`acs:ram::${A}:mfa/phone`);
      assert.equal(await store.ram.mfaDeviceOfUser('1'), undefined);
      await store.ram.deleteMfaDevice(`acs:ram::${A}:mfa/phone`);
      assert.equal(await store.ram.getMfaDevice(`acs:ram::${A}:mfa/phone`), undefined);
      assert.equal((await store.ram.listMfaDevices('1000000000000002')).length, 0);
    }));

  test(`${name}: groups, members, roles, policies with versions and attachments`, () =>
    withAccount(async (store) => {
      await store.ram.createUser(user('1', 'alice'));
      await store.ram.createGroup({ groupId: 'g-1', accountId: A, groupName: 'devs', comments: '', createDate: t0, updateDate: t0 });
      await store.ram.addMember('g-1', '1', t0);
      await assert.rejects(store.ram.addMember('g-1', '1', t0), StoreConflictError);
      assert.deepEqual((await store.ram.groupsForUser('1')).map((g) => g.groupName), ['devs']);
      assert.deepEqual((await store.ram.usersForGroup('g-1', { limit: 10 })).map((u) => u.userName), ['alice']);
      assert.equal(await store.ram.removeMember('g-1', '1'), true);
      assert.equal(await store.ram.removeMember('g-1', '1'), false);

      const role = { roleId: '31', accountId: A, roleName: 'r', description: '', assumeRolePolicyDocument: '{}', maxSessionDuration: 3600, createDate: t0, updateDate: t0, trustHistory: [] };
      await store.ram.createRole(role);
      assert.equal((await store.ram.getRoleById('31'))?.roleName, 'r');
      // A role keeps the trust policies it replaced, with when each was replaced.
      const history = [{ document: '{"old":1}', replacedAt: new Date(t0.getTime() + 5) }];
      await store.ram.updateRole({ ...role, assumeRolePolicyDocument: '{"new":1}', trustHistory: history, revokeSessionsBefore: t0 });
      assert.deepEqual(await store.ram.getRoleById('31'), { ...role, assumeRolePolicyDocument: '{"new":1}', trustHistory: history, revokeSessionsBefore: t0 });

      await store.ram.createPolicy({ accountId: A, policyName: 'P', description: '', defaultVersion: 'v1', nextVersion: 2, createDate: t0, updateDate: t0 }, { versionId: 'v1', document: 'd1', createDate: t0 });
      for (let v = 2; v <= 10; v++) await store.ram.addVersion(A, 'p', { versionId: `v${v}`, document: `d${v}`, createDate: t0 });
      assert.deepEqual((await store.ram.listVersions(A, 'P')).map((v) => v.versionId).slice(0, 3), ['v1', 'v2', 'v3'], 'versions in numeric order');
      assert.equal((await store.ram.getVersion(A, 'P', 'v10'))?.document, 'd10');

      await store.ram.attach(A, { policyType: 'Custom', policyKey: 'p', principalType: 'Role', principalId: '31', attachDate: t0 });
      await assert.rejects(store.ram.attach(A, { policyType: 'Custom', policyKey: 'p', principalType: 'Role', principalId: '31', attachDate: t0 }), StoreConflictError);
      assert.equal((await store.ram.attachmentsTo(A, 'Custom', 'p')).length, 1);
      assert.deepEqual(await store.ram.attachmentCounts(A, 'Custom'), new Map([['p', 1]]));
      assert.equal(await store.ram.detach(A, { policyType: 'Custom', policyKey: 'p', principalType: 'Role', principalId: '31' }), true);
      await store.ram.deletePolicy(A, 'P');
      assert.equal(await store.ram.getVersion(A, 'P', 'v1'), undefined);
    }));

  test(`${name}: the change feed announces committed writes once, and never rolled-back ones`, () =>
    withAccount(async (store) => {
      const heard: (string | undefined)[] = [];
      const stop = store.changes.subscribe((a) => heard.push(a));
      await store.transaction(async (tx) => {
        await tx.ram.createUser(user('1', 'alice'));
        await tx.ram.createUser(user('2', 'bob'));
        assert.deepEqual(heard, [], 'nothing before commit');
      });
      assert.deepEqual(heard, [A]);
      await assert.rejects(store.transaction(async (tx) => {
        await tx.ram.createUser(user('3', 'carol'));
        throw new Error('rollback');
      }));
      assert.deepEqual(heard, [A]);
      await store.ram.deleteUser('2');
      assert.deepEqual(heard, [A, A]);
      stop();
    }));
}

/** Token keys, ECS, OSS and the audit trail: the rest of the contract, run against every backend. */
export function productConformance(name: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>): void {
  const t0 = new Date('2026-11-24T10:00:00.000Z');
  const A = '1000000000000001';
  const B = '2000000000000002';

  async function withAccounts(fn: (store: Store) => Promise<void>): Promise<void> {
    const { store, cleanup } = await open();
    try {
      await store.accounts.create(A, t0);
      await store.accounts.create(B, t0);
      await fn(store);
    } finally {
      await store.close();
      await cleanup();
    }
  }

  test(`${name}: token keys are kept sealed, listed oldest first, deleted`, () =>
    withAccounts(async (store) => {
      await store.tokenKeys.add({ keyId: 'k2', key: Buffer.alloc(32, 2), createdAt: new Date(t0.getTime() + 1) });
      await store.tokenKeys.add({ keyId: 'k1', key: Buffer.alloc(32, 1), createdAt: t0 });
      await assert.rejects(store.tokenKeys.add({ keyId: 'k1', key: Buffer.alloc(32, 9), createdAt: t0 }), StoreConflictError);
      assert.deepEqual(await store.tokenKeys.list(), [
        { keyId: 'k1', key: Buffer.alloc(32, 1), createdAt: t0 },
        { keyId: 'k2', key: Buffer.alloc(32, 2), createdAt: new Date(t0.getTime() + 1) },
      ]);
      await store.tokenKeys.delete('k1');
      assert.deepEqual((await store.tokenKeys.list()).map((k) => k.keyId), ['k2']);
    }));

  const instance = (id: string, ip: string, accountId = A): InstanceRecord => ({
    instanceId: id,
    accountId,
    regionId: 'cn-hangzhou',
    instanceName: id,
    hostName: id,
    instanceType: 'ecs.g7.large',
    imageId: 'img',
    privateIp: ip,
    ramRoleName: undefined,
    ramRoleAttachment: undefined,
    ramRolePolicy: undefined,
    httpTokens: 'optional',
    httpEndpoint: 'enabled',
    creationTime: t0,
  });

  test(`${name}: instances are found by id, address, region and role; addresses are unique`, () =>
    withAccounts(async (store) => {
      await store.ecs.create(instance('i-1', '10.0.0.1'));
      await store.ecs.create(instance('i-2', '10.0.0.2'));
      await store.ecs.create(instance('i-3', '10.0.0.3', B));
      await assert.rejects(store.ecs.create(instance('i-9', '10.0.0.1')), StoreConflictError);
      await assert.rejects(store.ecs.create(instance('i-1', '10.0.0.9')), StoreConflictError);
      assert.deepEqual(await store.ecs.get('i-1'), instance('i-1', '10.0.0.1'));
      assert.equal((await store.ecs.byPrivateIp('10.0.0.3'))?.instanceId, 'i-3');
      assert.deepEqual((await store.ecs.list(A, 'cn-hangzhou')).map((i) => i.instanceId), ['i-1', 'i-2']);
      assert.deepEqual(await store.ecs.list(A, 'cn-beijing'), []);
      const withRole = { ...instance('i-2', '10.0.0.2'), ramRoleName: 'AppRole', ramRoleAttachment: 'att-1', ramRolePolicy: '{"Version":"1"}', httpTokens: 'required' as const };
      await store.ecs.update(withRole);
      assert.deepEqual(await store.ecs.get('i-2'), withRole);
      assert.deepEqual((await store.ecs.withRole(A, 'approle')).map((i) => i.instanceId), ['i-2']);
      assert.deepEqual(await store.ecs.withRole(B, 'AppRole'), []);
      await store.ecs.delete('i-2');
      assert.equal(await store.ecs.byPrivateIp('10.0.0.2'), undefined);
    }));

  const object = (key: string, blobId: string, extra: Partial<ObjectRecord> = {}): ObjectRecord => ({
    bucket: 'photos',
    key,
    blobId,
    size: 6_000_000_000,
    etag: 'D41D8CD98F00B204E9800998ECF8427E',
    contentType: 'image/jpeg',
    metadata: { owner: 'd-001' },
    objectType: 'Normal',
    lastModified: t0,
    storageClass: 'Standard',
    httpHeaders: { 'cache-control': 'no-cache' },
    ...extra,
  });

  test(`${name}: buckets and objects; keys listed in byte order; sizes past 4 GiB kept exactly`, () =>
    withAccounts(async (store) => {
      await store.oss.createBucket({ bucket: 'photos', accountId: A, region: 'cn-hangzhou', storageClass: 'Standard', createdAt: t0 });
      await store.oss.createBucket({ bucket: 'logs', accountId: A, region: 'cn-beijing', storageClass: 'IA', createdAt: t0 });
      await assert.rejects(store.oss.createBucket({ bucket: 'logs', accountId: B, region: 'cn-beijing', storageClass: 'IA', createdAt: t0 }));
      assert.deepEqual((await store.oss.listBuckets(A)).map((b) => b.bucket).sort(), ['logs', 'photos']);
      assert.deepEqual(await store.oss.listBuckets(B), []);
      // Byte order: upper case before lower, '-' before letters, '_' between them, UTF-8 last.
      const keys = ['é', 'ab', 'a_b', 'aB', 'a-b', 'A', 'z'];
      for (const [i, k] of keys.entries()) assert.equal(await store.oss.putObject(object(k, `b-${i}`)), undefined);
      assert.deepEqual((await store.oss.listObjects('photos', '', undefined, 100)).map((o) => o.key), ['A', 'a-b', 'aB', 'a_b', 'ab', 'z', 'é']);
      assert.deepEqual((await store.oss.listObjects('photos', 'a', 'aB', 2)).map((o) => o.key), ['a_b', 'ab']);
      assert.equal(await store.oss.countObjects('photos'), 7);
      assert.deepEqual(await store.oss.getObject('photos', 'ab'), object('ab', 'b-1'));
      // Replacing returns the blob it replaced; a conditional write loses to a changed key.
      assert.equal(await store.oss.putObject(object('ab', 'b-new')), 'b-1');
      assert.equal(await store.oss.putObjectIf(object('ab', 'b-lost'), 'b-1'), false);
      assert.equal(await store.oss.putObjectIf(object('ab', 'b-won'), 'b-new'), true);
      assert.equal(await store.oss.putObjectIf(object('new', 'b-x'), undefined), true);
      assert.equal(await store.oss.putObjectIf(object('new', 'b-y'), undefined), false);
      const restore = { readyAt: new Date(t0.getTime() + 60_000), expiresAt: new Date(t0.getTime() + 86_400_000) };
      assert.equal(await store.oss.setRestore('photos', 'ab', 'b-won', restore), true);
      assert.equal(await store.oss.setRestore('photos', 'ab', 'b-other', restore), false);
      assert.deepEqual((await store.oss.getObject('photos', 'ab'))?.restore, restore);
      assert.equal(await store.oss.deleteObject('photos', 'ab'), 'b-won');
      assert.equal(await store.oss.deleteObject('photos', 'ab'), undefined);
    }));

  test(`${name}: a bucket's ACL and documents travel with it; objects' ACLs and tags are set on the object as read`, () =>
    withAccounts(async (store) => {
      await store.oss.createBucket({ bucket: 'site', accountId: A, region: 'cn-hangzhou', storageClass: 'Standard', createdAt: t0, acl: 'public-read' });
      await store.oss.createBucket({ bucket: 'plain', accountId: A, region: 'cn-hangzhou', storageClass: 'Standard', createdAt: t0 });
      assert.equal((await store.oss.getBucket('plain'))?.acl, 'private');
      const site = await store.oss.getBucket('site');
      assert.deepEqual([site?.acl, site?.policy, site?.cors], ['public-read', undefined, undefined]);
      await store.oss.setBucketAcl('site', 'public-read-write');
      await store.oss.putBucketConfig('site', 'policy', '{"Version":"1"}');
      await store.oss.putBucketConfig('site', 'cors', '[1]');
      await store.oss.putBucketConfig('site', 'cors', '[2]');
      await store.oss.putBucketConfig('site', 'lifecycle', 'rules');
      await store.oss.putBucketConfig('plain', 'lifecycle', 'other rules');
      const read = await store.oss.getBucket('site');
      assert.deepEqual([read?.acl, read?.policy, read?.cors], ['public-read-write', '{"Version":"1"}', '[2]']);
      assert.equal(await store.oss.getBucketConfig('site', 'lifecycle'), 'rules');
      assert.deepEqual(await store.oss.bucketsWithConfig('lifecycle', '', 10), [{ bucket: 'plain', document: 'other rules' }, { bucket: 'site', document: 'rules' }]);
      assert.deepEqual(await store.oss.bucketsWithConfig('lifecycle', 'plain', 10), [{ bucket: 'site', document: 'rules' }]);
      await store.oss.deleteBucketConfig('site', 'cors');
      assert.equal((await store.oss.getBucket('site'))?.cors, undefined);

      const o: ObjectRecord = { ...object('k', 'b-1'), bucket: 'site', acl: 'private', tags: { b: '2', a: '1', '10': 'x' } };
      await store.oss.putObject(o);
      assert.deepEqual(await store.oss.getObject('site', 'k'), o, 'ACL and tags kept');
      // Tags that read back in another order (numeric keys first) are the same tags to a conditional delete.
      assert.equal(await store.oss.deleteObjectIf('site', 'k', 'b-1', { a: '1', '10': 'y', b: '2' }), false, 'another value');
      assert.ok(await store.oss.getObject('site', 'k'));
      assert.equal(await store.oss.setObjectAcl('site', 'k', 'b-other', 'public-read'), false, 'another blob: not this object');
      assert.equal(await store.oss.setObjectAcl('site', 'k', 'b-1', 'default'), true);
      assert.equal(await store.oss.setObjectTags('site', 'k', 'b-1', {}), true);
      const plain = await store.oss.getObject('site', 'k');
      assert.deepEqual([plain?.acl, plain?.tags], [undefined, undefined], "'default' and no tags read back as absent");
      assert.equal(await store.oss.deleteObjectIf('site', 'k', 'b-other'), false);
      await store.oss.setObjectTags('site', 'k', 'b-1', { env: 'prod' });
      assert.equal(await store.oss.deleteObjectIf('site', 'k', 'b-1', { env: 'tmp' }), false, 'retagged since it was read');
      assert.equal(await store.oss.deleteObjectIf('site', 'k', 'b-1', {}), false);
      await store.oss.setObjectTags('site', 'k', 'b-1', { z: '1', '2': 'two' });
      assert.equal(await store.oss.deleteObjectIf('site', 'k', 'b-1', (await store.oss.getObject('site', 'k'))?.tags), true, 'the tags as read');
      await store.oss.putObject({ ...o, tags: undefined });
      assert.equal(await store.oss.deleteObjectIf('site', 'k', 'b-1'), true);
      assert.equal(await store.oss.getObject('site', 'k'), undefined);
      // A deleted bucket takes its documents with it: a new bucket of that name starts bare.
      await store.oss.deleteBucket('site');
      await store.oss.createBucket({ bucket: 'site', accountId: B, region: 'cn-hangzhou', storageClass: 'Standard', createdAt: t0 });
      const reborn = await store.oss.getBucket('site');
      assert.deepEqual([reborn?.acl, reborn?.policy, await store.oss.getBucketConfig('site', 'lifecycle')], ['private', undefined, undefined]);
    }));

  test(`${name}: multipart uploads are claimed once, parts replaced in place; inline blobs keep their bytes`, () =>
    withAccounts(async (store) => {
      await store.oss.createBucket({ bucket: 'photos', accountId: A, region: 'cn-hangzhou', storageClass: 'Standard', createdAt: t0 });
      const upload = { uploadId: 'U1', bucket: 'photos', key: 'big.bin', contentType: 'application/octet-stream', metadata: {}, initiated: t0, storageClass: 'IA', httpHeaders: {} };
      await store.oss.createUpload(upload);
      await store.oss.createUpload({ ...upload, uploadId: 'U0', key: 'a.bin' });
      assert.deepEqual(await store.oss.getUpload('U1'), upload);
      assert.deepEqual((await store.oss.listUploads('photos')).map((u) => u.uploadId), ['U0', 'U1']);
      const part = (n: number, blobId: string) => ({ uploadId: 'U1', partNumber: n, blobId, size: 100 * 1024, etag: 'E', lastModified: t0 });
      assert.equal(await store.oss.putPart(part(2, 'p2')), undefined);
      assert.equal(await store.oss.putPart(part(1, 'p1')), undefined);
      assert.equal(await store.oss.putPart(part(1, 'p1b')), 'p1');
      assert.deepEqual((await store.oss.listParts('U1')).map((p) => p.blobId), ['p1b', 'p2']);
      const claims = await Promise.all([store.transaction((tx) => tx.oss.claimUpload('U1')), store.transaction((tx) => tx.oss.claimUpload('U1'))]);
      assert.equal(claims.filter((c) => c !== undefined).length, 1, 'one caller gets the parts');
      assert.equal(await store.oss.getUpload('U1'), undefined);
      const bytes = Buffer.from([0, 1, 2, 255, 254, 0, 10, 13]);
      await store.oss.putInlineBlob('i-1', bytes);
      assert.deepEqual(await store.oss.getInlineBlob('i-1'), bytes);
      await store.oss.deleteInlineBlob('i-1');
      assert.equal(await store.oss.getInlineBlob('i-1'), undefined);
    }));

  const event = (n: number, accountId: string, extra: Partial<AuditEventRow> = {}): AuditEventRow => ({
    eventId: `e-${n}`,
    accountId,
    eventTime: new Date(t0.getTime() + n * 1000).toISOString(),
    eventName: n % 2 === 0 ? 'AssumeRole' : 'GetCallerIdentity',
    serviceName: 'Sts',
    eventRW: n % 2 === 0 ? 'Write' : 'Read',
    requestId: `R-${n}`,
    accessKeyId: 'LTAI5tX',
    userName: 'alice',
    resourceType: 'ACS::RAM::Role',
    resourceName: 'acs:ram::1:role/r',
    event: JSON.stringify({ n }),
    ...extra,
  });

  test(`${name}: audit events are appended, looked up by account, time, field and request, paged both ways, expired oldest first`, () =>
    withAccounts(async (store) => {
      await store.audit.append([event(1, A), event(2, A), event(3, B)]);
      await store.audit.append([event(4, A), event(5, A, { requestId: 'R-1' })]);
      const all = { startTime: t0.toISOString(), endTime: new Date(t0.getTime() + 3_600_000).toISOString(), filters: [], direction: 'FORWARD' as const, limit: 10 };
      const forward = await store.audit.query({ ...all, accountId: A });
      assert.deepEqual(forward.map((e) => e.eventId), ['e-1', 'e-2', 'e-4', 'e-5']);
      assert.ok(forward.every((e, i) => i === 0 || e.seq > forward[i - 1]!.seq), 'sequence numbers rise');
      const page = await store.audit.query({ ...all, accountId: A, direction: 'BACKWARD', limit: 2 });
      assert.deepEqual(page.map((e) => e.eventId), ['e-5', 'e-4']);
      assert.deepEqual((await store.audit.query({ ...all, accountId: A, direction: 'BACKWARD', cursor: page[1]!.seq })).map((e) => e.eventId), ['e-2', 'e-1']);
      assert.deepEqual((await store.audit.query({ ...all, filters: [{ column: 'event_name', value: 'AssumeRole' }] })).map((e) => e.eventId), ['e-2', 'e-4']);
      assert.deepEqual((await store.audit.query({ ...all, endTime: new Date(t0.getTime() + 2000).toISOString() })).map((e) => e.eventId), ['e-1', 'e-2']);
      assert.deepEqual((await store.audit.byRequestId('R-1')).map((e) => e.eventId), ['e-1', 'e-5']);
      assert.deepEqual((await store.audit.byRequestId('R-3')).map((e) => ({ ...e, seq: undefined })), [{ ...event(3, B), seq: undefined }]);
      assert.equal(await store.audit.expire(new Date(t0.getTime() + 3000).toISOString()), 2);
      assert.deepEqual((await store.audit.query(all)).map((e) => e.eventId), ['e-3', 'e-4', 'e-5']);
    }));

  const oidcProvider = (name: string, accountId = A, extra: Partial<OidcProviderRecord> = {}): OidcProviderRecord => ({
    accountId,
    name,
    issuerUrl: `https://${name.toLowerCase()}.example.com`,
    clientIds: ['sts.aliyuncs.com', 'app:web/1'],
    fingerprints: ['902EF2DEEB3C5B13EA4C3D5193629309E2310001'],
    issuanceLimitTime: 12,
    description: 'ünïcode ok',
    createdAt: t0,
    updatedAt: t0,
    ...extra,
  });
  const samlProvider = (name: string, accountId = A): SamlProviderRecord => ({
    accountId,
    name,
    encodedMetadata: Buffer.from(`<md:EntityDescriptor entityID="${name}"/>`).toString('base64'),
    description: '',
    createdAt: t0,
    updatedAt: t0,
  });

  test(`${name}: identity providers are unique per account without regard to case, paged by name, replaced and deleted`, () =>
    withAccounts(async (store) => {
      // Names whose order depends on the collation: byte order puts '-' < '.' < '_' < letters.
      for (const n of ['p_b', 'P.c', 'p-a', 'Pz']) await store.federation.createOidcProvider(oidcProvider(n));
      await store.federation.createOidcProvider(oidcProvider('p-a', B));
      await assert.rejects(store.federation.createOidcProvider(oidcProvider('P-A')), StoreConflictError);
      assert.deepEqual(await store.federation.getOidcProvider(A, 'P-A'), oidcProvider('p-a'));
      assert.equal(await store.federation.getOidcProvider(A, 'nobody'), undefined);
      assert.deepEqual((await store.federation.listOidcProviders(A, { limit: 3 })).map((p) => p.name), ['p-a', 'P.c', 'p_b']);
      assert.deepEqual((await store.federation.listOidcProviders(A, { after: 'P_B', limit: 3 })).map((p) => p.name), ['Pz']);
      assert.equal(await store.federation.countOidcProviders(A), 4);
      assert.equal(await store.federation.countOidcProviders(B), 1);

      // A replacement keeps the creation time; the JWKS pin is set and cleared with the rest.
      const later = new Date(t0.getTime() + 60_000);
      const changed = oidcProvider('p-a', A, { clientIds: [], fingerprints: ['a', 'b'], issuanceLimitTime: 168, description: '', updatedAt: later, pinnedJwks: '{"keys":[]}' });
      assert.equal(await store.federation.updateOidcProvider({ ...changed, createdAt: later }), true);
      assert.deepEqual(await store.federation.getOidcProvider(A, 'P-A'), changed);
      const { pinnedJwks: _pinned, ...unpinned } = changed;
      assert.equal(await store.federation.updateOidcProvider(unpinned), true);
      assert.deepEqual(await store.federation.getOidcProvider(A, 'p-a'), unpinned);
      assert.equal(await store.federation.updateOidcProvider(oidcProvider('nobody')), false);
      assert.deepEqual(await store.federation.getOidcProvider(B, 'p-a'), oidcProvider('p-a', B));
      assert.equal(await store.federation.deleteOidcProvider(A, 'P-a'), true);
      assert.equal(await store.federation.deleteOidcProvider(A, 'p-a'), false);
      assert.equal(await store.federation.countOidcProviders(A), 3);
      assert.ok(await store.federation.getOidcProvider(B, 'p-a'));

      for (const n of ['s_b', 'S-a']) await store.federation.createSamlProvider(samlProvider(n));
      await store.federation.createSamlProvider(samlProvider('s-a', B));
      await assert.rejects(store.federation.createSamlProvider(samlProvider('s-A')), StoreConflictError);
      assert.deepEqual(await store.federation.getSamlProvider(A, 's-A'), samlProvider('S-a'));
      assert.deepEqual((await store.federation.listSamlProviders(A, { limit: 10 })).map((p) => p.name), ['S-a', 's_b']);
      assert.deepEqual((await store.federation.listSamlProviders(A, { after: 's-a', limit: 10 })).map((p) => p.name), ['s_b']);
      assert.equal(await store.federation.countSamlProviders(A), 2);
      const updated = { ...samlProvider('s_b'), encodedMetadata: 'bmV3', description: 'new', updatedAt: later };
      assert.equal(await store.federation.updateSamlProvider(updated), true);
      assert.deepEqual(await store.federation.getSamlProvider(A, 'S_B'), updated);
      assert.equal(await store.federation.updateSamlProvider(samlProvider('nobody')), false);
      assert.equal(await store.federation.deleteSamlProvider(A, 'S_B'), true);
      assert.equal(await store.federation.deleteSamlProvider(A, 's_b'), false);
      assert.deepEqual((await store.federation.listSamlProviders(A, { limit: 10 })).map((p) => p.name), ['S-a']);
      assert.deepEqual((await store.federation.listSamlProviders(B, { limit: 10 })).map((p) => p.name), ['s-a']);

      // In a failed transaction, nothing is created.
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.federation.createSamlProvider(samlProvider('rolled-back'));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.federation.getSamlProvider(A, 'rolled-back'), undefined);
    }));
}
