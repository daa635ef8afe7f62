// The shared backend: one PostgreSQL database (any: streaming replicas, Patroni or a managed
// service behind it) for every node. The same kysely repositories as the embedded backend; the
// audit trail is a table of the same database; writes are announced to every node (change-feed.ts).
import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { SecretBox } from '../../secrets/index.js';
import type { AuditEventRow, AuditRepository } from '../audit.js';
import { KyselyAuditReads } from '../kysely-audit.js';
import { TurnBatch } from '../turn-batch.js';
import { kyselyRepositories } from '../kysely-repositories.js';
import { migrateToLatest } from '../migrations/index.js';
import type { Repositories, Store } from '../repositories.js';
import { parseServerUrl } from '../server-url.js';
import type { Database } from '../schema.js';
import { reaching } from '../unavailable.js';
import { appendAuditEvents } from './audit-append.js';
import { PostgresChangeFeed } from './change-feed.js';
import { PostgresSharedState } from './shared-state.js';

const POOL_SIZE = 16;
/** How long a request may wait for a connection, and for a statement's answer, before 503. */
const CONNECT_TIMEOUT_MS = 5_000;
const QUERY_TIMEOUT_MS = 10_000;
const DATABASE = 'the PostgreSQL database';
const INT8 = 20;
/** The advisory lock nodes take to set up a fresh store (any number of ours, distinct from kysely's). */
const START_LOCK = 0x72616d70;

export interface PostgresLocation {
  connectionString: string;
  /** The schema Rampart's tables live in (default: the database's search path, usually public). */
  schema: string | undefined;
}

/** Reads postgres://user:password@host:port/db[?schema=NAME]; `schema` is ours, the rest is pg's. */
export function parsePostgresUrl(text: string): PostgresLocation {
  const { url, param } = parseServerUrl(text, {
    what: 'the store',
    example: 'postgres://user@host:5432/db',
    protocols: ['postgres:', 'postgresql:'],
    schemes: 'a postgres://',
    param: 'schema',
    valid: /^[a-z_][a-z0-9_]{0,62}$/,
    invalid: 'schema must be a lower-case SQL name (letters, digits, _)',
  });
  return { connectionString: url, schema: param };
}

/** 64-bit integers (object sizes, audit sequence numbers) as numbers: all ours fit in 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/** Creates the schema unless it exists; nodes starting together race for it, and one wins. */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists ${pg.escapeIdentifier(schema)}`);
  } catch (e) {
    // 23505: the catalogue's unique index, when two "if not exists" run at the same moment.
    if ((e as { code?: string }).code !== '23505') throw e;
  }
}

const MAX_ROWS_PER_INSERT = 1000;

function batchedAppends(reads: KyselyAuditReads, pool: pg.Pool): { repository: AuditRepository; flush(): Promise<void> } {
  const turn = new TurnBatch<AuditEventRow>(async (rows) => {
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_INSERT) await appendAuditEvents(pool, rows.slice(i, i + MAX_ROWS_PER_INSERT));
  });
  return {
    repository: { append: (rows) => turn.add(rows), query: (q) => reads.query(q), byRequestId: (id) => reads.byRequestId(id), expire: (before) => reads.expire(before) },
    flush: () => turn.flush(),
  };
}

/** Every method of an object, with an unreachable database turned into StoreUnavailableError. */
function guarded<T extends object>(target: T): T {
  return new Proxy(target, {
    get: (t, name, receiver) => {
      const value = Reflect.get(t, name, receiver) as unknown;
      return typeof value === 'function' ? (...args: unknown[]) => reaching(DATABASE, () => (value as (...a: unknown[]) => Promise<unknown>).apply(t, args)) : value;
    },
  });
}

export interface PostgresStoreOptions {
  /** Names this node in its change notifications. */
  nodeId?: string;
  onFeedError?(error: unknown): void;
  onFeedLag?(ms: number): void;
}

export async function openPostgresStore(location: PostgresLocation, box: SecretBox, options: PostgresStoreOptions = {}): Promise<Store> {
  const { connectionString, schema } = location;
  const connection = {
    connectionString,
    types,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = new pg.Pool({ ...connection, max: POOL_SIZE });
  // An idle connection the server drops is replaced on next use; the error must not crash us.
  pool.on('error', (e) => options.onFeedError?.(e));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const feed = new PostgresChangeFeed({
    connect: () => new pg.Client(connection),
    channel: `rampart_changes${schema !== undefined ? `_${schema}` : ''}`.slice(0, 63),
    nodeId: options.nodeId ?? randomUUID(),
    ...(options.onFeedError ? { onError: options.onFeedError } : {}),
    ...(options.onFeedLag ? { onLag: options.onFeedLag } : {}),
  });
  try {
    if (schema !== undefined) await createSchema(pool, schema);
    // Several nodes may start at once: kysely holds an advisory lock while it migrates.
    await migrateToLatest(db as unknown as Kysely<unknown>, schema ?? 'public');
    await feed.start();
  } catch (e) {
    await feed.close();
    await db.destroy();
    throw e;
  }
  // Every event of one turn in one INSERT and one commit: a commit waits for the disk.
  const appends = batchedAppends(new KyselyAuditReads(db), pool);
  const audit = guarded(appends.repository);

  /** Tells this node's caches, then every other node, of what a committed write changed. */
  const announce = async (touched: Set<string | undefined>): Promise<void> => {
    if (touched.size === 0) return;
    for (const accountId of touched) feed.emit(accountId);
    await feed.notify(pool, touched);
  };

  // Outside a transaction every statement commits on its own, so a call's changes are announced
  // once the call is done (and before it returns: a write is acknowledged only once every node
  // can hear of it). Each call gets repositories of its own, so it announces only what it wrote.
  const perCall = <K extends Exclude<keyof Repositories, 'audit'>>(name: K): Repositories[K] =>
    new Proxy({} as Repositories[K], {
      get: (_target, method) =>
        // Not a thenable, whatever awaits it.
        method === 'then' || typeof method === 'symbol'
          ? undefined
          : (...args: unknown[]) =>
              reaching(DATABASE, async () => {
                const touched = new Set<string | undefined>();
                const repository = kyselyRepositories(db, box, (a) => touched.add(a), audit)[name] as unknown as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
                try {
                  return await repository[method]!(...args);
                } finally {
                  await announce(touched);
                }
              }),
    });

  return {
    accounts: perCall('accounts'),
    accessKeys: perCall('accessKeys'),
    settings: perCall('settings'),
    ram: perCall('ram'),
    tokenKeys: perCall('tokenKeys'),
    ecs: perCall('ecs'),
    oss: perCall('oss'),
    federation: perCall('federation'),
    audit,
    transaction: (fn) =>
      reaching(DATABASE, async () => {
        const touched = new Set<string | undefined>();
        const result = await db.transaction().execute((trx) => fn(kyselyRepositories(trx, box, (a) => touched.add(a), audit)));
        await announce(touched);
        return result;
      }),
    changes: feed,
    reachable: () => pool.query('select 1').then(() => true, () => false),
    exclusively: async (fn) => {
      // A session lock on a connection of its own, held while fn runs on the pool.
      const client = await reaching(DATABASE, () => pool.connect());
      try {
        await client.query('select pg_advisory_lock($1)', [START_LOCK]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1)', [START_LOCK]);
        }
      } finally {
        client.release();
      }
    },
    shared: guarded(new PostgresSharedState(db)),
    // A commit is durable when it returns (synchronous_commit, PostgreSQL's default).
    flushed: async () => {},
    close: async () => {
      // What this turn recorded is written before the pool closes.
      await appends.flush();
      await feed.close();
      await db.destroy();
    },
  };
}
