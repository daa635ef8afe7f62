// Opens a data directory: master key, store, and the check that both belong together. The store is
// the SQLite file in the directory, or the PostgreSQL database RAMPART_STORE names (shared by
// every node; each node keeps its own directory for what is its own: nonces, TLS files).
import { mkdirSync } from 'node:fs';
import { loadMasterKey, SecretBox } from '../secrets/index.js';
import { openPostgresStore, openSqliteStore, parsePostgresUrl, type PostgresStoreOptions, type Store } from '../store/index.js';
import { checkMasterKey } from './bootstrap.js';

export interface OpenedDataDir {
  dir: string;
  box: SecretBox;
  store: Store;
}

export async function openDataDir(dir: string, env: NodeJS.ProcessEnv, storeUrl = env['RAMPART_STORE'], shared: PostgresStoreOptions = {}): Promise<OpenedDataDir> {
  const location = storeUrl !== undefined && storeUrl !== '' ? parsePostgresUrl(storeUrl) : undefined;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const box = new SecretBox(loadMasterKey(dir, env).key);
  const store = location ? await openPostgresStore(location, box, shared) : await openSqliteStore(dir, box);
  try {
    // Nodes starting together on a fresh shared store: the first seals the check, the rest verify it.
    await (store.exclusively ? store.exclusively(() => checkMasterKey(store, box)) : checkMasterKey(store, box));
  } catch (e) {
    await store.close();
    throw e;
  }
  return { dir, box, store };
}
