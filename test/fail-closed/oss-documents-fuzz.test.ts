// The documents and headers this project's OSS newly reads (bucket policies, CORS rules, lifecycle
// rules, tags, ACLs, callbacks, forbid-overwrite), fed random and near-valid input, signed: every
// answer is a clean OSS error or a success (never a 5xx but a deliberate 501 NotImplemented), with
// a request id, and a refused request changes nothing. A bounded run; the full fuzzing of every front door is the reliability suite's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { errorCode, rawOss, type RawOssAnswer } from '../helpers/oss-raw.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const root = { accessKeyId: ROOT.accessKeyId, accessKeySecret: ROOT.accessKeySecret };
const BUCKET = 'fuzzed';
/** More with RAMPART_FUZZ_RUNS. */
const RUNS = Number(process.env['RAMPART_FUZZ_RUNS'] ?? 250);

before(async () => {
  server = await startTestServer();
  assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}`, creds: root })).status, 200);
  assert.equal((await rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}/kept.txt`, body: 'kept', creds: root })).status, 200);
});
after(() => server.stop());

/** Everything a refused request could have touched, read back. */
async function state(): Promise<string> {
  const read = (path: string) => rawOss(server.endpoints.oss, { method: 'GET', path, creds: root }).then((a) => `${a.status}:${a.body.replace(/<RequestId>[^<]*<\/RequestId>|<HostId>[^<]*<\/HostId>/g, '')}`);
  return (await Promise.all([`/${BUCKET}?policy`, `/${BUCKET}?cors`, `/${BUCKET}?lifecycle`, `/${BUCKET}?acl`, `/${BUCKET}/kept.txt`, `/${BUCKET}/kept.txt?tagging`, `/${BUCKET}/kept.txt?acl`, `/${BUCKET}?prefix=&max-keys=1000`].map(read))).join('\n');
}

function clean(a: RawOssAnswer, what: string): void {
  assert.ok(a.status < 500 || (a.status === 501 && errorCode(a) === 'NotImplemented'), `${what}: ${a.status} ${a.body.slice(0, 300)}`);
  assert.match(String(a.headers['x-oss-request-id']), /^[0-9A-F]{24}$/, `${what}: a request id`);
  if (a.status >= 400) assert.ok(errorCode(a) ?? a.headers['x-oss-err'], `${what}: an OSS error body`);
}

/** JSON-ish and XML-ish text near what each document looks like, and plain noise. */
const jsonish = fc.oneof(
  fc.json(),
  fc.string(),
  fc.record({ Version: fc.oneof(fc.constant('1'), fc.json()), Statement: fc.array(fc.dictionary(fc.constantFrom('Effect', 'Action', 'Principal', 'Resource', 'Condition', 'Sid', 'NotAction'), fc.jsonValue()), { maxLength: 4 }) }).map((v) => JSON.stringify(v)),
);
const tag = (names: string[]) => fc.constantFrom(...names).chain((n) => fc.string({ maxLength: 40 }).map((t) => `<${n}>${t}</${n}>`));
const xmlish = (root: string, names: string[]) =>
  fc.oneof(fc.string(), fc.array(tag(names), { maxLength: 12 }).map((parts) => `<${root}>${parts.join('')}</${root}>`), fc.array(tag(names), { maxLength: 6 }).map((parts) => `<${root}><${names[0]}>${parts.join('')}</${names[0]}></${root}>`));

test('PUT ?policy, ?cors, ?lifecycle and key?tagging with random and near-valid documents: no 5xx but NotImplemented, nothing changed by a refusal', async () => {
  const cases = [
    { sub: `/${BUCKET}?policy`, body: jsonish },
    { sub: `/${BUCKET}?cors`, body: xmlish('CORSConfiguration', ['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds', 'ResponseVary']) },
    { sub: `/${BUCKET}?lifecycle`, body: xmlish('LifecycleConfiguration', ['Rule', 'ID', 'Prefix', 'Status', 'Expiration', 'Days', 'CreatedBeforeDate', 'AbortMultipartUpload', 'Tag', 'Key', 'Value', 'Transition']) },
    { sub: `/${BUCKET}/kept.txt?tagging`, body: xmlish('Tagging', ['TagSet', 'Tag', 'Key', 'Value']) },
  ];
  for (const c of cases) {
    await fc.assert(
      fc.asyncProperty(c.body, async (body) => {
        const before = await state();
        const a = await rawOss(server.endpoints.oss, { method: 'PUT', path: c.sub, body, creds: root, headers: { 'content-type': 'application/xml' } });
        clean(a, `PUT ${c.sub}`);
        if (a.status >= 400) assert.equal(await state(), before, `a refused PUT ${c.sub} changed nothing`);
        else await rawOss(server.endpoints.oss, { method: 'DELETE', path: c.sub, creds: root });
      }),
      { numRuns: RUNS },
    );
  }
});

test('object-creating headers (ACL, tagging, forbid-overwrite, callbacks) with random values: no 5xx, a refused write stores nothing', async () => {
  const header = fc.oneof(
    fc.record({ name: fc.constant('x-oss-object-acl'), value: fc.oneof(fc.constantFrom('private', 'public-read', 'default', 'Public-Read', ''), fc.string()) }),
    fc.record({ name: fc.constant('x-oss-tagging'), value: fc.oneof(fc.string(), fc.array(fc.tuple(fc.string({ maxLength: 130 }), fc.string({ maxLength: 260 })), { maxLength: 12 }).map((p) => p.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'))) }),
    fc.record({ name: fc.constant('x-oss-forbid-overwrite'), value: fc.oneof(fc.constantFrom('true', 'false', 'TRUE', '1'), fc.string()) }),
    fc.record({ name: fc.constant('x-oss-callback'), value: fc.oneof(fc.string(), jsonish.map((j) => Buffer.from(j).toString('base64')), fc.record({ callbackUrl: fc.oneof(fc.constant('http://127.0.0.1:1/x'), fc.string()), callbackBody: fc.string() }).map((j) => Buffer.from(JSON.stringify(j)).toString('base64'))) }),
    fc.record({ name: fc.constant('x-oss-callback-var'), value: fc.oneof(fc.string(), jsonish.map((j) => Buffer.from(j).toString('base64'))) }),
  );
  // Header values Node's http client can send (no CR/LF, Latin-1 only).
  const sendable = (v: string) => /^[\t\x20-\x7e]*$/.test(v);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(header, { minLength: 1, maxLength: 3 }), async (headers) => {
      const key = `fuzz/${n++}.txt`;
      const sent = Object.fromEntries(headers.filter((h) => sendable(h.value)).map((h) => [h.name, h.value]));
      const a = await rawOss(server.endpoints.oss, { method: 'PUT', path: `/${BUCKET}/${key}`, body: 'x', creds: root, headers: sent });
      clean(a, `PUT with ${JSON.stringify(sent)}`);
      const stored = await rawOss(server.endpoints.oss, { method: 'HEAD', path: `/${BUCKET}/${key}`, creds: root });
      // 203: a callback that failed after the object was stored, as OSS answers.
      if (a.status >= 400) assert.equal(stored.status, 404, `refused (${errorCode(a)}), and nothing stored`);
      else assert.equal(stored.status, 200);
    }),
    { numRuns: RUNS },
  );
});
