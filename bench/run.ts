// `npm run bench`: every benchmark row, each against a baseline measured in the same run.
// Prints one table and writes the figures as JSON (bench/results/<time>.json) for comparison.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { printTable, type Row } from './harness.js';
import { policyRows } from './policy.js';

const rows: Row[] = [...policyRows()];
printTable(rows);

const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const file = `${dir}${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, rows }, null, 2) + '\n');
console.log(`\nresults: ${file}`);
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
