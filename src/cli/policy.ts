// `rampart policy validate` and `rampart policy simulate`: the policy engine from the command line.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  compilePolicy,
  conditionContext,
  evaluateTrust,
  parsePolicy,
  policyApiError,
  PolicyGrammarError,
  PolicySet,
  type Decision,
  type PolicyKind,
  type RequestPrincipal,
} from '../policy/index.js';
import { UsageError } from './options.js';
import { isoSeconds } from '../model/index.js';

export const POLICY_USAGE = `rampart policy validate FILE [--kind identity|session|trust|resource]
  Checks a policy document; errors name the statement and field.
rampart policy simulate --policy FILE [--policy FILE ...] [--session-policy FILE] --action ACTION --resource ARN [--context KEY=VALUE ...] [--json]
rampart policy simulate --trust FILE --principal ARN|SERVICE [--context KEY=VALUE ...] [--json]
  Prints the decision (Allow, ExplicitDeny, ImplicitDeny) and the policy and statement that made it.
  acs:CurrentTime defaults to now.`;

const KINDS: readonly PolicyKind[] = ['identity', 'session', 'trust', 'resource'];

function load(file: string, kind: PolicyKind) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parsePolicy(text, kind);
}

function validate(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { kind: { type: 'string' } }, allowPositionals: true, strict: true });
  const kind = (values.kind ?? 'identity') as PolicyKind;
  if (!KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const [file] = positionals;
  if (file === undefined || positionals.length !== 1) throw new UsageError(POLICY_USAGE);
  try {
    const doc = load(file, kind);
    process.stdout.write(`${file}: a valid ${kind} policy (${doc.Statement.length} statement${doc.Statement.length === 1 ? '' : 's'})\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof PolicyGrammarError)) throw e;
    const api = policyApiError(kind, e);
    process.stdout.write(`${file}: ${api.code}\n  ${e.path || '(document)'}: ${e.reason}\n`);
    return 1;
  }
}

function parseContext(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context wants KEY=VALUE, not "${pair}"`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  if (!Object.keys(out).some((k) => k.toLowerCase() === 'acs:currenttime')) out['acs:CurrentTime'] = isoSeconds(Date.now());
  return out;
}

/** A principal from the command line: an ARN of the RAM account, user or role, or a service name. */
function parsePrincipal(text: string): RequestPrincipal {
  const ram = /^acs:ram:[^:]*:(\d+):(root|user\/.+|role\/.+)$/.exec(text);
  if (ram) return { kind: 'RAM', accountId: ram[1] ?? '', arn: text };
  if (/^acs:ram:[^:]*:\d+:(saml|oidc)-provider\/.+$/.test(text)) return { kind: 'Federated', arn: text };
  if (/^[a-z0-9.-]+\.aliyuncs\.com$/.test(text)) return { kind: 'Service', name: text };
  throw new UsageError(`--principal must be a RAM ARN (acs:ram::<uid>:root|user/<name>|role/<name>), a provider ARN, or a service (ecs.aliyuncs.com)`);
}

function report(decision: Decision, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(decision) + '\n');
    return;
  }
  process.stdout.write(`Decision: ${decision.effect}\n  ${decision.reason}\n`);
}

function simulate(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      policy: { type: 'string', multiple: true },
      'session-policy': { type: 'string' },
      trust: { type: 'string' },
      principal: { type: 'string' },
      action: { type: 'string' },
      resource: { type: 'string' },
      context: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const context = conditionContext(parseContext(values.context ?? []));
  try {
    if (values.trust !== undefined) {
      if (values.principal === undefined) throw new UsageError('--trust needs --principal');
      const trust = compilePolicy(load(values.trust, 'trust'), { name: basename(values.trust), type: 'Trust' });
      report(evaluateTrust(trust, parsePrincipal(values.principal), context), values.json === true);
      return 0;
    }
    if (!values.policy?.length || values.action === undefined || values.resource === undefined) throw new UsageError(POLICY_USAGE);
    const identity = values.policy.map((f) => compilePolicy(load(f, 'identity'), { name: basename(f), type: 'Custom' }));
    const sessionFile = values['session-policy'];
    const session = sessionFile === undefined ? undefined : compilePolicy(load(sessionFile, 'session'), { name: basename(sessionFile), type: 'Session' });
    const set = new PolicySet(identity, session ? { session } : {});
    report(set.explain({ action: values.action, resource: values.resource, context }), values.json === true);
    return 0;
  } catch (e) {
    if (!(e instanceof PolicyGrammarError)) throw e;
    throw new UsageError(`a policy is not valid: ${e.message}`);
  }
}

export async function policy(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'validate') return validate(rest);
  if (sub === 'simulate') return simulate(rest);
  throw new UsageError(POLICY_USAGE);
}
