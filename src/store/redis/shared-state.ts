// Shared request-speed state in Redis (--redis): a nonce is one SET NX with its time to live, a
// call-rate bucket one script run. Every node pointed at the same Redis (and key prefix) refuses a
// nonce any of them has seen and counts calls together. Redis that does not answer fails the
// request at once (no queueing while it reconnects, a bounded wait for each command): a request is
// never accepted without its nonce on record.
import { Redis } from 'ioredis';
import type { SharedState } from '../repositories.js';
import { nonceKey } from '../shared-keys.js';
import { parseServerUrl } from '../server-url.js';
import { StoreUnavailableError } from '../unavailable.js';

const COMMAND_TIMEOUT_MS = 1_000;
const CONNECT_TIMEOUT_MS = 2_000;

// KEYS[1] the bucket; ARGV rate, now (ms). Refills at rate a second up to rate; takes one token if
// there is one. Answers 1 when taken. A clock behind the bucket's refills nothing.
const TAKE = `
local b = redis.call('HMGET', KEYS[1], 't', 'a')
local rate = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local tokens = tonumber(b[1]) or rate
local at = tonumber(b[2]) or now
tokens = math.min(rate, tokens + math.max(0, now - at) / 1000 * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'a', tostring(math.max(at, now)))
redis.call('PEXPIRE', KEYS[1], 60000)
return taken
`;

async function unavailableOnError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new StoreUnavailableError('Redis', e);
  }
}

export interface RedisLocation {
  url: string;
  prefix: string;
}

/** Reads redis://[user:password@]host:port[/db][?prefix=NAME]; `prefix` is ours (default "rampart:"). */
export function parseRedisUrl(text: string): RedisLocation {
  const { url, param } = parseServerUrl(text, {
    what: 'Redis',
    example: 'redis://127.0.0.1:6379',
    protocols: ['redis:', 'rediss:'],
    schemes: 'a redis:// or rediss://',
    param: 'prefix',
    valid: /^[\w:.-]{1,64}$/,
    invalid: 'the Redis key prefix must be letters, digits, _ : . - (at most 64)',
  });
  return { url, prefix: param ?? 'rampart:' };
}

export class RedisSharedState implements SharedState {
  readonly #redis: Redis;
  readonly #prefix: string;

  private constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** Connects; the first connection must succeed. */
  static async open(location: RedisLocation, onError?: (e: unknown) => void): Promise<RedisSharedState> {
    const redis = new Redis(location.url, {
      lazyConnect: true,
      // The commands of one turn (one per signed request) go out in one write.
      enableAutoPipelining: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      retryStrategy: (times) => Math.min(100 * 2 ** times, 2_000),
    });
    redis.on('error', (e) => onError?.(e));
    redis.defineCommand('rampartTake', { numberOfKeys: 1, lua: TAKE });
    try {
      await redis.connect();
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    return new RedisSharedState(redis, location.prefix);
  }

  // Every failure of a command is Redis's, not the request's: ServiceUnavailable.
  claimNonce(accessKeyId: string, nonce: string, expiresMs: number, nowMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.ceil(expiresMs - nowMs));
    return unavailableOnError(async () => (await this.#redis.set(`${this.#prefix}nonce:${nonceKey(accessKeyId, nonce)}`, '1', 'PX', ttl, 'NX')) === 'OK');
  }

  takeCall(key: string, rate: number, nowMs: number): Promise<boolean> {
    const take = (this.#redis as unknown as { rampartTake(key: string, rate: number, now: number): Promise<number> }).rampartTake;
    return unavailableOnError(async () => (await take.call(this.#redis, `${this.#prefix}rate:${key}`, rate, nowMs)) === 1);
  }

  /** Whether Redis answers now (for /health). */
  async reachable(): Promise<boolean> {
    return this.#redis.ping().then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}
