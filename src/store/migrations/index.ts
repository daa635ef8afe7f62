// Versioned migrations, applied in name order. Never edit a released one: add the next number.
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './0001_accounts.js';
import * as m0002 from './0002_ram.js';
import * as m0003 from './0003_sts.js';
import * as m0004 from './0004_ecs.js';
import * as m0005 from './0005_oss.js';
import * as m0006 from './0006_audit.js';
import * as m0007 from './0007_inline_blobs.js';
import * as m0008 from './0008_session_revocation.js';
import * as m0009 from './0009_storage_class.js';
import * as m0010 from './0010_byte_order.js';
import * as m0011 from './0011_shared_state.js';
import * as m0012 from './0012_mfa_devices.js';
import * as m0013 from './0013_oss_access.js';
import * as m0014 from './0014_identity_providers.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_accounts': m0001,
  '0002_ram': m0002,
  '0003_sts': m0003,
  '0004_ecs': m0004,
  '0005_oss': m0005,
  '0006_audit': m0006,
  '0007_inline_blobs': m0007,
  '0008_session_revocation': m0008,
  '0009_storage_class': m0009,
  '0010_byte_order': m0010,
  '0011_shared_state': m0011,
  '0012_mfa_devices': m0012,
  '0013_oss_access': m0013,
  '0014_identity_providers': m0014,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** schema: where the migrations' own tables live (PostgreSQL; kysely would otherwise take another schema's for ours). */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider, ...(schema !== undefined ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
