// Opens a data directory: master key, store, and the check that both belong together.
import { mkdirSync } from 'node:fs';
import { loadMasterKey, SecretBox } from '../secrets/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import { checkMasterKey } from './bootstrap.js';

export interface OpenedDataDir {
  dir: string;
  box: SecretBox;
  store: Store;
}

export async function openDataDir(dir: string, env: NodeJS.ProcessEnv): Promise<OpenedDataDir> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const box = new SecretBox(loadMasterKey(dir, env).key);
  const store = await openSqliteStore(dir, box);
  try {
    await checkMasterKey(store, box);
  } catch (e) {
    await store.close();
    throw e;
  }
  return { dir, box, store };
}
