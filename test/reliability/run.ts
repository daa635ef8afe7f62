// `npm run reliability`: the crash-restart rounds, many of them (20 per backend unless
// RAMPART_CRASH_ROUNDS says otherwise; RAMPART_CRASH_SEED replays a run's seed).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('./crash-restart.test.js', import.meta.url));
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', file], {
  env: { ...process.env, RAMPART_CRASH_ROUNDS: process.env['RAMPART_CRASH_ROUNDS'] ?? '20' },
  stdio: 'inherit',
});
child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
