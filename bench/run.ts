// `npm run bench`: every benchmark row, each against a baseline measured in the same run.
// Prints one table and writes the figures as JSON (bench/results/<time>.json) for comparison.
// `npm run bench -- policy` (or http, scale, writes, shared, shared-http; or one HTTP row: assume,
// identity, metadata, put) runs only those rows. `shared` (the scale-out rows) and `shared-http`
// (the HTTP rows with the node under test on PostgreSQL and Redis) need the machine's PostgreSQL
// and Redis.
// Each row's baseline is compared with the newest earlier results file: one that moved by more
// than BASELINE_DRIFT is printed as a warning, since a yardstick that moved says the run was noisy.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { baselineWarnings, printTable, type Row } from './harness.js';
import { policyRows } from './policy.js';
import { httpRows } from './http/rows.js';
import { sharedHttpRows, sharedStoreRows } from './http/shared-store.js';
import { scaleRows } from './scale.js';
import { writeRows } from './writes.js';

const only = new Set(process.argv.slice(2));
const HTTP_ROWS = ['assume', 'identity', 'metadata', 'put'];
const httpOnly = new Set(HTTP_ROWS.filter((r) => only.has(r)));
const wanted = (group: string) => only.size === 0 || only.has(group) || (group === 'http' && httpOnly.size > 0);

const rows: Row[] = [];
if (wanted('policy')) rows.push(...policyRows());
if (wanted('http')) rows.push(...(await httpRows({ rounds: 5, seconds: 3, connections: 16, only: httpOnly })));
if (wanted('scale')) rows.push(...(await scaleRows()));
if (wanted('writes')) rows.push(...(await writeRows()));
if (wanted('shared')) rows.push(...(await sharedStoreRows({ rounds: 5, seconds: 3, connections: 16 })));
if (wanted('shared-http')) rows.push(...(await sharedHttpRows({ rounds: 5, seconds: 3, connections: 16, only: httpOnly })));
printTable(rows);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
/** Every row of the earlier results files, the newest first (a row's newest figure wins). */
function previousRows(): Row[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().reverse();
  return files.flatMap((f) => {
    try {
      return (JSON.parse(readFileSync(`${dir}${f}`, 'utf8')) as { rows: Row[] }).rows;
    } catch {
      return [];
    }
  });
}
const warnings = baselineWarnings(rows, previousRows());
for (const w of warnings) console.log(w);
const file = `${dir}${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length, rows, warnings }, null, 2) + '\n');
console.log(`\nresults: ${file}`);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
