// The load generator, in a process of its own: autocannon sends a pool of pre-built requests
// (each used once, so signed requests keep their unique nonces), then prints its figures as JSON.
// argv: URL POOL_FILE CONNECTIONS AMOUNT
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { PooledRequest } from './pool.js';

const [url, poolFile, connections, amount] = process.argv.slice(2);
if (url === undefined || poolFile === undefined) throw new Error('usage: load-child URL POOL CONNECTIONS AMOUNT');
const pool = JSON.parse(readFileSync(poolFile, 'utf8')) as { bodies: string[]; requests: PooledRequest[] };
const bodies = pool.bodies.map((b) => Buffer.from(b, 'base64'));

let next = 0;
const instance = autocannon(
  {
    url,
    connections: Number(connections),
    amount: Number(amount),
    timeout: 30,
    // autocannon notices the last answer only at its next sample tick (default every second),
    // which would add up to a second to a run of fixed length; sample often instead.
    sampleInt: 20,
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          // A pool entry is never sent twice; past the end the pool wraps (only the baseline,
          // which checks no nonce, is ever run past it).
          const r = pool.requests[next++ % pool.requests.length]!;
          return { ...req, method: r.method as autocannon.Request['method'], path: r.path, headers: r.headers, ...(r.body === undefined ? {} : { body: bodies[r.body] }) };
        },
      },
    ],
  },
  (err: Error | null, result: autocannon.Result) => {
    if (err) throw err;
    const codes = result as unknown as Record<string, number>;
    process.stdout.write(
      JSON.stringify({
        requests: result.requests.total,
        seconds: result.duration,
        rps: result.requests.total / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
        '2xx': codes['2xx'],
        generatorCpuMicros: ((process.cpuUsage().user + process.cpuUsage().system) / result.requests.total),
      }) + '\n',
    );
  },
);
process.on('SIGTERM', () => instance.stop());
