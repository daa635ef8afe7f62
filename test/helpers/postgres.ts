// A PostgreSQL schema of its own for each test (the machine's database `test`, or the one
// RAMPART_TEST_POSTGRES names), dropped afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { PostgresLocation } from '../../src/store/index.js';

export const TEST_POSTGRES = process.env['RAMPART_TEST_POSTGRES'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestSchema {
  location: PostgresLocation;
  /** The store URL a node is started with. */
  url: string;
  drop(): Promise<void>;
}

export function testSchema(): TestSchema {
  const schema = `rampart_t_${randomBytes(6).toString('hex')}`;
  const url = new URL(TEST_POSTGRES);
  url.searchParams.set('schema', schema);
  return {
    location: { connectionString: TEST_POSTGRES, schema },
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${client.escapeIdentifier(schema)} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
