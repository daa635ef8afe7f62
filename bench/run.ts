// `npm run bench`: every benchmark row, each against a baseline measured in the same run.
// Prints one table and writes the figures as JSON (bench/results/<time>.json) for comparison.
// `npm run bench -- policy` (or http, scale, writes, shared; or one HTTP row: assume, identity,
// metadata, put) runs only those rows. `shared` needs the PostgreSQL and Redis of the machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { printTable, type Row } from './harness.js';
import { policyRows } from './policy.js';
import { httpRows } from './http/rows.js';
import { sharedStoreRows } from './http/shared-store.js';
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
printTable(rows);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, cpus: cpus().length, rows }, null, 2) + '\n');
console.log(`\nresults: ${file}`);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
