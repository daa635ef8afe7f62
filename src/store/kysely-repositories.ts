// Repositories written once against the typed query layer (Kysely), not against one database.
import type { Kysely, Selectable } from 'kysely';
import type { SecretBox } from '../secrets/index.js';
import { KyselyEcsRepository } from './kysely-ecs.js';
import { KyselyOssRepository } from './kysely-oss.js';
import { KyselyFederationRepository } from './kysely-federation.js';
import { KyselyRamRepository } from './kysely-ram.js';
import type { AccessKeysTable, Database } from './schema.js';
import { unique } from './unique.js';
import type { AuditRepository } from './audit.js';
import {
  type AccessKeyRecord,
  type AccessKeyRepository,
  type AccountRecord,
  type AccountRepository,
  type NewAccessKey,
  type Repositories,
  type SettingsRepository,
  type TokenKeyRecord,
  type TokenKeyRepository,
} from './repositories.js';

const secretContext = (accessKeyId: string): string => `access-key:${accessKeyId}`;

class Accounts implements AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(accountId: string, createdAt: Date): Promise<AccountRecord> {
    await unique(`account ${accountId}`, () =>
      this.db.insertInto('accounts').values({ account_id: accountId, created_at: createdAt.toISOString() }).execute(),
    );
    return { accountId, createdAt };
  }

  async get(accountId: string): Promise<AccountRecord | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return row && { accountId: row.account_id, createdAt: new Date(row.created_at) };
  }

  async list(): Promise<AccountRecord[]> {
    const rows = await this.db.selectFrom('accounts').selectAll().orderBy('created_at').orderBy('account_id').execute();
    return rows.map((row) => ({ accountId: row.account_id, createdAt: new Date(row.created_at) }));
  }
}

class AccessKeys implements AccessKeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    private readonly touch: (accountId: string) => void,
  ) {}

  private toRecord(row: Selectable<AccessKeysTable>): AccessKeyRecord {
    return {
      accessKeyId: row.access_key_id,
      accountId: row.account_id,
      userId: row.user_id ?? undefined,
      secret: this.box.open(row.secret_sealed, secretContext(row.access_key_id)),
      status: row.status,
      createdAt: new Date(row.created_at),
    };
  }

  async create(key: NewAccessKey): Promise<AccessKeyRecord> {
    const row: AccessKeysTable = {
      access_key_id: key.accessKeyId,
      account_id: key.accountId,
      user_id: key.userId ?? null,
      secret_sealed: this.box.seal(key.secret, secretContext(key.accessKeyId)),
      status: key.status ?? 'Active',
      created_at: key.createdAt.toISOString(),
    };
    await unique(`AccessKey ${key.accessKeyId}`, () => this.db.insertInto('access_keys').values(row).execute());
    this.touch(key.accountId);
    return this.toRecord(row);
  }

  async get(accessKeyId: string): Promise<AccessKeyRecord | undefined> {
    const row = await this.db.selectFrom('access_keys').selectAll().where('access_key_id', '=', accessKeyId).executeTakeFirst();
    return row && this.toRecord(row);
  }

  async listForOwner(accountId: string, userId?: string): Promise<AccessKeyRecord[]> {
    const rows = await this.db
      .selectFrom('access_keys')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('user_id', userId === undefined ? 'is' : '=', userId ?? null)
      .orderBy('created_at')
      .orderBy('access_key_id')
      .execute();
    return rows.map((row) => this.toRecord(row));
  }

  async setSecret(accessKeyId: string, secret: string): Promise<void> {
    await this.changeKey(accessKeyId, () =>
      this.db
        .updateTable('access_keys')
        .set({ secret_sealed: this.box.seal(secret, secretContext(accessKeyId)) })
        .where('access_key_id', '=', accessKeyId)
        .execute(),
    );
  }

  async setStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    await this.changeKey(accessKeyId, () => this.db.updateTable('access_keys').set({ status }).where('access_key_id', '=', accessKeyId).execute());
  }

  async delete(accessKeyId: string): Promise<void> {
    await this.changeKey(accessKeyId, () => this.db.deleteFrom('access_keys').where('access_key_id', '=', accessKeyId).execute());
  }

  /**
   * Changes a key, then announces it as its owner's: after the write, so that a read which began
   * before it is stale and one that begins after sees it (announced first, a read in between
   * would be cached as fresh with the old status).
   */
  private async changeKey(accessKeyId: string, write: () => Promise<unknown>): Promise<void> {
    const row = await this.db.selectFrom('access_keys').select('account_id').where('access_key_id', '=', accessKeyId).executeTakeFirst();
    await write();
    if (row) this.touch(row.account_id);
  }
}

class Settings implements SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(name: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
    return row?.value;
  }

  async set(name: string, value: string): Promise<void> {
    await this.db
      .insertInto('settings')
      .values({ name, value })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
      .execute();
  }
}

class TokenKeys implements TokenKeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: SecretBox,
    /** Token keys belong to no account: a change to them is announced as a change to all. */
    private readonly touchAll: () => void,
  ) {}

  async add(k: TokenKeyRecord): Promise<void> {
    await unique(`token key ${k.keyId}`, () =>
      this.db
        .insertInto('token_keys')
        .values({ key_id: k.keyId, key_sealed: this.box.seal(k.key.toString('base64'), `token-key:${k.keyId}`), created_at: k.createdAt.toISOString() })
        .execute(),
    );
    this.touchAll();
  }

  async list(): Promise<TokenKeyRecord[]> {
    const rows = await this.db.selectFrom('token_keys').selectAll().orderBy('created_at').orderBy('key_id').execute();
    return rows.map((r) => ({ keyId: r.key_id, key: Buffer.from(this.box.open(r.key_sealed, `token-key:${r.key_id}`), 'base64'), createdAt: new Date(r.created_at) }));
  }

  async delete(keyId: string): Promise<void> {
    await this.db.deleteFrom('token_keys').where('key_id', '=', keyId).execute();
    this.touchAll();
  }
}

/**
 * touch(accountId) is called for every write that changes an account's identities or credentials;
 * touch(undefined) for a write that concerns every account (the token keyring). The audit trail
 * is the backend's to give: where it lives differs (SQLite keeps it in a file of its own).
 */
export function kyselyRepositories(db: Kysely<Database>, box: SecretBox, touch: (accountId: string | undefined) => void, audit: AuditRepository): Repositories {
  return {
    accounts: new Accounts(db),
    accessKeys: new AccessKeys(db, box, touch),
    settings: new Settings(db),
    ram: new KyselyRamRepository(db, touch),
    tokenKeys: new TokenKeys(db, box, () => touch(undefined)),
    ecs: new KyselyEcsRepository(db, touch),
    oss: new KyselyOssRepository(db, touch),
    federation: new KyselyFederationRepository(db, touch),
    audit,
  };
}
