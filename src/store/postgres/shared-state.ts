// What the nodes of one PostgreSQL database share at request speed when no Redis is given: one
// statement per signed request claims its nonce (a nonce used on one node is refused on all),
// one per AssumeRole takes from the account's token bucket (the rate holds across nodes).
import { sql, type Kysely } from 'kysely';
import type { SharedState } from '../repositories.js';
import type { Database } from '../schema.js';
import { nonceKey } from '../shared-keys.js';

const SWEEP_EVERY_MS = 60_000;

export class PostgresSharedState implements SharedState {
  #lastSweep = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async claimNonce(accessKeyId: string, nonce: string, expiresMs: number, nowMs: number): Promise<boolean> {
    if (nowMs - this.#lastSweep > SWEEP_EVERY_MS) {
      this.#lastSweep = nowMs;
      // Not awaited: a failed sweep only leaves rows the next one removes.
      this.db.deleteFrom('signature_nonces').where('expires_ms', '<', nowMs).execute().catch(() => undefined);
    }
    // A fingerprint whose window has passed is taken over; a live one is refused.
    const claimed = await this.db
      .insertInto('signature_nonces')
      .values({ fingerprint: nonceKey(accessKeyId, nonce), expires_ms: expiresMs })
      .onConflict((oc) => oc.column('fingerprint').doUpdateSet({ expires_ms: expiresMs }).where('signature_nonces.expires_ms', '<', nowMs))
      .returning(sql<number>`1`.as('claimed'))
      .executeTakeFirst();
    return claimed !== undefined;
  }

  async takeCall(key: string, rate: number, nowMs: number): Promise<boolean> {
    // The bucket refills at `rate` a second up to `rate`; a call takes one token if there is one.
    const refilled = sql<number>`least(${rate}::float8, rate_buckets.tokens + greatest(0, ${nowMs}::bigint - rate_buckets.at_ms) / 1000.0 * ${rate}::float8)`;
    const taken = await this.db
      .insertInto('rate_buckets')
      .values({ bucket: key, tokens: rate - 1, at_ms: nowMs })
      .onConflict((oc) =>
        oc
          .column('bucket')
          .doUpdateSet({ tokens: sql`${refilled} - 1`, at_ms: sql`greatest(rate_buckets.at_ms, ${nowMs}::bigint)` })
          .where(refilled, '>=', 1),
      )
      .returning('tokens')
      .executeTakeFirst();
    return taken !== undefined;
  }
}
