import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SecretBox } from '../../src/secrets/index.js';
import { openSqliteStore } from '../../src/store/index.js';
import { productConformance, ramConformance, storeConformance } from './conformance.js';

const box = new SecretBox(Buffer.alloc(32, 1));

async function openFresh() {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  return { store: await openSqliteStore(dir, box), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

storeConformance('sqlite', openFresh);
ramConformance('sqlite', openFresh);
productConformance('sqlite', openFresh);

test('sqlite: secrets never reach the database files in clear', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  const store = await openSqliteStore(dir, box);
  const secret = 'VeryRecognisableSecret1234567890';
  await store.accounts.create('1000000000000001', new Date());
  await store.accessKeys.create({ accessKeyId: 'LTAI5tAAAAAAAAAAAAAAAAAA', accountId: '1000000000000001', secret, createdAt: new Date() });
  await store.close();
  for (const file of readdirSync(dir)) assert.ok(!readFileSync(join(dir, file)).includes(secret), file);
  rmSync(dir, { recursive: true, force: true });
});

test('sqlite: reopening applies no migration twice and keeps the data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  const first = await openSqliteStore(dir, box);
  await first.accounts.create('1000000000000001', new Date());
  await first.close();
  const second = await openSqliteStore(dir, box);
  assert.equal((await second.accounts.list()).length, 1);
  await second.close();
  rmSync(dir, { recursive: true, force: true });
});
