// The master key encrypts every secret Rampart stores. It comes from RAMPART_MASTER_KEY, or from a
// key file created (mode 0600) in the data directory on first start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MASTER_KEY_FILE = 'master.key';

export class MasterKeyError extends Error {}

/** Accepts 32 bytes written as 64 hex digits or as base64. */
export function parseMasterKey(text: string, source: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t, 'base64');
    if (key.length === 32) return key;
  }
  throw new MasterKeyError(`${source} must hold 32 bytes as 64 hex digits or base64 (e.g. from \`openssl rand -base64 32\`)`);
}

export function loadMasterKey(dataDir: string, env: NodeJS.ProcessEnv): { key: Buffer; source: string } {
  const fromEnv = env['RAMPART_MASTER_KEY'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { key: parseMasterKey(fromEnv, 'RAMPART_MASTER_KEY'), source: 'RAMPART_MASTER_KEY' };
  }
  const path = join(dataDir, MASTER_KEY_FILE);
  if (existsSync(path)) {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return { key: parseMasterKey(readFileSync(path, 'utf8'), path), source: path };
  }
  const key = randomBytes(32);
  // 'wx' fails if another process created the file in the meantime, instead of overwriting it.
  try {
    writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadMasterKey(dataDir, env);
    throw e;
  }
  return { key, source: path };
}
