// What the nodes of one PostgreSQL database share at request speed when no Redis is given: one
// statement per turn claims the nonces of its signed requests (a nonce used on one node is refused on all),
// one per AssumeRole takes from the account's token bucket (the rate holds across nodes).
import { sql, type Kysely } from 'kysely';
import type { SharedState } from '../repositories.js';
import type { Database } from '../schema.js';
import { nonceKey } from '../shared-keys.js';
import { TurnBatch } from '../turn-batch.js';

const SWEEP_EVERY_MS = 60_000;

interface Claim {
  fingerprint: string;
  expiresMs: number;
  nowMs: number;
  answer(claimed: boolean): void;
}

export class PostgresSharedState implements SharedState {
  #lastSweep = 0;
  // The claims of one turn (and of the turns a commit in flight makes wait) in one statement.
  readonly #claims = new TurnBatch<Claim>((claims) => this.#claimAll(claims));

  constructor(private readonly db: Kysely<Database>) {}

  claimNonce(accessKeyId: string, nonce: string, expiresMs: number, nowMs: number): Promise<boolean> {
    if (nowMs - this.#lastSweep > SWEEP_EVERY_MS) {
      this.#lastSweep = nowMs;
      // Not awaited: a failed sweep only leaves rows the next one removes.
      this.db.deleteFrom('signature_nonces').where('expires_ms', '<', nowMs).execute().catch(() => undefined);
    }
    return new Promise<boolean>((resolve, reject) => {
      this.#claims.add([{ fingerprint: nonceKey(accessKeyId, nonce), expiresMs, nowMs, answer: resolve }]).catch(reject);
    });
  }

  async #claimAll(claims: Claim[]): Promise<void> {
    // A fingerprint twice in one batch: the first claim is the one that counts.
    const first = new Map<string, Claim>();
    for (const c of claims) if (!first.has(c.fingerprint)) first.set(c.fingerprint, c);
    const batch = [...first.values()];
    // A fingerprint whose window has passed (by the earliest clock of the batch) is taken over.
    const nowMs = Math.min(...batch.map((c) => c.nowMs));
    const { rows } = await sql<{ fingerprint: string }>`
      insert into signature_nonces (fingerprint, expires_ms)
      select * from unnest(${batch.map((c) => c.fingerprint)}::text[], ${batch.map((c) => c.expiresMs)}::bigint[])
      on conflict (fingerprint) do update set expires_ms = excluded.expires_ms where signature_nonces.expires_ms < ${nowMs}
      returning fingerprint`.execute(this.db);
    const claimed = new Set(rows.map((r) => r.fingerprint));
    for (const c of claims) c.answer(first.get(c.fingerprint) === c && claimed.has(c.fingerprint));
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
