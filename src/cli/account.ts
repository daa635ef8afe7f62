// `rampart account create`: another account with its root AccessKey (partners, cross-account roles).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { createAccount, openDataDir } from '../server/index.js';
import { DEFAULTS, pick, UsageError } from './options.js';

export const ACCOUNT_USAGE = `rampart account create [--data DIR] [--json]
  Creates an account and its root AccessKey and prints them (the secret only this once).`;

export async function account(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, json: { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length !== 1 || positionals[0] !== 'create') throw new UsageError(ACCOUNT_USAGE);
  const { store } = await openDataDir(resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data)), env);
  try {
    const creds = await createAccount(store, new Date());
    process.stdout.write(
      values.json
        ? JSON.stringify(creds) + '\n'
        : `AccountId        ${creds.AccountId}\nAccessKeyId      ${creds.AccessKeyId}\nAccessKeySecret  ${creds.AccessKeySecret}\n`,
    );
  } finally {
    await store.close();
  }
}
