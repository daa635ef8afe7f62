// `rampart keys rotate`: a new key seals STS tokens from now on; tokens sealed with older keys
// keep working until they expire. A running server picks the new key up before it next seals a
// token (the store's change feed tells it the keys changed).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openDataDir } from '../server/index.js';
import { rotateKeys } from '../tokens/index.js';
import { DEFAULTS, pick, UsageError } from './options.js';

export const KEYS_USAGE = `rampart keys rotate [--data DIR]
  Starts sealing STS tokens with a new key; keys no valid token can use any more are dropped.`;

export async function keys(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { data: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1 || positionals[0] !== 'rotate') throw new UsageError(KEYS_USAGE);
  const { store } = await openDataDir(resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data)), env);
  try {
    const { added, dropped } = await rotateKeys(store, Date.now());
    process.stdout.write(`new token key ${added}${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}\n`);
  } finally {
    await store.close();
  }
}
