// Starts a real Rampart (all three listeners, SQLite in a temporary data directory) inside the
// test process, with a root account fixed by the environment as a scripted user would.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.js';
import { startRampart, type RampartConfig, type RunningRampart } from '../../src/server/start.js';
import type { AuditRecord, AuditSink } from '../../src/gateway/audit/index.js';

export const ROOT = {
  accountId: '1234567890123456',
  accessKeyId: 'LTAI5tTestRootKey0000001',
  accessKeySecret: 'TestRootSecretValue0000000000x',
} as const;

/**
 * The environment of one node of a shared store: the fixed root account, and a master key every
 * node of the store must share (secrets in the database are sealed with it). Call once per store.
 */
export function sharedNodeEnv(): NodeJS.ProcessEnv {
  return {
    RAMPART_ACCOUNT_ID: ROOT.accountId,
    RAMPART_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
    RAMPART_ROOT_ACCESS_KEY_SECRET: ROOT.accessKeySecret,
    RAMPART_MASTER_KEY: randomBytes(32).toString('hex'),
  };
}

export interface TestServer extends RunningRampart {
  dataDir: string;
  audited: AuditRecord[];
  /** host:port of the api listener, as the Tea SDKs want it (no scheme). */
  apiHost: string;
  stop(): Promise<void>;
}

export async function startTestServer(overrides: Partial<RampartConfig> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rampart-test-'));
  const audited: AuditRecord[] = [];
  const audit: AuditSink = { record: async (r) => void audited.push(r) };
  const running = await startRampart({
    dataDir,
    api: { host: '127.0.0.1', port: 0 },
    oss: { host: '127.0.0.1', port: 0 },
    metadata: { host: '127.0.0.1', port: 0 },
    env: {
      RAMPART_ACCOUNT_ID: ROOT.accountId,
      RAMPART_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
      RAMPART_ROOT_ACCESS_KEY_SECRET: ROOT.accessKeySecret,
    },
    log: silentLogger(),
    audit,
    ...overrides,
  });
  return {
    ...running,
    dataDir,
    audited,
    apiHost: new URL(running.endpoints.api).host,
    stop: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
