// One conformance suite for every storage backend: each backend's test file calls it with a
// factory that opens a fresh, empty store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StoreConflictError, type Store } from '../../src/store/index.js';

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
