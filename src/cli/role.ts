// `rampart role revoke-sessions`: ends every session of a role issued before now, at once.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openDataDir } from '../server/index.js';
import { DEFAULTS, pick, UsageError } from './options.js';

export const ROLE_USAGE = `rampart role revoke-sessions --account ACCOUNT_ID --role ROLE_NAME [--data DIR]
  Refuses every session of the role issued before now (new sessions are not affected).`;

export async function role(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, account: { type: 'string' }, role: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals[0] !== 'revoke-sessions' || positionals.length !== 1 || !values.account || !values.role) throw new UsageError(ROLE_USAGE);
  const { account, role: roleName } = values;
  const { store } = await openDataDir(resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data)), env);
  try {
    const now = new Date();
    await store.transaction(async (tx) => {
      const r = await tx.ram.getRole(account, roleName);
      if (r === undefined) throw new UsageError(`account ${account} has no role ${roleName}`);
      await tx.ram.updateRole({ ...r, revokeSessionsBefore: now });
    });
    process.stdout.write(`sessions of ${roleName} issued before ${now.toISOString()} are revoked\n`);
  } finally {
    await store.close();
  }
}
