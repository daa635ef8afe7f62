// The lifecycle itself, with a fake codec and a fake authorizer: which steps run in which order,
// what is audited and when, the rule for an audit that fails, error rendering, and that only
// writes wait for the disk.
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Authorizer } from '../../src/access/index.js';
import { lifecycle, type Codec, type Identified } from '../../src/gateway/index.js';
import type { AuditRecord } from '../../src/gateway/audit/index.js';
import { ApiError, type Principal } from '../../src/model/index.js';
import type { Decision } from '../../src/policy/index.js';
import type { Check } from '../../src/services/index.js';
import { StoreUnavailableError } from '../../src/store/index.js';

const CALLER: Principal = { type: 'RAMUser', accountId: '1000000000000001', userId: '200000000000000001', userName: 'alice', accessKeyId: 'LTAI5tLifecycle000000001' };

/** What one request asks the fake codec to do, read from its path: /<op>?checks=a,b&fail=... */
interface Parsed {
  op: string;
  rw: 'Read' | 'Write';
  checks: string[];
  fail?: string;
  anonymous: boolean;
}

let steps: string[] = [];
let audited: AuditRecord[] = [];
let auditFails = false;
let auditUnavailable = false;
let flushDelay = 0;
const logLines: Record<string, unknown>[] = [];
/** Permissions the fake authorizer allows; any other is an implicit deny, explained by a condition. */
const allowed = new Set(['test:Read', 'test:Write']);

const decisionFor = (permission: string): Decision =>
  allowed.has(permission)
    ? { effect: 'Allow', policy: { name: 'p', type: 'Custom' }, statement: 0, reason: 'allowed by statement 0 of Custom policy p' }
    : {
        effect: 'ImplicitDeny',
        policy: { name: 'p', type: 'Custom' },
        statement: 1,
        condition: { operator: 'IpAddress', key: 'acs:SourceIp', values: ['10.0.0.0/8'], actual: '127.0.0.1' },
        reason: 'no Allow matched: statement 1 of Custom policy p allows it only when IpAddress acs:SourceIp ["10.0.0.0/8"], and the request has acs:SourceIp = "127.0.0.1"',
      };

const authorizer = {
  decide: async (r: { permission: string }) => decisionFor(r.permission),
  denialDetail: () => ({ NoPermissionType: 'ImplicitDeny' }),
} as unknown as Authorizer;

const codec: Codec<Parsed, Principal | undefined, string> = {
  name: 'test',
  requestIdHeader: 'x-test-request-id',
  newRequestId: () => 'REQ-1',
  async parse(req) {
    steps.push('parse');
    const url = new URL(req.url ?? '/', 'http://x');
    const fail = url.searchParams.get('fail') ?? undefined;
    if (fail === 'parse') throw new ApiError('Malformed', 'cannot parse', 400);
    const op = url.pathname.slice(1);
    return { op, rw: op.startsWith('write') ? 'Write' : 'Read', checks: (url.searchParams.get('checks') ?? '').split(',').filter((c) => c !== ''), anonymous: url.searchParams.has('anonymous'), ...(fail ? { fail } : {}) };
  },
  async authenticate(parsed) {
    steps.push('authenticate');
    if (parsed.fail === 'authenticate') throw new ApiError('InvalidAccessKeyId.NotFound', 'no such key', 404);
    return parsed.anonymous ? undefined : CALLER;
  },
  identify(parsed, caller): Identified<string> {
    steps.push('identify');
    return {
      ...(caller ? { caller, event: { serviceName: 'Test', apiVersion: '1', name: parsed.op, rw: parsed.rw, parameters: [['Secret', 'x'], ['Name', 'n']] } } : {}),
      async prepare() {
        steps.push('prepare');
        if (parsed.fail === 'prepare') throw new ApiError('InvalidParameter', 'bad input', 400);
        const checks: Check[] = parsed.checks.map((permission) => ({
          permission,
          resource: `acs:test::${CALLER.accountId}:thing/${permission}`,
          ...(permission === 'test:Pass' ? { refusal: () => new ApiError('PassRoleForbidden', 'may not pass it', 403) } : {}),
        }));
        return {
          checks,
          run: async () => {
            steps.push('run');
            if (parsed.fail === 'run') throw new Error('the disk is on fire');
            if (parsed.fail === 'unavailable') throw new StoreUnavailableError('the database', new Error('connect ECONNREFUSED'));
            return `done ${parsed.op}`;
          },
          responseElements: (result) => ({ Result: result, AccessKeySecret: 'never in the trail' }),
        };
      },
    };
  },
  refuse: (_caller, check) => new ApiError('NoPermission', `not allowed: ${check.permission}`, 403),
  async render(res, _parsed, result) {
    steps.push('render');
    res.end(result);
  },
  renderError(res: ServerResponse, parsed, error) {
    steps.push(`renderError ${parsed ? 'parsed' : 'unparsed'}`);
    res.writeHead(error.httpStatus, { 'x-code': error.code });
    res.end(error.message);
  },
  logFields: (parsed) => ({ op: parsed?.op }),
};

let server: Server;
let port = 0;
before(async () => {
  const log = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, done) => (logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>), done()) }));
  const handler = lifecycle(
    codec,
    {
      authorizer,
      audit: {
        record: async (r) => {
          steps.push('audit');
          if (auditFails) throw new Error('the trail is full');
          if (auditUnavailable) throw new StoreUnavailableError('the database', new Error('Connection terminated unexpectedly'));
          audited.push(r);
        },
      },
      flushed: () => {
        steps.push('flush');
        return new Promise((resolve) => setTimeout(() => (steps.push('flushed'), resolve()), flushDelay));
      },
      log,
      now: () => Date.parse('2026-11-30T00:00:00Z'),
    },
    false,
  );
  server = createServer((req: IncomingMessage, res: ServerResponse) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  steps = [];
  audited = [];
  auditFails = false;
  auditUnavailable = false;
  flushDelay = 0;
  logLines.length = 0;
});

function call(path: string): Promise<{ status: number; code: string | undefined; body: string; requestId: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ port, path, method: 'POST' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: res.headers['x-code'] as string | undefined, body, requestId: res.headers['x-test-request-id'] as string | undefined }));
    })
      .on('error', reject)
      .end();
  });
}

test('an allowed write runs every step in order, is audited once, and is answered only after the disk', async () => {
  flushDelay = 30;
  const answer = await call('/writeThing?checks=test:Write,test:Read');
  assert.deepEqual([answer.status, answer.body, answer.requestId], [200, 'done writeThing', 'REQ-1']);
  assert.deepEqual(steps, ['parse', 'authenticate', 'identify', 'prepare', 'run', 'audit', 'flush', 'flushed', 'render']);
  assert.equal(audited.length, 1);
  const r = audited[0]!;
  assert.deepEqual([r.eventName, r.eventRW, r.caller, r.resource, r.errorCode], ['writeThing', 'Write', CALLER, `acs:test::${CALLER.accountId}:thing/test:Write`, undefined]);
  assert.deepEqual(r.requestParameters, { Secret: 'x', Name: 'n' });
  assert.deepEqual(r.responseElements, { Result: 'done writeThing', AccessKeySecret: '****' });
  // The operation's own permission is the event's resource; the others are checks, with their decisions.
  assert.deepEqual(r.checks, [{ permission: 'test:Read', resource: `acs:test::${CALLER.accountId}:thing/test:Read`, effect: 'Allow', policy: { name: 'p', type: 'Custom' }, statement: 0 }]);
  const line = logLines.find((l) => l['msg'] === 'test request');
  assert.deepEqual([line?.['requestId'], line?.['op'], line?.['status'], line?.['accessKeyId'], line?.['level']], ['REQ-1', 'writeThing', 200, CALLER.accessKeyId, 30]);
});

test('a read does not wait for the disk and keeps no response', async () => {
  await call('/readThing?checks=test:Read');
  assert.deepEqual(steps, ['parse', 'authenticate', 'identify', 'prepare', 'run', 'audit', 'render']);
  assert.equal(audited[0]?.responseElements, undefined);
});

test('a refused permission stops the request before it runs; the decision, as data, is in the event', async () => {
  const answer = await call('/writeThing?checks=test:Write,test:Delete');
  assert.deepEqual([answer.status, answer.code, answer.body], [403, 'NoPermission', 'not allowed: test:Delete']);
  assert.ok(!steps.includes('run'));
  const r = audited[0]!;
  assert.equal(r.errorCode, 'NoPermission');
  assert.deepEqual(r.checks?.[0]?.condition, { operator: 'IpAddress', key: 'acs:SourceIp', values: ['10.0.0.0/8'], actual: '127.0.0.1' });
  assert.match(r.explanation ?? '', /^ImplicitDeny of test:Delete on acs:test::1000000000000001:thing\/test:Delete for acs:ram::1000000000000001:user\/alice: no Allow matched: statement 1 of Custom policy p allows it only when IpAddress/);
  // A check with a refusal of its own is refused in its words.
  assert.equal((await call('/writeThing?checks=test:Write,test:Pass')).code, 'PassRoleForbidden');
});

test('refusals before the caller is known are rendered but not audited; after it, they are', async () => {
  const unparsed = await call('/readThing?fail=parse');
  assert.deepEqual([unparsed.status, unparsed.code, unparsed.requestId], [400, 'Malformed', 'REQ-1']);
  assert.deepEqual(steps, ['parse', 'renderError unparsed']);
  steps = [];
  assert.equal((await call('/readThing?fail=authenticate')).code, 'InvalidAccessKeyId.NotFound');
  assert.deepEqual(steps, ['parse', 'authenticate', 'renderError parsed']);
  assert.equal(audited.length, 0);
  assert.equal((await call('/readThing?fail=prepare')).code, 'InvalidParameter');
  assert.deepEqual([audited.length, audited[0]?.errorCode, audited[0]?.eventName], [1, 'InvalidParameter', 'readThing']);
});

test('an unexpected failure is an InternalError, audited and logged, never its message', async () => {
  const answer = await call('/writeThing?fail=run');
  assert.deepEqual([answer.status, answer.code], [500, 'InternalError']);
  assert.doesNotMatch(answer.body, /disk/);
  assert.equal(audited[0]?.errorCode, 'InternalError');
  assert.ok(logLines.some((l) => l['msg'] === 'test internal error'));
});

test('a database or Redis that does not answer is ServiceUnavailable (503), for the work and for its record', async () => {
  const answer = await call('/writeThing?fail=unavailable');
  assert.deepEqual([answer.status, answer.code], [503, 'ServiceUnavailable']);
  assert.equal(audited[0]?.errorCode, 'ServiceUnavailable');
  auditUnavailable = true;
  const unrecorded = await call('/writeThing?checks=test:Write');
  assert.deepEqual([unrecorded.status, unrecorded.code], [503, 'ServiceUnavailable']);
  assert.ok(!steps.includes('render'), 'the work was done; its answer is not sent unrecorded');
});

test('an event that cannot be recorded fails the request: InternalError, after a success and after a refusal', async () => {
  auditFails = true;
  const afterSuccess = await call('/writeThing?checks=test:Write');
  assert.deepEqual([afterSuccess.status, afterSuccess.code], [500, 'InternalError']);
  assert.ok(steps.includes('run'), 'the work was done; its answer is not sent unrecorded');
  assert.ok(!steps.includes('render'));
  const afterRefusal = await call('/writeThing?checks=test:Delete');
  assert.deepEqual([afterRefusal.status, afterRefusal.code], [500, 'InternalError']);
  assert.ok(logLines.filter((l) => l['msg'] === 'audit record failed').length >= 2);
});

test('an operation without a caller runs unaudited (and may not need permissions)', async () => {
  assert.equal((await call('/readThing?anonymous')).body, 'done readThing');
  assert.equal(audited.length, 0);
  // An answer with no event and no error leaves its access line at debug, not at the default level.
  assert.equal(logLines.find((l) => l['msg'] === 'test request')?.['level'], 20);
  const answer = await call('/readThing?anonymous&checks=test:Read');
  assert.deepEqual([answer.status, answer.code], [500, 'InternalError']);
});
