// Turning a backend's unique-constraint violation into the store's own conflict error.
import { StoreConflictError } from './repositories.js';

/** SQLite reports SQLITE_CONSTRAINT_*; 23505 is the SQL standard's SQLSTATE for the same. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/** Runs a write; a unique-constraint violation becomes StoreConflictError("<what> already exists"). */
export async function unique<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isUniqueViolation(e)) throw new StoreConflictError(`${what} already exists`);
    throw e;
  }
}
