// `rampart oidc issue|rotate`: Rampart's OIDC issuer from the command line, for a cluster or a CI
// runner to write a workload's token file, and for the operator to rotate the signing key. Both
// work on the data directory's store beside a running server: the server reads the keys from the
// store at each use, so it serves (and verifies with) a key the CLI made at once.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { oidcIssuerUrl, openDataDir } from '../server/index.js';
import { accountSubject, ACCOUNT_SUBJECT_PREFIX, MAX_OIDC_TOKEN_SECONDS, MIN_OIDC_TOKEN_SECONDS, OIDC_AUDIENCE, OIDC_ISSUER_SETTING, OIDC_SUBJECT, OidcIssuer } from '../tokens/index.js';
import { DEFAULTS, pick, UsageError } from './options.js';
import { oidcPin } from './oidc-pin.js';

export const OIDC_USAGE = `rampart oidc issue --subject SUBJECT --audience AUDIENCE [--ttl 1h] [--account ID] [--issuer URL] [--data DIR]
  Prints an OIDC token signed by Rampart's issuer (for a workload's token file). --ttl: 60s to 12h,
  as 3600, 3600s, 60m or 1h (default 1h). --account ID: the subject is that account's, as the
  IssueOIDCToken action makes it (account:ID:SUBJECT); other subjects may not start with "account:".
  The issuer: --issuer, else RAMPART_OIDC_ISSUER, else the one rampart serve last started with.
rampart oidc rotate [--data DIR]
  Signs new OIDC tokens with a new key; older keys stay published until every token they signed has expired.`;

/** 3600, 3600s, 60m, 1h: seconds within the bounds a token may live. */
export function parseTtl(text: string): number {
  const m = /^(\d{1,6})([smh]?)$/.exec(text.trim());
  const seconds = m ? Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1) : NaN;
  if (!(seconds >= MIN_OIDC_TOKEN_SECONDS && seconds <= MAX_OIDC_TOKEN_SECONDS)) {
    throw new UsageError(`--ttl must be from ${MIN_OIDC_TOKEN_SECONDS}s to ${MAX_OIDC_TOKEN_SECONDS / 3600}h (e.g. 3600, 15m, 1h), not "${text}"`);
  }
  return seconds;
}

export async function oidc(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv[0] === 'pin') return oidcPin(argv.slice(1), env);
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      subject: { type: 'string' },
      audience: { type: 'string' },
      ttl: { type: 'string' },
      account: { type: 'string' },
      issuer: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [command] = positionals;
  if (positionals.length !== 1 || (command !== 'issue' && command !== 'rotate')) throw new UsageError(OIDC_USAGE);
  if (command === 'rotate' && [values.subject, values.audience, values.ttl, values.account, values.issuer].some((v) => v !== undefined)) throw new UsageError(OIDC_USAGE);
  // Everything given is checked before the store is opened.
  let request: { subject: string; audience: string; ttlSeconds: number } | undefined;
  if (command === 'issue') {
    const { subject, audience } = values;
    if (subject === undefined || audience === undefined) throw new UsageError(OIDC_USAGE);
    if (!OIDC_SUBJECT.pattern.test(subject)) throw new UsageError(`--subject may contain only ${OIDC_SUBJECT.text} (at most 256), not "${subject}"`);
    if (!OIDC_AUDIENCE.pattern.test(audience)) throw new UsageError(`--audience may contain only ${OIDC_AUDIENCE.text} (at most 128), not "${audience}"`);
    // Subjects under account: are each account's own (IssueOIDCToken's); only --account reaches them.
    if (values.account === undefined && subject.startsWith(ACCOUNT_SUBJECT_PREFIX)) throw new UsageError(`a subject starting with "${ACCOUNT_SUBJECT_PREFIX}" is an account's: name the account with --account ID and give the rest`);
    request = { subject: values.account !== undefined ? accountSubject(values.account, subject) : subject, audience, ttlSeconds: parseTtl(values.ttl ?? '1h') };
  }
  const given = pick(values.issuer, env, 'RAMPART_OIDC_ISSUER');
  const configured = given !== undefined ? oidcIssuerUrl(given) : undefined;

  const { store, box } = await openDataDir(resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data)), env);
  try {
    if (request === undefined) {
      const { added, dropped } = await new OidcIssuer(store, box, { issuer: () => '', now: Date.now }).rotate();
      process.stdout.write(`new OIDC signing key ${added}${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}\n`);
      return;
    }
    if (values.account !== undefined && (await store.accounts.get(values.account)) === undefined) throw new UsageError(`there is no account ${values.account}`);
    const issuer = configured ?? (await store.settings.get(OIDC_ISSUER_SETTING));
    if (issuer === undefined || issuer === '') throw new UsageError('no OIDC issuer is known yet: start rampart serve once with this data directory, or give --issuer URL (RAMPART_OIDC_ISSUER)');
    const { token } = await new OidcIssuer(store, box, { issuer: () => issuer, now: Date.now }).issue(request);
    process.stdout.write(`${token}\n`);
  } finally {
    await store.close();
  }
}
