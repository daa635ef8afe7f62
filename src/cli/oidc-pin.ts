// `rampart oidc pin`: an OIDC provider's signing keys given by the operator (a JWKS file), for a
// site that cannot reach the issuer. AssumeRoleWithOIDC then verifies the provider's tokens with
// those keys and fetches nothing. Works on the data directory's store beside a running server,
// which reads providers from the store at every request.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { usableKeySet } from '../auth/oidc/index.js';
import { openDataDir } from '../server/index.js';
import { DEFAULTS, pick, UsageError } from './options.js';

export const OIDC_PIN_USAGE = `rampart oidc pin --account ACCOUNT_ID --provider NAME (--jwks FILE | --unpin) [--data DIR]
  Pins the OIDC provider's signing keys to the JWKS document in FILE: its tokens are verified with
  them and nothing is fetched from the issuer (so its certificate fingerprints are not checked).
  --unpin forgets them: the keys are fetched from the issuer again.`;

/** The JWKS as it will be used: public signature keys only (private members are dropped). */
function readJwks(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${file} is not JSON`);
  }
  const keys = usableKeySet(parsed);
  if (keys === undefined) throw new UsageError(`${file} is not a JWKS ({"keys":[…]}) with a public signature key (RSA, EC or OKP)`);
  return JSON.stringify(keys);
}

export async function oidcPin(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, account: { type: 'string' }, provider: { type: 'string' }, jwks: { type: 'string' }, unpin: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const { account, provider: name, jwks, unpin } = values;
  if (positionals.length !== 0 || !account || !name || (jwks === undefined) === (unpin !== true)) throw new UsageError(OIDC_PIN_USAGE);
  // The file is checked before the store is opened.
  const pinned = jwks !== undefined ? readJwks(jwks) : undefined;
  const { store } = await openDataDir(resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data)), env);
  try {
    const provider = await store.federation.getOidcProvider(account, name);
    if (provider === undefined) throw new UsageError(`account ${account} has no OIDC provider ${name}`);
    const { pinnedJwks: _old, ...rest } = provider;
    const updated = { ...rest, ...(pinned !== undefined ? { pinnedJwks: pinned } : {}), updatedAt: new Date() };
    if (!(await store.federation.updateOidcProvider(updated))) throw new UsageError(`account ${account} has no OIDC provider ${name}`);
    const count = pinned !== undefined ? (JSON.parse(pinned) as { keys: unknown[] }).keys.length : 0;
    process.stdout.write(pinned !== undefined ? `${provider.name}: ${count} key(s) pinned; its issuer is no longer fetched\n` : `${provider.name}: keys unpinned; they are fetched from ${provider.issuerUrl}\n`);
  } finally {
    await store.close();
  }
}
