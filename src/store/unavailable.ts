// A database or Redis that does not answer is not a fault of the request: the caller gets the
// product's ServiceUnavailable (503) and may retry, and nothing is answered from a guess.
// Failures of one statement (a constraint, a bug) are not this: they stay what they are.

export class StoreUnavailableError extends Error {
  constructor(what: string, cause: unknown) {
    super(`${what} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
// PostgreSQL: class 08 (connection exception); 57P01-57P03 (shutting down, crashed, not yet accepting).
const SERVER_GONE = /^(08...|57P0[123])$/;
const DRIVER_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|connection error|Stream isn't writeable|Command timed out|Connection is closed|MaxRetriesPerRequest/i;

/** Whether an error says the server could not be reached or went away (rather than refused a statement). */
export function isUnreachable(e: unknown): boolean {
  if (e instanceof StoreUnavailableError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GONE.test(code))) return true;
  return e instanceof Error && DRIVER_MESSAGES.test(e.message);
}

/** Runs work against `what`; an unreachable server becomes StoreUnavailableError. */
export async function reaching<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isUnreachable(e) && !(e instanceof StoreUnavailableError)) throw new StoreUnavailableError(what, e);
    throw e;
  }
}
