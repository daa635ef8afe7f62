// The few places where the two backends' SQL differs, for migrations written once for both.
import { PostgresAdapter, type Kysely } from 'kysely';

export const onPostgres = (db: Kysely<unknown>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** A column of raw bytes. */
export const bytesType = (db: Kysely<unknown>) => (onPostgres(db) ? 'bytea' : 'blob');
