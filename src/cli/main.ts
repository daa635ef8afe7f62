// The `rampart` command line.
import { AccountSetupError, SettingError } from '../server/index.js';
import { MasterKeyError } from '../secrets/index.js';
import { StoreUrlError } from '../store/index.js';
import { QuotaConfigError } from '../services/index.js';
import { account, ACCOUNT_USAGE } from './account.js';
import { UsageError } from './options.js';
import { audit, AUDIT_USAGE } from './audit.js';
import { keys, KEYS_USAGE } from './keys.js';
import { oidc, OIDC_USAGE } from './oidc.js';
import { OIDC_PIN_USAGE } from './oidc-pin.js';
import { policy, POLICY_USAGE } from './policy.js';
import { role, ROLE_USAGE } from './role.js';
import { serve, SERVE_USAGE } from './serve.js';

const USAGE = `Rampart: a self-hosted identity and access plane that speaks Alibaba Cloud's wire protocols.

${SERVE_USAGE}

${ACCOUNT_USAGE}

${POLICY_USAGE}

${KEYS_USAGE}

${OIDC_USAGE}
${OIDC_PIN_USAGE}

${ROLE_USAGE}

${AUDIT_USAGE}`;

/** Each command resolves to its exit code (or nothing, for 0). */
const COMMANDS: Record<string, (argv: string[], env: NodeJS.ProcessEnv) => Promise<number | void>> = {
  serve,
  account,
  policy,
  keys,
  oidc,
  role,
  audit,
};

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    process.stderr.write(`rampart: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return (await run(rest, env)) ?? 0;
  } catch (e) {
    const known =
      e instanceof UsageError ||
      e instanceof AccountSetupError ||
      e instanceof MasterKeyError ||
      e instanceof QuotaConfigError ||
      e instanceof SettingError ||
      e instanceof StoreUrlError ||
      (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`rampart ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
    if (!known) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return known ? 2 : 1;
  }
}
