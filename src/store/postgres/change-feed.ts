// The change feed of nodes sharing one PostgreSQL database. A node announces each committed write
// with NOTIFY (payload: its node id, when it sent it, and the account, or "*" for every account); every node LISTENs
// on a connection of its own and tells its caches. PostgreSQL delivers a notification only after
// the write before it has committed, to every listener, in order.
// While the listening connection is down, no cache may be trusted: every catchUp() announces that
// every account changed, so each lookup reads the database, until the connection is back (and
// once more then, for whatever was missed in between).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { FeedListeners } from '../change-feed.js';
import type { ChangeFeed } from '../repositories.js';

const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 5_000;
const EVERY_ACCOUNT = '*';

export interface PostgresFeedOptions {
  /** Opens a new connection to the database. */
  connect(): pg.Client;
  channel: string;
  /** Tells this node's own notifications apart (it has heard about its writes already). */
  nodeId: string;
  onError?(error: unknown): void;
  /** How long another node's notification took to arrive (ms, by the two nodes' clocks). */
  onLag?(ms: number): void;
}

export class PostgresChangeFeed extends FeedListeners implements ChangeFeed {
  #client: pg.Client | undefined;
  #listening = false;
  #closed = false;
  #retryMs = RETRY_MIN_MS;
  #retry: NodeJS.Timeout | undefined;

  /**
   * This feed as its notifications name it: the node id (no spaces: they separate the payload's
   * fields) and a tag of its own, since two stores in one process (tests, workers) share a node id.
   */
  readonly #node: string;

  constructor(private readonly options: PostgresFeedOptions) {
    super();
    this.#node = `${options.nodeId.replace(/\s/g, '_')}#${randomBytes(4).toString('hex')}`;
  }

  /** Starts listening; the first connection must succeed. */
  async start(): Promise<void> {
    await this.#listen();
  }

  /** Whether notifications are arriving (false while the listening connection is being re-made). */
  get listening(): boolean {
    return this.#listening;
  }

  catchUp(): void {
    if (!this.#listening) this.emit(undefined);
  }

  /** Announces committed writes to every node (this one ignores its own; emit() tells its caches). */
  async notify(db: { query(text: string, values: unknown[]): Promise<unknown> }, accounts: Iterable<string | undefined>): Promise<void> {
    const sent = Date.now();
    const payloads = [...new Set([...accounts].map((a) => `${this.#node} ${sent} ${a ?? EVERY_ACCOUNT}`))];
    if (payloads.length === 0) return;
    await db.query('select pg_notify($1, p) from unnest($2::text[]) as p', [this.options.channel, payloads]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#listening = false;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const client = this.options.connect();
    client.on('notification', (msg) => {
      if (msg.channel !== this.options.channel || msg.payload === undefined) return;
      const [node, sent, account] = msg.payload.split(' ', 3);
      if (node === this.#node || account === undefined) return;
      this.options.onLag?.(Date.now() - Number(sent));
      this.emit(account === EVERY_ACCOUNT ? undefined : account);
    });
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(this.options.channel)}`);
    } catch (e) {
      client.end().catch(() => undefined);
      throw e;
    }
    this.#client = client;
    this.#listening = true;
    this.#retryMs = RETRY_MIN_MS;
  }

  #lost(client: pg.Client, error: unknown): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    this.#listening = false;
    if (error !== undefined) this.options.onError?.(error);
    client.end().catch(() => undefined);
    // Whatever was written while nobody listened is unknown: every account has changed.
    this.emit(undefined);
    this.#reconnect();
  }

  #reconnect(): void {
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#listen().then(
        () => this.emit(undefined),
        (e: unknown) => {
          this.options.onError?.(e);
          this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
          this.#reconnect();
        },
      );
    }, this.#retryMs);
    this.#retry.unref();
  }
}
