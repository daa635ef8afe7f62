// SIGKILL under mixed write load (users, policies, role sessions, objects, multipart uploads),
// then a start on the same data: every acknowledged write is there and whole, nothing in flight is
// half there, every acknowledged call is in the trail exactly once, the start is bounded. A few
// rounds here; `npm run reliability` runs many (RAMPART_CRASH_ROUNDS, RAMPART_CRASH_SEED).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crashRounds, summary, type Backend } from './crash-loop.js';

const seed = Number(process.env['RAMPART_CRASH_SEED'] ?? Math.floor(Math.random() * 1e9));
const rounds = (backend: Backend) => Number(process.env['RAMPART_CRASH_ROUNDS'] ?? (backend === 'sqlite' ? 3 : 2));

for (const backend of ['sqlite', 'postgres'] as const) {
  test(`${backend}: ${rounds(backend)} rounds of kill -9 under write load and restart on the same data`, async () => {
    const reports = await crashRounds({ backend, rounds: rounds(backend), seed, log: (l) => console.log(l) });
    console.log(summary(backend, reports));
    const failed = reports.filter((r) => r.failures.length > 0);
    assert.deepEqual(failed.map((r) => ({ round: r.round, seed: r.seed, failures: r.failures.slice(0, 10) })), []);
    assert.equal(reports.length, rounds(backend), 'a restart failed');
  });
}
