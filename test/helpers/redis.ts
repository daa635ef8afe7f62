// A Redis key prefix of its own for each test (the machine's Redis, or RAMPART_TEST_REDIS),
// with its keys removed afterwards.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS = process.env['RAMPART_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';

export interface TestPrefix {
  prefix: string;
  /** The Redis URL a node is started with (optionally through another port, e.g. a proxy's). */
  url(port?: number): string;
  drop(): Promise<void>;
}

export function testPrefix(): TestPrefix {
  const prefix = `rampart-t-${randomBytes(6).toString('hex')}:`;
  return {
    prefix,
    url: (port) => {
      const u = new URL(TEST_REDIS);
      if (port !== undefined) u.port = String(port);
      u.searchParams.set('prefix', prefix);
      return u.toString();
    },
    drop: async () => {
      const redis = new Redis(TEST_REDIS);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}
