// The OSS listener fed near-valid requests: a valid request of one of many operations, signed one
// of eight ways (V1/V2/V4 headers, V1/V2/V4 presigned URLs, V1/V4 forms), with one thing changed
// (a header, a query parameter, the signature, the body, the host, the form). Every answer comes
// within a bound, in OSS's shape (XML error with a request id; x-oss-err for HEAD), never a 5xx
// but 501 NotImplemented or 503; a changed signature is never accepted; and a refused request
// leaves the store as it was. Requests go over a raw socket, so nothing is tidied on the way.
// Bounded by default; RAMPART_FUZZ_RUNS raises every property's runs (npm run fuzz).
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { ossV1Signature, ossV1StringToSign, ossV2Signature, ossV2StringToSign, ossV4CanonicalRequest, ossV4Signature, ossV4StringToSign } from '../../src/auth/oss/signature.js';
import { ARGUMENTS, MEANINGFUL_HEADERS, SELECTORS, SIGNATURE_PARAMS } from '../../src/auth/oss/vocabulary.js';
import { bucketFromHost } from '../../src/gateway/oss/request.js';
import { answerWithin, AnswerTimeout, assertProductAnswer, assertSameStore, FuzzCounts, fuzzRaised, runs, storeSnapshot } from '../helpers/fuzz.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const BUCKET = 'fuzz-oss';
const SEED = 'seed-bytes-0123456789';
/** Every answer within this (a local server answers these in milliseconds). */
const ANSWER_MS = 5_000;
const root = { accessKeyId: ROOT.accessKeyId, secret: ROOT.accessKeySecret };

let server: TestServer;
let port = 0;
/** The seed object's ETag as the server writes it (quoted, upper-case hex). */
let seedEtag = '';
const counts = new FuzzCounts();

// ---------------------------------------------------------------------------------------------
// The wire: a request as bytes over a socket (duplicate headers, raw UTF-8, any Content-Length).

type Header = [string, string];

interface Wire {
  method: string;
  /** Path and query as sent. */
  target: string;
  headers: Header[];
  body: Buffer;
  /** Content-Length as declared, when it is not the body's. */
  declaredLength?: number;
  /** End our side after the body (a declared length longer than the body never arrives). */
  halfClose?: boolean;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function parseAnswer(raw: Buffer, method: string): Answer | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? NaN);
  if (Number.isNaN(status)) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = raw.subarray(end + 4);
  if (method === 'HEAD' || status === 204 || status === 304) body = Buffer.alloc(0);
  else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = 0;
    for (;;) {
      const eol = body.indexOf('\r\n', at);
      if (eol < 0) return undefined;
      const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
      if (Number.isNaN(size)) return undefined;
      if (size === 0) break;
      if (body.length < eol + 2 + size) return undefined;
      parts.push(body.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  } else if (headers['content-length'] !== undefined) {
    const n = Number(headers['content-length']);
    if (body.length < n) return undefined;
    body = body.subarray(0, n);
  }
  return { status, headers, body: body.toString('utf8') };
}

/** One request on its own connection; undefined when the server closed it without an answer. */
function sendWire(w: Wire): Promise<Answer | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks), w.method));
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // An answer complete by its own length: no need to wait for the close.
      const a = parseAnswer(Buffer.concat(chunks), w.method);
      if (a && (a.headers['content-length'] !== undefined || /chunked/i.test(a.headers['transfer-encoding'] ?? ''))) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    // A server that answers before reading all of a body may reset the connection under our write.
    socket.on('error', finish);
    const head = [`${w.method} ${w.target} HTTP/1.1`];
    for (const [name, value] of w.headers) head.push(`${name}: ${value}`);
    head.push(`content-length: ${w.declaredLength ?? w.body.length}`, 'connection: close');
    socket.write(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'), w.body]));
    if (w.halfClose) socket.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Requests as the server reads them, so they can be signed as a client would sign them.

const get = (headers: readonly Header[], name: string): string | undefined => {
  const values = headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  return values.length ? values.join(',') : undefined;
};

/** The server's decoding (gateway/oss/request.ts); undefined where it would refuse the encoding. */
function decodeText(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

interface View {
  bucket: string | undefined;
  key: string | undefined;
  query: [string, string | undefined][];
  headers: Map<string, string>;
}

function viewOf(target: string, headers: readonly Header[]): View {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query: [string, string | undefined][] = (q < 0 ? '' : target.slice(q + 1))
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decodeText(p) ?? p, undefined] : [decodeText(p.slice(0, eq)) ?? p, decodeText(p.slice(eq + 1)) ?? ''];
    });
  const path = decodeText(rawPath) ?? rawPath;
  let bucket = bucketFromHost(get(headers, 'host') ?? '');
  let key: string | undefined;
  if (bucket !== undefined) key = path.replace(/^\//, '');
  else {
    const rest = path.replace(/^\//, '');
    const slash = rest.indexOf('/');
    bucket = (slash < 0 ? rest : rest.slice(0, slash)) || undefined;
    key = slash < 0 ? undefined : rest.slice(slash + 1);
  }
  const lower = new Map<string, string>();
  for (const [n] of headers) lower.set(n.toLowerCase(), get(headers, n.toLowerCase()) ?? '');
  return { bucket, key: key === '' ? undefined : key, query, headers: lower };
}

const v4Time = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const enc = (s: string) => encodeURIComponent(s);

type Scheme = 'v1' | 'v2' | 'v4' | 'pre1' | 'pre2' | 'pre4' | 'form1' | 'form4';
const HEADER_SCHEMES: readonly Scheme[] = ['v1', 'v2', 'v4', 'pre1', 'pre2', 'pre4'];

interface Signing {
  accessKeyId?: string;
  secret?: string;
  /** V4 scope parts. */
  day?: string;
  region?: string;
  product?: string;
}

/** Signs a request (already carrying its host and date) with the scheme; returns the wire. */
function sign(w: Wire, scheme: Scheme, s: Signing = {}): Wire {
  const accessKeyId = s.accessKeyId ?? root.accessKeyId;
  const secret = s.secret ?? root.secret;
  const now = new Date();
  const time = v4Time(now);
  const day = s.day ?? time.slice(0, 8);
  const region = s.region ?? 'cn-hangzhou';
  const product = s.product ?? 'oss';
  const scope = `${day}/${region}/${product}/aliyun_v4_request`;
  let headers = [...w.headers];
  let target = w.target;
  const addQuery = (pairs: [string, string][]) => {
    const text = pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
    target += (target.includes('?') ? (target.endsWith('?') || target.endsWith('&') ? '' : '&') : '?') + text;
  };
  const v1 = (date: string, view: View) => {
    const resource = view.bucket === undefined ? '/' : view.key === undefined ? `/${view.bucket}/` : `/${view.bucket}/${view.key}`;
    const ossHeaders = new Map([...view.headers].filter(([k]) => k.startsWith('x-oss-')));
    return ossV1Signature(secret, ossV1StringToSign({ method: w.method, contentMd5: view.headers.get('content-md5') ?? '', contentType: view.headers.get('content-type') ?? '', date, ossHeaders, resource, query: view.query }));
  };
  const v2 = (date: string, view: View) =>
    ossV2Signature(secret, ossV2StringToSign({ method: w.method, contentMd5: view.headers.get('content-md5') ?? '', contentType: view.headers.get('content-type') ?? '', date, headers: view.headers, additionalHeaders: [], bucket: view.bucket, key: view.key, query: view.query }));
  const v4 = (view: View) => ossV4Signature(secret, day, region, product, ossV4StringToSign(time, scope, ossV4CanonicalRequest({ method: w.method, bucket: view.bucket, key: view.key, query: view.query, headers: view.headers, additionalHeaders: [] })));
  switch (scheme) {
    case 'v1': {
      headers.push(['authorization', `OSS ${accessKeyId}:${v1(get(headers, 'date') ?? '', viewOf(target, headers))}`]);
      break;
    }
    case 'v2': {
      headers.push(['authorization', `OSS2 AccessKeyId:${accessKeyId},Signature:${v2(get(headers, 'date') ?? '', viewOf(target, headers))}`]);
      break;
    }
    case 'v4': {
      headers.push(['x-oss-date', time], ['x-oss-content-sha256', 'UNSIGNED-PAYLOAD']);
      headers.push(['authorization', `OSS4-HMAC-SHA256 Credential=${accessKeyId}/${scope},Signature=${v4(viewOf(target, headers))}`]);
      break;
    }
    case 'pre1': {
      const expires = String(Math.floor(now.getTime() / 1000) + 300);
      headers = headers.filter(([n]) => n.toLowerCase() !== 'date');
      addQuery([['OSSAccessKeyId', accessKeyId], ['Expires', expires]]);
      addQuery([['Signature', v1(expires, viewOf(target, headers))]]);
      break;
    }
    case 'pre2': {
      const expires = String(Math.floor(now.getTime() / 1000) + 300);
      headers = headers.filter(([n]) => n.toLowerCase() !== 'date');
      addQuery([['x-oss-signature-version', 'OSS2'], ['x-oss-expires', expires], ['x-oss-access-key-id', accessKeyId]]);
      addQuery([['x-oss-signature', v2(expires, viewOf(target, headers))]]);
      break;
    }
    case 'pre4': {
      headers = headers.filter(([n]) => n.toLowerCase() !== 'date');
      addQuery([['x-oss-signature-version', 'OSS4-HMAC-SHA256'], ['x-oss-credential', `${accessKeyId}/${scope}`], ['x-oss-date', time], ['x-oss-expires', '300']]);
      addQuery([['x-oss-signature', v4(viewOf(target, headers))]]);
      break;
    }
    case 'form1':
    case 'form4':
      throw new Error('forms are signed by signForm');
  }
  return { ...w, target, headers };
}

// ---------------------------------------------------------------------------------------------
// PostObject forms, built by hand so that they can be broken.

interface FormPart {
  name: string;
  value: Buffer;
  filename?: string;
}

interface Form {
  parts: FormPart[];
  boundary: string;
  /** The boundary the Content-Type names, when it is not the body's. */
  headerBoundary?: string;
  /** Leave off the closing boundary. */
  unterminated?: boolean;
  /** Lines ended with LF alone. */
  bareLf?: boolean;
}

function formBody(f: Form): { contentType: string; body: Buffer } {
  const eol = f.bareLf ? '\n' : '\r\n';
  const chunks: Buffer[] = [];
  for (const p of f.parts) {
    const disposition = `content-disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${f.boundary}${eol}${disposition}${eol}${p.filename !== undefined ? `content-type: text/plain${eol}` : ''}${eol}`, 'utf8'), p.value, Buffer.from(eol));
  }
  if (!f.unterminated) chunks.push(Buffer.from(`--${f.boundary}--${eol}`));
  return { contentType: `multipart/form-data; boundary=${f.headerBoundary ?? f.boundary}`, body: Buffer.concat(chunks) };
}

function signForm(key: string, content: Buffer, scheme: 'form1' | 'form4', s: Signing = {}): FormPart[] {
  const accessKeyId = s.accessKeyId ?? root.accessKeyId;
  const secret = s.secret ?? root.secret;
  const time = v4Time(new Date());
  const day = s.day ?? time.slice(0, 8);
  const credential = `${accessKeyId}/${day}/${s.region ?? 'cn-hangzhou'}/${s.product ?? 'oss'}/aliyun_v4_request`;
  const text = (name: string, value: string): FormPart => ({ name, value: Buffer.from(value, 'utf8') });
  const expiration = new Date(Date.now() + 600_000).toISOString();
  const file: FormPart = { name: 'file', value: content, filename: 'upload.txt' };
  if (scheme === 'form1') {
    const policy = Buffer.from(JSON.stringify({ expiration, conditions: [{ bucket: BUCKET }, ['content-length-range', 0, 1 << 20]] })).toString('base64');
    return [text('key', key), text('policy', policy), text('OSSAccessKeyId', accessKeyId), text('Signature', createHmac('sha1', secret).update(policy).digest('base64')), file];
  }
  const pinned = { 'x-oss-signature-version': 'OSS4-HMAC-SHA256', 'x-oss-credential': credential, 'x-oss-date': time };
  const policy = Buffer.from(JSON.stringify({ expiration, conditions: [{ bucket: BUCKET }, ...Object.entries(pinned).map(([k, v]) => ({ [k]: v })), ['content-length-range', 0, 1 << 20]] })).toString('base64');
  const signature = ossV4Signature(secret, day, s.region ?? 'cn-hangzhou', s.product ?? 'oss', policy);
  return [text('key', key), ...Object.entries(pinned).map(([k, v]) => text(k, v)), text('policy', policy), text('x-oss-signature', signature), file];
}

// ---------------------------------------------------------------------------------------------
// The valid requests: each a function of a fresh number, so keys do not collide between runs.

interface Op {
  name: string;
  method: string;
  /** Encoded path, path style. */
  path: string;
  /** Query as sent, without '?'. */
  query: string;
  headers: Header[];
  body: Buffer;
  /** PostObject: the key and file (the form is built when signed). */
  form?: { key: string; content: Buffer };
}

const md5b64 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');
const xml = (s: string) => Buffer.from(s, 'utf8');

/** A valid request, signed V1, for the setup a template needs; asserts it succeeds. */
async function must(method: string, path: string, body: Buffer | string = '', headers: Header[] = []): Promise<Answer> {
  const wire = sign({ method, target: path, headers: [['host', `127.0.0.1:${port}`], ['date', new Date().toUTCString()], ...headers], body: Buffer.from(body) }, 'v1');
  const a = await answerWithin(sendWire(wire), ANSWER_MS, `${method} ${path}`);
  assert.ok(a && a.status < 300, `setup ${method} ${path}: ${a?.status} ${a?.body.slice(0, 300)}`);
  return a;
}

const CORS = '<CORSConfiguration><CORSRule><AllowedOrigin>https://a.example</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>';
const LIFECYCLE = '<LifecycleConfiguration><Rule><ID>r1</ID><Prefix>tmp/</Prefix><Status>Enabled</Status><Expiration><Days>30</Days></Expiration></Rule></LifecycleConfiguration>';
const POLICY = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: ['oss:DeleteBucket'], Principal: ['*'], Resource: [`acs:oss:*:*:${BUCKET}`] }] });
const TAGGING = '<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>b</Key><Value>two</Value></Tag></TagSet></Tagging>';

const OPS: ReadonlyArray<(n: number) => Promise<Op>> = [
  async (n) => ({ name: 'PutObject', method: 'PUT', path: `/${BUCKET}/put/${n}.txt`, query: '', headers: [['content-type', 'text/plain'], ['x-oss-meta-origin', 'fuzz'], ['content-md5', md5b64(`body ${n}`)]], body: Buffer.from(`body ${n}`) }),
  async () => ({ name: 'GetObject', method: 'GET', path: `/${BUCKET}/seed.txt`, query: '', headers: [['range', 'bytes=2-9'], ['if-modified-since', 'Thu, 01 Jan 1970 00:00:00 GMT']], body: Buffer.alloc(0) }),
  async () => ({ name: 'GetObject conditions', method: 'GET', path: `/${BUCKET}/seed.txt`, query: 'response-content-type=text%2Fplain', headers: [['if-match', seedEtag], ['if-none-match', '"0"']], body: Buffer.alloc(0) }),
  async () => ({ name: 'HeadObject', method: 'HEAD', path: `/${BUCKET}/seed.txt`, query: '', headers: [], body: Buffer.alloc(0) }),
  async () => ({ name: 'ListObjects', method: 'GET', path: `/${BUCKET}`, query: 'prefix=put%2F&max-keys=5&delimiter=%2F', headers: [], body: Buffer.alloc(0) }),
  async (n) => ({ name: 'CopyObject', method: 'PUT', path: `/${BUCKET}/copy/${n}.txt`, query: '', headers: [['x-oss-copy-source', `/${BUCKET}/seed.txt`], ['x-oss-metadata-directive', 'REPLACE'], ['x-oss-meta-copied', 'yes']], body: Buffer.alloc(0) }),
  async (n) => ({ name: 'InitiateMultipartUpload', method: 'POST', path: `/${BUCKET}/mp/${n}.bin`, query: 'uploads', headers: [['content-type', 'application/octet-stream']], body: Buffer.alloc(0) }),
  async (n) => {
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec((await must('POST', `/${BUCKET}/mp/part-${n}.bin?uploads`)).body)?.[1] ?? '';
    return { name: 'UploadPart', method: 'PUT', path: `/${BUCKET}/mp/part-${n}.bin`, query: `partNumber=1&uploadId=${enc(id)}`, headers: [], body: Buffer.from(`part ${n}`) };
  },
  async (n) => {
    const key = `/${BUCKET}/mp/done-${n}.bin`;
    const id = /<UploadId>([^<]+)<\/UploadId>/.exec((await must('POST', `${key}?uploads`)).body)?.[1] ?? '';
    const etag = (await must('PUT', `${key}?partNumber=1&uploadId=${enc(id)}`, `part ${n}`)).headers['etag'] ?? '';
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    return { name: 'CompleteMultipartUpload', method: 'POST', path: key, query: `uploadId=${enc(id)}`, headers: [['content-type', 'application/xml']], body: xml(body) };
  },
  async (n) => {
    await must('PUT', `/${BUCKET}/del/${n}.txt`, 'doomed');
    const body = xml(`<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>false</Quiet><Object><Key>del/${n}.txt</Key></Object><Object><Key>del/absent-${n}.txt</Key></Object></Delete>`);
    return { name: 'DeleteMultipleObjects', method: 'POST', path: `/${BUCKET}`, query: 'delete', headers: [['content-type', 'application/xml'], ['content-md5', md5b64(body)]], body };
  },
  async () => ({ name: 'PutBucketCors', method: 'PUT', path: `/${BUCKET}`, query: 'cors', headers: [['content-type', 'application/xml']], body: xml(CORS) }),
  async () => ({ name: 'PutBucketLifecycle', method: 'PUT', path: `/${BUCKET}`, query: 'lifecycle', headers: [['content-type', 'application/xml']], body: xml(LIFECYCLE) }),
  async () => ({ name: 'PutBucketPolicy', method: 'PUT', path: `/${BUCKET}`, query: 'policy', headers: [['content-type', 'application/json']], body: Buffer.from(POLICY) }),
  async () => ({ name: 'PutBucketAcl', method: 'PUT', path: `/${BUCKET}`, query: 'acl', headers: [['x-oss-acl', 'private']], body: Buffer.alloc(0) }),
  async () => ({ name: 'PutObjectAcl', method: 'PUT', path: `/${BUCKET}/seed.txt`, query: 'acl', headers: [['x-oss-object-acl', 'private']], body: Buffer.alloc(0) }),
  async () => ({ name: 'PutObjectTagging', method: 'PUT', path: `/${BUCKET}/seed.txt`, query: 'tagging', headers: [['content-type', 'application/xml']], body: xml(TAGGING) }),
  async (n) => ({ name: 'PutObject with tags', method: 'PUT', path: `/${BUCKET}/tagged/${n}.txt`, query: '', headers: [['x-oss-tagging', 'a=1&b=2'], ['x-oss-object-acl', 'private'], ['x-oss-forbid-overwrite', 'true']], body: Buffer.from('tagged') }),
];
const FORM_OP = (n: number): Op => ({ name: 'PostObject', method: 'POST', path: `/${BUCKET}`, query: '', headers: [], body: Buffer.alloc(0), form: { key: `form/${n}.txt`, content: Buffer.from(`form bytes ${n}`) } });

// ---------------------------------------------------------------------------------------------
// What can go wrong in a request.

const LONG = 'A'.repeat(9_000);
/** Header values: encodings, odd Unicode, long, empty, near-valid for the headers we send. */
const oddValue = fc.oneof(
  fc.constantFrom('', ' ', '\t', 'é', '中文', '\u202e', '\ufeff', '\ud83d\ude00', '\u0000', 'a\u0085b', '%00', '%zz', '=?utf-8?B?5Lit5paH?=', LONG, 'bytes=', 'bytes=9-2', 'bytes=0-0,5-6', 'bytes=-0', 'bytes=99999999999999999999-', '"', '*', '/', '//', '/../../etc/passwd', `/${BUCKET}/../seed.txt`, '/x/y', 'Wed, 32 Foo 2099 99:99:99 GMT', 'application/xml; charset=utf-16', 'AAAAAAAAAAAAAAAAAAAAAA==', 'not base64', 'a=1&a=2', '=&=&', 'true', 'TRUE', 'REPLACE', 'copy'),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
/**
 * Left out: Expect with anything but 100-continue, which Node answers 417 itself with no request id
 * (reported; the test marked todo below reproduces it).
 */
const HEADER_NAMES = ['content-type', 'content-md5', 'range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since', 'x-oss-copy-source', 'x-oss-copy-source-range', 'x-oss-acl', 'x-oss-object-acl', 'x-oss-tagging', 'x-oss-forbid-overwrite', 'x-oss-meta-a', 'x-oss-metadata-directive', 'x-oss-tagging-directive', 'x-oss-storage-class', 'x-oss-server-side-encryption', 'x-oss-callback', 'x-oss-security-token', 'x-oss-content-sha256', 'x-oss-date', 'content-encoding', 'content-disposition', 'cache-control', 'expires', 'origin', 'transfer-encoding', 'authorization', 'x-oss-process', ...MEANINGFUL_HEADERS];
const QUERY_KEYS = [...SELECTORS, ...ARGUMENTS, ...SIGNATURE_PARAMS, 't', 'ACL', 'Uploads', 'uploadid', 'partnumber', ''];
const PERCENT = ['%', '%z', '%zz', '%00', '%C0%80', '%FF', '%E2%82', '%2F', '%2f', '+', '%2B', '%25', '%ED%A0%80', '%EF%BF%BF', '..%2F', ';', '#'];

/** XML that parsers have come to grief on: entities, DOCTYPEs, deep nesting, odd encodings. */
const xmlNoise = fc.oneof(
  fc.constant('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]><Tagging><TagSet><Tag><Key>k</Key><Value>&f;</Value></Tag></TagSet></Tagging>'),
  fc.constant('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Tagging><TagSet><Tag><Key>k</Key><Value>&x;</Value></Tag></TagSet></Tagging>'),
  fc.constant('<!DOCTYPE Delete SYSTEM "http://127.0.0.1:1/dtd"><Delete><Object><Key>seed.txt</Key></Object></Delete>'),
  fc.integer({ min: 100, max: 60_000 }).map((d) => `${'<a>'.repeat(d)}${'</a>'.repeat(d)}`),
  fc.integer({ min: 100, max: 20_000 }).map((d) => `<CORSConfiguration>${'<CORSRule>'.repeat(d)}</CORSConfiguration>`),
  fc.constantFrom('', '<', '<?xml', '<a', '<a>', '</a>', '<a></b>', '<![CDATA[x]]>', '<!-- c -->', '<?pi x?>', '\ufeff<a/>', '<a xmlns="urn:x" xmlns:o="urn:y"><o:b/></a>', '<a b="1" b="2"/>', '&amp;', '&#0;', '&#x110000;', '&unknown;', ']]>', '<?xml version="1.0" encoding="UTF-16"?><a/>', '<?xml version="1.1"?><a/>', '\u0000'),
  fc.string({ maxLength: 200 }),
);

type Mutation =
  | { kind: 'headerValue'; index: number; value: string }
  | { kind: 'headerDup'; index: number; value: string | undefined }
  | { kind: 'headerCase'; index: number; pattern: number }
  | { kind: 'headerAdd'; name: string; value: string }
  | { kind: 'queryAdd'; key: string; value: string | undefined }
  | { kind: 'queryDup'; index: number; value: string }
  | { kind: 'queryCase'; index: number }
  | { kind: 'percent'; where: 'path' | 'query'; at: number; text: string }
  | { kind: 'bodyTruncate'; at: number }
  | { kind: 'bodyNoise'; at: number; noise: string; replace: boolean }
  | { kind: 'bodyOversize' }
  | { kind: 'md5'; value: string }
  | { kind: 'virtualHost'; bucket: string | undefined; suffix: string }
  | { kind: 'method'; method: string }
  // After signing: the request must not be accepted (but for the lengths).
  | { kind: 'sigChar'; at: number }
  | { kind: 'sigVersion'; to: string }
  | { kind: 'sigScope'; part: 'day' | 'region' | 'product' | 'secret' | 'accessKeyId' }
  | { kind: 'signedHeaderChanged' }
  | { kind: 'length'; delta: number }
  // Forms.
  | { kind: 'formDrop'; index: number }
  | { kind: 'formAfterFile'; index: number }
  | { kind: 'formHuge'; size: number; asValue: boolean }
  | { kind: 'formBoundary'; how: 'mismatch' | 'unterminated' | 'lf' | 'none' | 'long' | 'quoted' | 'empty' }
  | { kind: 'formTwoFiles' | 'formFileRenamed' | 'formFieldCase' | 'formDupField'; index: number };

const AFTER_SIGNING = new Set<Mutation['kind']>(['sigChar', 'sigVersion', 'sigScope', 'signedHeaderChanged', 'length']);
/** Mutations after which the request must be refused. */
const MUST_REFUSE = new Set<Mutation['kind']>(['sigChar', 'sigVersion', 'sigScope', 'signedHeaderChanged']);

const nat = fc.nat({ max: 1000 });
const common: fc.Arbitrary<Mutation>[] = [
  fc.record({ kind: fc.constant('headerValue' as const), index: nat, value: oddValue }),
  fc.record({ kind: fc.constant('headerDup' as const), index: nat, value: fc.option(oddValue, { nil: undefined }) }),
  fc.record({ kind: fc.constant('headerCase' as const), index: nat, pattern: nat }),
  fc.record({ kind: fc.constant('headerAdd' as const), name: fc.oneof(fc.constantFrom(...HEADER_NAMES), fc.stringMatching(/^x-oss-[a-z0-9-]{1,20}$/)), value: oddValue }),
  fc.record({ kind: fc.constant('queryAdd' as const), key: fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 12 })), value: fc.option(fc.oneof(fc.constantFrom('', '1', '-1', '2', '99999999999', 'x'), fc.string({ maxLength: 20 })), { nil: undefined }) }),
  fc.record({ kind: fc.constant('queryDup' as const), index: nat, value: fc.string({ maxLength: 10 }) }),
  fc.record({ kind: fc.constant('queryCase' as const), index: nat }),
  fc.record({ kind: fc.constant('percent' as const), where: fc.constantFrom('path' as const, 'query' as const), at: nat, text: fc.constantFrom(...PERCENT) }),
  fc.record({ kind: fc.constant('virtualHost' as const), bucket: fc.option(fc.constantFrom(BUCKET, 'FUZZ-OSS', 'fuzz_oss', '-x', 'a', 'xn--80ak6aa92e', 'other-bucket', `${BUCKET}.${BUCKET}`, '127'), { nil: undefined }), suffix: fc.constantFrom('.oss-cn-hangzhou.aliyuncs.com', '.oss-cn-beijing.aliyuncs.com', '.localhost', '.oss-cn-hangzhou.aliyuncs.com:80', '.', '') }),
  fc.record({ kind: fc.constant('sigChar' as const), at: nat }),
  fc.record({ kind: fc.constant('sigVersion' as const), to: fc.constantFrom('OSS ', 'OSS2 ', 'OSS4-HMAC-SHA256 ', 'AWS ', 'AWS4-HMAC-SHA256 ', 'oss ', '', 'OSS3 ') }),
  fc.record({ kind: fc.constant('sigScope' as const), part: fc.constantFrom('day' as const, 'region' as const, 'product' as const, 'secret' as const, 'accessKeyId' as const) }),
  fc.record({ kind: fc.constant('length' as const), delta: fc.integer({ min: -20, max: 20 }).filter((d) => d !== 0) }),
];
const requestMutation: fc.Arbitrary<Mutation> = fc.oneof(
  ...common,
  fc.record({ kind: fc.constant('bodyTruncate' as const), at: nat }),
  fc.record({ kind: fc.constant('bodyNoise' as const), at: nat, noise: xmlNoise, replace: fc.boolean() }),
  fc.constant({ kind: 'bodyOversize' as const }),
  fc.record({ kind: fc.constant('md5' as const), value: fc.oneof(fc.constantFrom('', '1B2M2Y8AsgTpgAmY7PhCfg==', 'not-base64!', 'AAAA', '1B2M2Y8AsgTpgAmY7PhCfg'), fc.string({ maxLength: 30 })) }),
  fc.record({ kind: fc.constant('method' as const), method: fc.constantFrom('get', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'G ET', 'POST') }),
  fc.constant({ kind: 'signedHeaderChanged' as const }),
);
const formMutation: fc.Arbitrary<Mutation> = fc.oneof(
  ...common,
  fc.record({ kind: fc.constant('formDrop' as const), index: nat }),
  fc.record({ kind: fc.constant('formAfterFile' as const), index: nat }),
  fc.record({ kind: fc.constant('formHuge' as const), size: fc.constantFrom(1_000, 65_000, 70_000, 300_000), asValue: fc.boolean() }),
  fc.record({ kind: fc.constant('formBoundary' as const), how: fc.constantFrom('mismatch' as const, 'unterminated' as const, 'lf' as const, 'none' as const, 'long' as const, 'quoted' as const, 'empty' as const) }),
  fc.record({ kind: fc.constantFrom('formTwoFiles' as const, 'formFileRenamed' as const, 'formFieldCase' as const, 'formDupField' as const), index: nat }),
);

const caseVary = (s: string, pattern: number) => [...s].map((c, i) => ((pattern >> i % 10) & 1 ? c.toUpperCase() : c.toLowerCase())).join('');
const insertAt = (s: string, at: number, text: string) => {
  const i = s.length === 0 ? 0 : at % (s.length + 1);
  return s.slice(0, i) + text + s.slice(i);
};

/** A request before signing: its headers (host and date included), target and body. */
function unsigned(op: Op): Wire {
  return { method: op.method, target: op.query ? `${op.path}?${op.query}` : op.path, headers: [['host', `127.0.0.1:${port}`], ['date', new Date().toUTCString()], ...op.headers], body: op.body };
}

/** Applies a mutation made before signing (the request is then validly signed as changed). */
function mutateUnsigned(w: Wire, m: Mutation): Wire {
  const headers = [...w.headers];
  // Host and date are left alone but by the mutations made for them.
  const own = headers.map((h, i) => [h, i] as const).filter(([[n]]) => n !== 'host' && n !== 'date');
  const pick = (index: number) => own[index % Math.max(own.length, 1)];
  const [path = '', query] = w.target.split(/\?(.*)/s);
  const pairs = query ? query.split('&') : [];
  const withQuery = (ps: string[]) => (ps.length ? `${path}?${ps.join('&')}` : path);
  switch (m.kind) {
    case 'headerValue': {
      const p = pick(m.index);
      if (p) headers[p[1]] = [p[0][0], m.value];
      else headers.push(['x-oss-meta-a', m.value]);
      return { ...w, headers };
    }
    case 'headerDup': {
      const p = pick(m.index);
      if (p) headers.push([p[0][0], m.value ?? p[0][1]]);
      return { ...w, headers };
    }
    case 'headerCase': {
      const p = pick(m.index);
      if (p) headers[p[1]] = [caseVary(p[0][0], m.pattern), p[0][1]];
      return { ...w, headers };
    }
    case 'headerAdd':
      return { ...w, headers: [...headers, [m.name, m.value]] };
    case 'queryAdd':
      return { ...w, target: withQuery([...pairs, m.value === undefined ? enc(m.key) : `${enc(m.key)}=${enc(m.value)}`]) };
    case 'queryDup': {
      const p = pairs[m.index % Math.max(pairs.length, 1)];
      return p === undefined ? w : { ...w, target: withQuery([...pairs, `${p.split('=')[0] ?? ''}=${enc(m.value)}`]) };
    }
    case 'queryCase': {
      const i = m.index % Math.max(pairs.length, 1);
      const p = pairs[i];
      if (p === undefined) return w;
      const [k = '', ...v] = p.split('=');
      const next = [...pairs];
      next[i] = [k === k.toUpperCase() ? k.toLowerCase() : k.toUpperCase(), ...v].join('=');
      return { ...w, target: withQuery(next) };
    }
    case 'percent':
      return m.where === 'path' ? { ...w, target: insertAt(path, m.at, m.text) + (query !== undefined ? `?${query}` : '') } : { ...w, target: `${path}?${insertAt(query ?? '', m.at, m.text)}` };
    case 'bodyTruncate':
      return { ...w, body: w.body.subarray(0, w.body.length === 0 ? 0 : m.at % w.body.length) };
    case 'bodyNoise': {
      const text = w.body.toString('utf8');
      return { ...w, body: Buffer.from(m.replace ? m.noise : insertAt(text, m.at, m.noise), 'utf8') };
    }
    case 'bodyOversize':
      return { ...w, body: Buffer.concat([w.body, Buffer.alloc(1024 * 1024 + 17, 0x20)]) };
    case 'md5':
      return { ...w, headers: [...headers.filter(([n]) => n !== 'content-md5'), ['content-md5', m.value]] };
    case 'virtualHost': {
      // The bucket moves into the Host; the path keeps the key (path style remains for a bucket the Host does not name).
      const rest = path.replace(new RegExp(`^/${BUCKET}`), '') || '/';
      const host = `${m.bucket ?? ''}${m.suffix}`;
      return { ...w, target: (m.bucket === undefined ? path : rest) + (query !== undefined ? `?${query}` : ''), headers: headers.map(([n, v]) => (n === 'host' ? [n, host] : [n, v])) };
    }
    case 'method':
      return { ...w, method: m.method };
    default:
      return w;
  }
}

/** Applies a mutation made after signing. */
function mutateSigned(w: Wire, m: Mutation, scheme: Scheme, resign: (s: Signing) => Wire): Wire {
  const flip = (text: string, at: number) => {
    const i = at % Math.max(text.length, 1);
    const c = text[i] ?? '';
    return text.slice(0, i) + (c === '0' ? '1' : '0') + text.slice(i + 1);
  };
  const sigParam = scheme === 'pre1' ? 'Signature' : 'x-oss-signature';
  switch (m.kind) {
    case 'sigChar': {
      if (scheme === 'v1' || scheme === 'v2' || scheme === 'v4') {
        return {
          ...w,
          headers: w.headers.map(([n, v]) => {
            if (n !== 'authorization') return [n, v];
            const sig = /(Signature[=:]|:)([^,:]+)$/.exec(v);
            if (!sig || sig.index === undefined) return [n, flip(v, m.at)];
            const start = sig.index + (sig[1] ?? '').length;
            return [n, v.slice(0, start) + flip(v.slice(start), m.at)];
          }),
        };
      }
      return { ...w, target: w.target.replace(new RegExp(`([?&]${sigParam}=)([^&]*)`), (_all, k: string, v: string) => k + enc(flip(decodeURIComponent(v), m.at))) };
    }
    case 'sigVersion': {
      // Another version than the one signed with (the same one would change nothing).
      const own = scheme === 'v1' || scheme === 'pre1' ? 'OSS' : scheme === 'v2' || scheme === 'pre2' ? 'OSS2' : 'OSS4-HMAC-SHA256';
      const to = m.to.trim() === own ? 'OSS3 ' : m.to;
      if (scheme === 'v1' || scheme === 'v2' || scheme === 'v4') return { ...w, headers: w.headers.map(([n, v]) => (n === 'authorization' ? [n, v.replace(/^(OSS4-HMAC-SHA256|OSS2|OSS) /, to)] : [n, v])) };
      if (scheme === 'pre1') return { ...w, target: w.target.replace(/([?&])OSSAccessKeyId=/, `$1x-oss-access-key-id=`) + `&x-oss-signature-version=${enc(to.trim() || 'OSS2')}` };
      return { ...w, target: w.target.replace(/x-oss-signature-version=[^&]*/, `x-oss-signature-version=${enc(to.trim())}`) };
    }
    case 'sigScope': {
      const bad: Signing =
        m.part === 'day' ? { day: '20000101' } : m.part === 'region' ? { region: 'cn-beijing' } : m.part === 'product' ? { product: 'ecs' } : m.part === 'secret' ? { secret: `${root.secret}x` } : { accessKeyId: 'LTAI5tNoSuchKey000000001' };
      // A scope is V4's; for the others, the scope's parts change nothing, so a wrong secret stands in.
      const v4 = scheme === 'v4' || scheme === 'pre4';
      return resign(v4 || m.part === 'secret' || m.part === 'accessKeyId' ? bad : { secret: `${root.secret}y` });
    }
    case 'signedHeaderChanged':
      return { ...w, headers: [...w.headers.filter(([n]) => n !== 'content-type'), ['content-type', 'application/x-changed-after-signing']] };
    case 'length':
      return m.delta < 0 ? { ...w, declaredLength: Math.max(0, w.body.length + m.delta) } : { ...w, declaredLength: w.body.length + m.delta, halfClose: true };
    default:
      return w;
  }
}

function mutateForm(f: Form, m: Mutation): Form {
  const parts = [...f.parts];
  const fields = parts.filter((p) => p.filename === undefined);
  const file = parts.find((p) => p.filename !== undefined);
  const pick = (index: number) => fields[index % Math.max(fields.length, 1)];
  switch (m.kind) {
    case 'formDrop': {
      const p = pick(m.index);
      return { ...f, parts: parts.filter((x) => x !== p) };
    }
    case 'formAfterFile': {
      const p = pick(m.index);
      return { ...f, parts: [...parts.filter((x) => x !== p), ...(p ? [p] : [])] };
    }
    case 'formHuge': {
      const huge = Buffer.alloc(m.size, 0x61);
      if (m.asValue) return { ...f, parts: [{ name: 'x-oss-meta-huge', value: huge }, ...parts] };
      return { ...f, parts: [{ name: huge.toString('latin1').slice(0, Math.min(m.size, 70_000)), value: Buffer.from('v') }, ...parts] };
    }
    case 'formBoundary':
      switch (m.how) {
        case 'mismatch':
          return { ...f, headerBoundary: `${f.boundary}x` };
        case 'unterminated':
          return { ...f, unterminated: true };
        case 'lf':
          return { ...f, bareLf: true };
        case 'none':
          return { ...f, headerBoundary: '' };
        case 'long':
          return { ...f, boundary: 'b'.repeat(200) };
        case 'quoted':
          return { ...f, headerBoundary: `"${f.boundary}"` };
        case 'empty':
          return { ...f, parts: [] };
      }
      return f;
    case 'formTwoFiles':
      return file ? { ...f, parts: [...parts, { ...file, value: Buffer.from('second file') }] } : f;
    case 'formFileRenamed':
      return { ...f, parts: parts.map((p) => (p === file ? { ...p, name: m.index % 2 ? 'File' : 'upload' } : p)) };
    case 'formFieldCase': {
      const p = pick(m.index);
      return { ...f, parts: parts.map((x) => (x === p ? { ...x, name: x.name.toUpperCase() } : x)) };
    }
    case 'formDupField': {
      const p = pick(m.index);
      return p ? { ...f, parts: [{ ...p, value: Buffer.from('other') }, ...parts] } : f;
    }
    default:
      return f;
  }
}

/** A form request: the form signed (and maybe broken), then the request around it. */
function formWire(op: Op, scheme: 'form1' | 'form4', m: Mutation | undefined): Wire {
  const key = op.form?.key ?? 'form/x.txt';
  const content = op.form?.content ?? Buffer.alloc(0);
  // A V1 form has no scope: a wrong secret stands in for a wrong day, region or product.
  const scoped = scheme === 'form4' || m?.kind !== 'sigScope' || m.part === 'secret' || m.part === 'accessKeyId';
  const bad: Signing | undefined =
    m?.kind !== 'sigScope' ? undefined : !scoped ? { secret: `${root.secret}y` } : m.part === 'day' ? { day: '20000101' } : m.part === 'region' ? { region: 'cn-beijing' } : m.part === 'product' ? { product: 'ecs' } : m.part === 'accessKeyId' ? { accessKeyId: 'LTAI5tNoSuchKey000000001' } : { secret: `${root.secret}x` };
  let parts = signForm(key, content, scheme, bad);
  if (m?.kind === 'sigChar' || m?.kind === 'sigVersion') {
    const sigName = scheme === 'form1' ? 'Signature' : 'x-oss-signature';
    parts = parts.map((p) => {
      if (p.name !== sigName) return p;
      const text = p.value.toString();
      const i = m.kind === 'sigChar' ? m.at % text.length : 0;
      return { ...p, value: Buffer.from(text.slice(0, i) + (text[i] === '0' ? '1' : '0') + text.slice(i + 1)) };
    });
    // A V1 form given a V4 field as well (or the other way round) is refused as ambiguous.
    if (m.kind === 'sigVersion') parts = [scheme === 'form1' ? { name: 'x-oss-signature-version', value: Buffer.from(m.to.trim() || 'OSS4-HMAC-SHA256') } : { name: 'OSSAccessKeyId', value: Buffer.from(root.accessKeyId) }, ...parts];
  }
  let form: Form = { parts, boundary: `----fuzz${Date.now().toString(16)}` };
  if (m) form = mutateForm(form, m);
  const { contentType, body } = formBody(form);
  let w: Wire = { method: 'POST', target: op.path, headers: [['host', `127.0.0.1:${port}`], ['content-type', contentType]], body };
  if (m && !AFTER_SIGNING.has(m.kind) && !m.kind.startsWith('form')) w = mutateUnsigned(w, m);
  if (m?.kind === 'length') w = mutateSigned(w, m, scheme, () => w);
  return w;
}

// ---------------------------------------------------------------------------------------------
// The invariants.

interface Outcome {
  answer: Answer | undefined;
  ms: number;
}

async function exchange(w: Wire, what: string): Promise<Outcome> {
  const started = performance.now();
  let answer: Answer | undefined;
  try {
    answer = await answerWithin(sendWire(w), ANSWER_MS, what);
  } catch (e) {
    if (e instanceof AnswerTimeout) assert.fail(`${what}: no answer within ${ANSWER_MS} ms`);
    throw e;
  }
  return { answer, ms: performance.now() - started };
}

/** The answer's shape and status; a changed signature refused; a refusal changes nothing. */
/**
 * The listener (src/gateway/http/listener.ts, clientError) writes its own 400 for bytes it cannot
 * parse on a connection whose request is still being answered. So a request that hangs up short of
 * its Content-Length is answered 400 although an operation that needs no body (an ACL from its
 * header, a copy) has run; and a request whose Content-Length is shorter than what was sent (the
 * rest a malformed next request) is answered that 400 before its own 200. Reported (the todo tests
 * reproduce both); such answers are left out of the no-change rule, but for forms and for
 * operations that read a body cut short, which are held to it.
 */
const lengthExempt = (m: Mutation | undefined, o: { readsBody: boolean; form: boolean }) => m?.kind === 'length' && !o.form && (m.delta < 0 || !o.readsBody);

async function check(w: Wire, m: Mutation | undefined, what: string, before: Record<string, string>, o = { readsBody: true, form: false }): Promise<number | undefined> {
  const { answer } = await exchange(w, what);
  if (answer === undefined) {
    // Only a request whose body never arrives (we hung up first) may go unanswered.
    assert.ok(m?.kind === 'length' && m.delta > 0, `${what}: the connection closed without an answer`);
    counts.add('oss', 'unanswered (client hung up)');
    if (!lengthExempt(m, o)) assertSameStore(before, storeSnapshot(server.dataDir), what);
    return undefined;
  }
  // The callback public key is a static file (OSS serves it from a CDN, not its API): no request id.
  if (answer.status === 200 && /^\/callback_pub_key_v1\.pem(\?|$)/.test(w.target)) {
    counts.add('oss', 'callback key');
    return answer.status;
  }
  const code = assertProductAnswer('oss', answer.status, answer.headers, answer.body, { method: w.method, what: `${what} → ${answer.status}` });
  counts.add('oss', code ?? String(answer.status));
  if (m) counts.add(`oss ${m.kind}`, code ?? String(answer.status));
  assert.doesNotMatch(answer.body, /root:x?:0:0:/, `${what}: a file of the server's was read into the answer`);
  if (m && MUST_REFUSE.has(m.kind)) assert.ok(answer.status >= 400, `${what}: a request changed after signing was accepted (${answer.status})`);
  if (answer.status >= 300 && !lengthExempt(m, o)) assertSameStore(before, storeSnapshot(server.dataDir), `${what} → ${answer.status} ${code ?? ''}`);
  return answer.status;
}

const describe = (op: Op, scheme: Scheme, m: Mutation | undefined) => `${op.name} signed ${scheme}${m ? ` with ${JSON.stringify(m, (_k, v: unknown) => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 40)}…(${v.length})` : v))}` : ''}`;

/** Builds, mutates and signs one request; checks the invariants. */
async function runOne(op: Op, scheme: Scheme, m: Mutation | undefined): Promise<void> {
  const what = describe(op, scheme, m);
  const before = storeSnapshot(server.dataDir);
  let w: Wire;
  if (scheme === 'form1' || scheme === 'form4') w = formWire(op, scheme, m);
  else {
    const base = m && !AFTER_SIGNING.has(m.kind) ? mutateUnsigned(unsigned(op), m) : unsigned(op);
    w = sign(base, scheme);
    if (m && AFTER_SIGNING.has(m.kind)) w = mutateSigned(w, m, scheme, (s) => sign(base, scheme, s));
  }
  const status = await check(w, m, what, before, { readsBody: op.body.length > 0, form: op.form !== undefined });
  // A write accepted may have changed the seed the reads start from (a delete that named it): put back.
  if (status !== undefined && status < 300 && w.method !== 'GET' && w.method !== 'HEAD') await restoreSeed();
}

async function restoreSeed(): Promise<void> {
  const head = await sendWire(sign(unsigned({ name: 'HeadObject', method: 'HEAD', path: `/${BUCKET}/seed.txt`, query: '', headers: [], body: Buffer.alloc(0) }), 'v1'));
  if (head?.status === 200 && head.headers['etag'] === seedEtag && head.headers['content-type'] === 'text/plain') return;
  await must('PUT', `/${BUCKET}/seed.txt`, SEED, [['content-type', 'text/plain']]);
  await must('PUT', `/${BUCKET}/seed.txt?tagging`, TAGGING);
}

let serial = 0;

before(async () => {
  server = await startTestServer();
  port = Number(new URL(server.endpoints.oss).port);
  await must('PUT', `/${BUCKET}`);
  seedEtag = (await must('PUT', `/${BUCKET}/seed.txt`, SEED, [['content-type', 'text/plain']])).headers['etag'] ?? '';
  await must('PUT', `/${BUCKET}/seed.txt?tagging`, TAGGING);
  await must('PUT', `/${BUCKET}?cors`, CORS);
});
after(async () => {
  if (fuzzRaised()) console.log(counts.report());
  await server.stop();
});

test('every valid request signed every way succeeds (the baseline the mutations start from)', async () => {
  for (const make of OPS) {
    for (const scheme of HEADER_SCHEMES) {
      const op = await make(++serial);
      const w = sign(unsigned(op), scheme);
      const { answer } = await exchange(w, describe(op, scheme, undefined));
      assert.ok(answer && answer.status < 300, `${describe(op, scheme, undefined)}: ${answer?.status} ${answer?.body.slice(0, 400)}`);
    }
  }
  for (const scheme of ['form1', 'form4'] as const) {
    const op = FORM_OP(++serial);
    const { answer } = await exchange(formWire(op, scheme, undefined), describe(op, scheme, undefined));
    assert.ok(answer && answer.status < 300, `${describe(op, scheme, undefined)}: ${answer?.status} ${answer?.body.slice(0, 400)}`);
  }
});

test('near-valid requests of every operation, one thing changed: a clean OSS answer in time, a changed signature refused, a refusal changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: OPS.length - 1 }), fc.constantFrom(...HEADER_SCHEMES), requestMutation, async (i, scheme, m) => {
      const make = OPS[i];
      if (make === undefined) return;
      await runOne(await make(++serial), scheme, m);
    }),
    { numRuns: runs(500) },
  );
});

test('PostObject forms (V1 and V4), one thing changed: missing fields, fields after the file, huge fields, broken boundaries', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('form1' as const, 'form4' as const), formMutation, async (scheme, m) => {
      await runOne(FORM_OP(++serial), scheme, m);
    }),
    { numRuns: runs(200) },
  );
});

test('random requests (any method, path, query, headers, body), signed or not: a clean OSS answer in time, a refusal changes nothing', async () => {
  const segment = fc.oneof(fc.constantFrom(BUCKET, 'seed.txt', 'put', 'no-such-bucket', '..', '.', '', '%2e%2e', 'callback_pub_key_v1.pem'), fc.string({ maxLength: 12 }).map(enc));
  const request = fc.record({
    method: fc.constantFrom('GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'),
    path: fc.array(segment, { minLength: 0, maxLength: 4 }).map((s) => `/${s.join('/')}`),
    query: fc.array(fc.tuple(fc.constantFrom(...QUERY_KEYS), fc.option(fc.string({ maxLength: 12 }), { nil: undefined })), { maxLength: 4 }).map((q) => q.map(([k, v]) => (v === undefined ? enc(k) : `${enc(k)}=${enc(v)}`)).join('&')),
    headers: fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), oddValue), { maxLength: 4 }),
    body: fc.oneof(fc.constant(''), xmlNoise, fc.string({ maxLength: 100 })),
    scheme: fc.constantFrom(...HEADER_SCHEMES, 'none' as const),
  });
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const op: Op = { name: 'random', method: r.method, path: r.path, query: r.query, headers: r.headers.filter(([n]) => n !== 'authorization'), body: Buffer.from(r.body) };
      const before = storeSnapshot(server.dataDir);
      const w = r.scheme === 'none' ? unsigned(op) : sign(unsigned(op), r.scheme);
      await check(w, undefined, `${describe(op, r.scheme === 'none' ? 'v1' : r.scheme, undefined)} ${JSON.stringify(r).slice(0, 400)}`, before);
    }),
    { numRuns: runs(200) },
  );
});

// Found by this fuzz: a form whose closing boundary arrived but whose request was then cut short
// (Content-Length never met) was answered 400, yet its object had been stored
// (src/gateway/oss/form.ts: the file now ends only with the whole request).
test('a form upload cut short after its closing boundary is refused and stores nothing', async () => {
  for (const scheme of ['form1', 'form4'] as const) {
    for (const delta of [1, 7, 4096]) {
      const op = FORM_OP(++serial);
      const before = storeSnapshot(server.dataDir);
      const { answer } = await exchange(formWire(op, scheme, { kind: 'length', delta }), `${scheme} +${delta}`);
      assert.ok(answer === undefined || answer.status >= 400, `${scheme} +${delta}: ${answer?.status}`);
      assertSameStore(before, storeSnapshot(server.dataDir), `${scheme} cut short by ${delta}`);
      const read = await sendWire(sign(unsigned({ name: 'GetObject', method: 'GET', path: `/${BUCKET}/${op.form?.key ?? ''}`, query: '', headers: [], body: Buffer.alloc(0) }), 'v1'));
      assert.equal(read?.status, 404, `${scheme} +${delta}: nothing stored`);
    }
  }
});

// Node would answer an Expect other than 100-continue with its own 417, no request id, no OSS error.
test('an Expect header other than 100-continue is answered in OSS\'s shape', async () => {
  const w = sign(unsigned({ name: 'ListBuckets', method: 'GET', path: '/', query: '', headers: [['expect', 'x']], body: Buffer.alloc(0) }), 'v1');
  const { answer } = await exchange(w, 'GET / with Expect: x');
  assert.ok(answer);
  assertProductAnswer('oss', answer.status, answer.headers, answer.body, { what: 'GET / with Expect: x' });
});

// The listener's own 400 for a request cut short went out although the operation, which needed no
// body, had run: such an operation now runs only once its declared body has arrived.
test('a request that needs no body, cut short of its Content-Length, is not answered 400 after it ran', async () => {
  const before = storeSnapshot(server.dataDir);
  const w = sign(unsigned({ name: 'PutObjectAcl', method: 'PUT', path: `/${BUCKET}/seed.txt`, query: 'acl', headers: [['x-oss-object-acl', 'public-read']], body: Buffer.alloc(0) }), 'v1');
  const { answer } = await exchange({ ...w, declaredLength: 3, halfClose: true }, 'PutObjectAcl cut short');
  try {
    assert.ok(answer);
    if (answer.status >= 300) assertSameStore(before, storeSnapshot(server.dataDir), `PutObjectAcl cut short → ${answer.status}`);
  } finally {
    await must('PUT', `/${BUCKET}/seed.txt?acl`, '', [['x-oss-object-acl', 'private']]);
  }
});

test('a request whose Content-Length is shorter than what was sent is answered for itself first', async () => {
  const key = `short/${++serial}.txt`;
  const w = sign(unsigned({ name: 'PutObject', method: 'PUT', path: `/${BUCKET}/${key}`, query: '', headers: [], body: Buffer.from('body!') }), 'v1');
  const { answer } = await exchange({ ...w, declaredLength: 4 }, 'PutObject, Content-Length 4 of 5 bytes');
  assert.equal(answer?.status, 200, `${answer?.status} ${answer?.body}`);
});

// Node dropped a CONNECT request's connection unanswered (no 'connect' listener).
test('CONNECT is answered (MethodNotAllowed), not dropped', async () => {
  const w = sign(unsigned({ name: 'CONNECT', method: 'CONNECT', path: `/${BUCKET}/seed.txt`, query: '', headers: [], body: Buffer.alloc(0) }), 'v1');
  const { answer } = await exchange(w, 'CONNECT');
  assert.ok(answer, 'an answer');
  assertProductAnswer('oss', answer.status, answer.headers, answer.body, { what: 'CONNECT' });
});

test('after all that, the server still answers normal requests', async () => {
  await must('PUT', `/${BUCKET}/after/all.txt`, 'still here', [['content-type', 'text/plain']]);
  assert.equal((await must('GET', `/${BUCKET}/after/all.txt`)).body, 'still here');
  await must('HEAD', `/${BUCKET}/seed.txt`);
  assert.match((await must('GET', `/${BUCKET}?prefix=after%2F`)).body, /<Key>after\/all\.txt<\/Key>/);
  await must('DELETE', `/${BUCKET}/after/all.txt`);
  assert.match((await must('GET', '/')).body, new RegExp(`<Name>${BUCKET}</Name>`));
});
