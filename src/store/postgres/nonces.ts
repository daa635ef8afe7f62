// Signature nonces shared by every node of one PostgreSQL database: a nonce used on one node is
// refused on all. One statement per signed request claims the fingerprint, or takes over one
// whose window has passed; a sweep removes expired ones now and then.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

const SWEEP_EVERY_MS = 60_000;
/** As auth/ accepts time stamps: 15 minutes either side of the clock. */
const WINDOW_MS = 15 * 60 * 1000;

/** 128 bits of SHA-256 over AccessKeyId and nonce: what is stored is never what a request sent. */
const fingerprint = (accessKeyId: string, nonce: string) => createHash('sha256').update(accessKeyId).update('\0').update(nonce).digest('base64url').slice(0, 22);

export class PostgresNonces {
  #lastSweep = 0;

  constructor(private readonly db: Kysely<Database>) {}

  /** Records the nonce; false if any node has recorded it and its window has not passed. */
  async claim(accessKeyId: string, nonce: string, requestMs: number, nowMs: number): Promise<boolean> {
    if (nowMs - this.#lastSweep > SWEEP_EVERY_MS) {
      this.#lastSweep = nowMs;
      // Not awaited: a failed sweep only leaves rows the next one removes.
      this.db.deleteFrom('signature_nonces').where('expires_ms', '<', nowMs).execute().catch(() => undefined);
    }
    const expiresMs = Math.max(requestMs, nowMs) + WINDOW_MS;
    const claimed = await this.db
      .insertInto('signature_nonces')
      .values({ fingerprint: fingerprint(accessKeyId, nonce), expires_ms: expiresMs })
      .onConflict((oc) => oc.column('fingerprint').doUpdateSet({ expires_ms: expiresMs }).where('signature_nonces.expires_ms', '<', nowMs))
      .returning(sql<number>`1`.as('claimed'))
      .executeTakeFirst();
    return claimed !== undefined;
  }
}
