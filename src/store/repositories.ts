import type { EcsRepository } from './ecs.js';
import type { OssRepository } from './oss.js';
import type { AuditRepository } from './audit.js';
import type { RamRepository } from './ram.js';
import type { FederationRepository } from './federation.js';

// The storage contract. The backend (SQLite, in the data directory) implements these interfaces,
// and the conformance suite (test/store/) is what any other backend must pass too.

export interface AccountRecord {
  accountId: string;
  createdAt: Date;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  accountId: string;
  /** undefined for an account root AccessKey. */
  userId: string | undefined;
  /** The clear secret: the store seals it on write and opens it on read. */
  secret: string;
  status: 'Active' | 'Inactive';
  createdAt: Date;
}

export interface NewAccessKey {
  accessKeyId: string;
  accountId: string;
  userId?: string;
  secret: string;
  status?: 'Active' | 'Inactive';
  createdAt: Date;
}

export interface AccountRepository {
  /** Throws StoreConflictError if the account exists. */
  create(accountId: string, createdAt: Date): Promise<AccountRecord>;
  get(accountId: string): Promise<AccountRecord | undefined>;
  list(): Promise<AccountRecord[]>;
}

export interface AccessKeyRepository {
  /** Throws StoreConflictError if the id is taken. */
  create(key: NewAccessKey): Promise<AccessKeyRecord>;
  get(accessKeyId: string): Promise<AccessKeyRecord | undefined>;
  listForOwner(accountId: string, userId?: string): Promise<AccessKeyRecord[]>;
  setSecret(accessKeyId: string, secret: string): Promise<void>;
  setStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void>;
  delete(accessKeyId: string): Promise<void>;
}

export interface TokenKeyRecord {
  keyId: string;
  /** The clear key (the store seals it with the master key). */
  key: Buffer;
  createdAt: Date;
}

export interface TokenKeyRepository {
  add(key: TokenKeyRecord): Promise<void>;
  /** Every key, oldest first. */
  list(): Promise<TokenKeyRecord[]>;
  delete(keyId: string): Promise<void>;
}

export interface SettingsRepository {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

export interface Repositories {
  accounts: AccountRepository;
  accessKeys: AccessKeyRepository;
  settings: SettingsRepository;
  ram: RamRepository;
  tokenKeys: TokenKeyRepository;
  ecs: EcsRepository;
  oss: OssRepository;
  federation: FederationRepository;
  audit: AuditRepository;
}

/**
 * The change feed: after every committed write, the accounts whose identities, credentials or
 * policies changed. Caches (compiled policies, credentials) subscribe to stay exact. A listener
 * called with undefined must treat every account as changed: another process wrote to the store
 * (e.g. the CLI), and which accounts it touched is not known.
 */
export interface ChangeFeed {
  subscribe(listener: (accountId: string | undefined) => void): () => void;
  /** Announces writes other processes have committed since the last call; cheap enough for every lookup. */
  catchUp(): void;
  /** For a feed across nodes: whether it hears them now (absent for a single node's). */
  readonly listening?: boolean;
}

/** What every node of a shared store must share at request speed (in the database, or in Redis). */
export interface SharedState {
  /** Records the nonce until expiresMs; false if any node recorded it and its time has not passed. */
  claimNonce(accessKeyId: string, nonce: string, expiresMs: number, nowMs: number): Promise<boolean>;
  /** Takes one call from key's token bucket (`rate` a second, bursts of `rate`); false when it is empty. */
  takeCall(key: string, rate: number, nowMs: number): Promise<boolean>;
}

export interface Store extends Repositories {
  /**
   * Runs fn while no other node of a shared store runs one (the first start of several nodes at
   * once: one creates the root account, the others find it). Absent for the embedded store.
   */
  exclusively?<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the store answers now (a shared store's server; absent for the embedded one). */
  reachable?(): Promise<boolean>;
  /** For a store several nodes share: the shared state they fall back on without Redis (none for the embedded one). */
  shared?: SharedState;
  /** Runs fn with repositories bound to one transaction; commits if it resolves. */
  transaction<T>(fn: (tx: Repositories) => Promise<T>): Promise<T>;
  changes: ChangeFeed;
  /** Resolves once every write committed before the call is durable (on disk). */
  flushed(): Promise<void>;
  close(): Promise<void>;
}

export class StoreConflictError extends Error {}

/** A store or Redis URL that cannot be used (a setting error: the start stops). */
export class StoreUrlError extends Error {}
