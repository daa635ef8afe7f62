#!/usr/bin/env node
// Entry point of the `rampart` command; the TypeScript sources are compiled to dist/ by `npm run build`.
import { main } from '../dist/src/cli/main.js';

const code = await main(process.argv.slice(2), process.env);
if (code !== 0) process.exitCode = code;
