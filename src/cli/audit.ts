// `rampart audit tail [--follow]`, `rampart audit export --format jsonl`, `rampart audit explain REQUEST_ID`:
// the audit trail read straight from the data directory (also while a server runs).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { openDataDir } from '../server/index.js';
import type { Store } from '../store/index.js';
import { DEFAULTS, pick, UsageError } from './options.js';

export const AUDIT_USAGE = `rampart audit tail [--data DIR] [--account ID] [--lines N] [--follow]
rampart audit export --format jsonl [--data DIR] [--account ID] [--since ISO] [--until ISO]
rampart audit explain REQUEST_ID [--data DIR]
  The audit trail: ActionTrail events, one JSON object a line; explain shows why a request was refused.`;

const EPOCH = '1970-01-01T00:00:00Z';
const FAR = '9999-12-31T23:59:59Z';

async function page(store: Store, account: string | undefined, after: number | undefined, since = EPOCH, until = FAR) {
  return store.audit.query({ ...(account ? { accountId: account } : {}), startTime: since, endTime: until, filters: [], ...(after !== undefined ? { cursor: after } : {}), direction: 'FORWARD', limit: 1000 });
}

export async function audit(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      account: { type: 'string' },
      lines: { type: 'string' },
      follow: { type: 'boolean' },
      format: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [sub, arg] = positionals;
  if (sub !== 'tail' && sub !== 'export' && sub !== 'explain') throw new UsageError(AUDIT_USAGE);
  if (sub === 'export' && values.format !== 'jsonl') throw new UsageError('audit export needs --format jsonl');
  if (sub === 'explain' && !arg) throw new UsageError(AUDIT_USAGE);
  const { store } = await openDataDir(resolve(pick(values.data, env, 'RAMPART_DATA', DEFAULTS.data)), env);
  const out = (line: string) => process.stdout.write(line + '\n');
  try {
    if (sub === 'explain') {
      const events = await store.audit.byRequestId(arg ?? '');
      if (events.length === 0) {
        process.stderr.write(`no event with request id ${arg}\n`);
        return 1;
      }
      for (const row of events) {
        const e = JSON.parse(row.event) as Record<string, unknown>;
        const who = (e['userIdentity'] as Record<string, string>)['userName'];
        out(`${e['eventTime']} ${e['serviceName']}:${e['eventName']} by ${who} (${(e['userIdentity'] as Record<string, string>)['type']})`);
        out(e['errorCode'] ? `  refused: ${e['errorCode']}: ${e['errorMessage']}` : '  allowed');
        if (e['errorExplanation']) out(`  why: ${e['errorExplanation']}`);
        const checks = (e['additionalEventData'] as { authorizationChecks?: { permission: string; resource: string; effect: string }[] } | undefined)?.authorizationChecks;
        for (const c of checks ?? []) out(`  check: ${c.permission} on ${c.resource}: ${c.effect}`);
      }
      return 0;
    }
    let after: number | undefined;
    if (sub === 'tail') {
      const lines = Number(values.lines ?? '20');
      const newest = await store.audit.query({ ...(values.account ? { accountId: values.account } : {}), startTime: EPOCH, endTime: FAR, filters: [], direction: 'BACKWARD', limit: lines });
      for (const row of newest.reverse()) out(row.event);
      after = newest[newest.length - 1]?.seq ?? (await page(store, values.account, undefined)).at(-1)?.seq;
      if (!values.follow) return 0;
      let stop = false;
      process.once('SIGINT', () => (stop = true));
      process.once('SIGTERM', () => (stop = true));
      while (!stop) {
        for (const row of await page(store, values.account, after)) {
          out(row.event);
          after = row.seq;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      return 0;
    }
    for (;;) {
      const rows = await page(store, values.account, after, values.since, values.until);
      for (const row of rows) out(row.event);
      if (rows.length < 1000) return 0;
      after = rows[rows.length - 1]?.seq;
    }
  } finally {
    await store.close();
  }
}
