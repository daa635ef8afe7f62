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
