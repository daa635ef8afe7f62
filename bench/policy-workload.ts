// A realistic policy workload, written twice: as RAM policies for Rampart and as the equivalent
// Cedar policies, with a pool of requests for both. Seeded, so every run decides the same things.
import type { PolicyDocument, PolicyStatement } from '../src/policy/index.js';

export const ACCOUNT = '1234567890123456';

function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

const ACTIONS: Record<string, string[]> = {
  oss: ['GetObject', 'PutObject', 'DeleteObject', 'ListObjects', 'GetBucketInfo', 'AbortMultipartUpload', 'ListParts'],
  ram: ['GetUser', 'ListUsers', 'CreateUser', 'DeleteUser', 'ListPolicies', 'GetRole', 'AttachPolicyToUser'],
  ecs: ['DescribeInstances', 'StartInstance', 'StopInstance', 'RunInstances', 'DescribeDisks', 'DeleteInstance'],
  sts: ['AssumeRole', 'GetCallerIdentity'],
};
const SERVICES = Object.keys(ACTIONS);
const BUCKETS = ['thevideos', 'logs', 'backups', 'public-assets'];

function actionPattern(r: () => number): string {
  const service = pick(r, SERVICES);
  const roll = r();
  if (roll < 0.2) return `${service}:*`;
  if (roll < 0.45) return `${service}:${pick(r, ['Get', 'List', 'Describe', 'Delete'])}*`;
  return `${service}:${pick(r, ACTIONS[service] ?? [])}`;
}

function resourcePattern(r: () => number, action: string): string {
  const roll = r();
  if (roll < 0.25) return '*';
  if (action.startsWith('oss:')) return `acs:oss:*:*:${pick(r, BUCKETS)}/d-${String(Math.floor(r() * 20)).padStart(3, '0')}/*`;
  if (action.startsWith('ram:')) return `acs:ram::${ACCOUNT}:user/team-${Math.floor(r() * 5)}-*`;
  if (action.startsWith('ecs:')) return `acs:ecs:*:${ACCOUNT}:instance/i-${Math.floor(r() * 9)}*`;
  return `acs:ram::${ACCOUNT}:role/${pick(r, ['deployer', 'reader', 'ci-*'])}`;
}

interface Cond {
  ram: Record<string, Record<string, string[]>>;
  cedar: string[];
}

function conditions(r: () => number): Cond {
  const out: Cond = { ram: {}, cedar: [] };
  if (r() < 0.35) {
    const cidrs = [pick(r, ['10.0.0.0/8', '192.168.0.0/16', '172.16.0.0/12']), pick(r, ['203.0.113.0/24', '198.51.100.0/24'])];
    out.ram['IpAddress'] = { 'acs:SourceIp': cidrs };
    out.cedar.push(`(${cidrs.map((c) => `context.sourceIp.isInRange(ip("${c}"))`).join(' || ')})`);
  }
  if (r() < 0.3) {
    out.ram['Bool'] = { 'acs:SecureTransport': ['true'] };
    out.cedar.push('context.secureTransport == true');
  }
  if (r() < 0.2) {
    const ua = pick(r, ['aliyun-sdk-*', 'AlibabaCloud*', '*ossutil*']);
    out.ram['StringLike'] = { 'acs:UserAgent': [ua] };
    out.cedar.push(`context.userAgent like "${ua}"`);
  }
  if (r() < 0.15) {
    const n = pick(r, [100, 500, 1000]);
    out.ram['NumericLessThanEquals'] = { 'oss:max-keys': [String(n)] };
    out.cedar.push(`context.maxKeys <= ${n}`);
  }
  if (r() < 0.2) {
    const end = pick(r, ['2026-12-31T00:00:00Z', '2025-06-30T00:00:00Z', '2030-01-01T00:00:00Z']);
    out.ram['DateLessThan'] = { 'acs:CurrentTime': [end] };
    out.cedar.push(`context.now < ${Date.parse(end) / 1000}`);
  }
  return out;
}

/** The ARN pattern as matched by Rampart: an empty region means `*`. Cedar gets the same text. */
const normalized = (p: string) => (p.startsWith('acs:') ? p.replace(/^(acs:[^:]*:):/, '$1*:') : p);
const cedarString = (s: string) => JSON.stringify(s);

export interface Workload {
  /** RAM policies, a handful of statements each, as attached to one principal. */
  policies: PolicyDocument[];
  /** The same statements as one Cedar policy set. */
  cedar: string;
  statements: number;
  requests: { action: string; resource: string; context: Record<string, string> }[];
}

export function makeWorkload(seed: number, statements: number, requestCount = 1000): Workload {
  const r = rng(seed);
  const ram: PolicyStatement[] = [];
  const cedar: string[] = [];
  for (let i = 0; i < statements; i++) {
    const deny = r() < 0.1;
    const actions = Array.from({ length: 1 + Math.floor(r() * 3) }, () => actionPattern(r));
    const first = actions[0] ?? 'oss:GetObject';
    const resources = Array.from({ length: 1 + Math.floor(r() * 2) }, () => resourcePattern(r, first));
    const cond = conditions(r);
    ram.push({
      Effect: deny ? 'Deny' : 'Allow',
      Action: actions,
      Resource: resources,
      ...(Object.keys(cond.ram).length > 0 ? { Condition: cond.ram } : {}),
    });
    const clauses = [
      `(${actions.map((a) => `context.action like ${cedarString(a.toLowerCase())}`).join(' || ')})`,
      `(${resources.map((p) => `context.resource like ${cedarString(normalized(p))}`).join(' || ')})`,
      ...cond.cedar,
    ];
    cedar.push(`@id("s${i}")\n${deny ? 'forbid' : 'permit'}(principal, action, resource) when { ${clauses.join(' && ')} };`);
  }
  const policies: PolicyDocument[] = [];
  for (let i = 0; i < ram.length; i += 5) policies.push({ Version: '1', Statement: ram.slice(i, i + 5) });

  const requests = Array.from({ length: requestCount }, () => {
    const service = pick(r, SERVICES);
    const action = `${service}:${pick(r, ACTIONS[service] ?? [])}`;
    const resource =
      service === 'oss'
        ? `acs:oss:*:${ACCOUNT}:${pick(r, BUCKETS)}/d-${String(Math.floor(r() * 25)).padStart(3, '0')}/clip-${Math.floor(r() * 1000)}.mp4`
        : service === 'ram'
          ? `acs:ram::${ACCOUNT}:user/team-${Math.floor(r() * 7)}-${pick(r, ['alice', 'bob'])}`
          : service === 'ecs'
            ? `acs:ecs:cn-hangzhou:${ACCOUNT}:instance/i-${Math.floor(r() * 12)}abc`
            : `acs:ram::${ACCOUNT}:role/${pick(r, ['deployer', 'reader', 'ci-build', 'admin'])}`;
    return {
      action,
      resource,
      context: {
        'acs:SourceIp': pick(r, ['10.1.2.3', '192.168.7.8', '203.0.113.9', '8.8.8.8', '172.20.0.1']),
        'acs:SecureTransport': pick(r, ['true', 'false']),
        'acs:UserAgent': pick(r, ['aliyun-sdk-nodejs/1.0', 'AlibabaCloud (linux)', 'curl/8.0', 'ossutil/1.7']),
        'oss:max-keys': pick(r, ['50', '100', '800', '5000']),
        'acs:CurrentTime': pick(r, ['2026-11-24T10:00:00Z', '2025-01-01T00:00:00Z', '2031-01-01T00:00:00Z']),
      },
    };
  });
  return { policies, cedar: cedar.join('\n'), statements, requests };
}

/** A request in the shape Cedar's context takes. */
export function cedarContext(req: Workload['requests'][number]): Record<string, unknown> {
  const c = req.context;
  return {
    action: req.action.toLowerCase(),
    resource: req.resource,
    sourceIp: { __extn: { fn: 'ip', arg: c['acs:SourceIp'] } },
    secureTransport: c['acs:SecureTransport'] === 'true',
    userAgent: c['acs:UserAgent'],
    maxKeys: Number(c['oss:max-keys']),
    now: Date.parse(c['acs:CurrentTime'] ?? '') / 1000,
  };
}
