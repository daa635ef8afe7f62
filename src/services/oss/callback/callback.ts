// Upload callbacks, as OSS does them (PutObject, PostObject, CompleteMultipartUpload): the request
// names an app server (x-oss-callback or ?callback, base64 JSON; a form's callback field) and
// custom values (x-oss-callback-var or ?callback-var; a form's x: fields). Everything is checked
// before a byte is stored, so a bad callback stores nothing (400 InvalidArgument, OSS's words).
// Once the object is stored (and on disk), the app server gets a POST of callbackBody with the
// variables filled in, signed as OSS signs it; the client gets the app server's JSON with 200, or
// 203 CallbackFailed when the app server cannot be reached, is slow, or answers wrongly: the
// object stays stored either way. An operator may limit the hosts callbacks go to.
import { ApiError } from '../../../model/index.js';
import type { CallbackSettings, UploadCallbacks } from './settings.js';
import { isPrivateAddress, postCallback, PRIVATE_ADDRESS_FORBIDDEN } from './client.js';
import { crc64OfStream } from './crc64.js';
import { OssErrors } from '../errors.js';
import type { OssContext, OssHttpRequest, OssResult } from '../operation.js';
import { renderXml } from '../xml.js';

/** The request headers and query arguments an operation that takes a callback honours. */
export const CALLBACK_HEADERS = ['x-oss-callback', 'x-oss-callback-var'] as const;
export const CALLBACK_ARGS = ['callback', 'callback-var'] as const;

type BodyType = 'application/x-www-form-urlencoded' | 'application/json';
type Piece = { text: string } | { variable: string };

/** A callback as the request asked for it, checked. */
export interface UploadCallback {
  urls: readonly URL[];
  /** callbackHost; the URL's host name when absent. */
  host: string | undefined;
  body: readonly Piece[];
  bodyType: BodyType;
  sni: boolean;
  /** x:name → value. */
  vars: ReadonlyMap<string, string>;
}

/** The object stored, for the body's system variables. */
export interface StoredObject {
  operation: 'PutObject' | 'PostObject' | 'CompleteMultipartUpload';
  bucket: string;
  key: string;
  etag: string;
  size: number;
  mimeType: string;
  blobId: string;
  /** base64, as the Content-MD5 answer header (PutObject and PostObject only). */
  contentMd5?: string;
}

/** The system variables OSS documents. The image ones are empty for what is not an image. */
const SYSTEM_VARIABLES = new Set([
  'bucket', 'object', 'etag', 'size', 'mimeType', 'imageInfo.height', 'imageInfo.width', 'imageInfo.format',
  'crc64', 'contentMd5', 'vpcId', 'clientIp', 'reqId', 'operation',
]);
const NUMERIC = new Set(['size', 'crc64']);

/** Each of callback and callback-var, base64 as sent: at most 5 KB. */
const MAX_ENCODED = 5 * 1024;
const MAX_URLS = 5;

const invalid = (message: string, name = 'callback', value?: string) => OssErrors.invalidArgument(message, name, value);

function decodeBase64Json(encoded: string, name: string, notBase64: string, notJson: string): unknown {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) throw invalid(notBase64, name, encoded);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw invalid(notBase64, name, encoded);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('not an object');
    return value;
  } catch {
    throw invalid(notJson, name, text);
  }
}

/** callback-var: {"x:name": "value", …}, the names in lower case. */
function parseVars(encoded: string): Map<string, string> {
  if (encoded.length > MAX_ENCODED) throw invalid('The length of callback var exceed max value.', 'callback-var');
  const notJson = 'The callback var is not expecten json.';
  const parsed = decodeBase64Json(encoded, 'callback-var', notJson, notJson) as Record<string, unknown>;
  const vars = new Map<string, string>();
  for (const [name, value] of Object.entries(parsed)) {
    if (!name.startsWith('x:') || name.length < 3 || name !== name.toLowerCase()) throw invalid(notJson, 'callback-var', name);
    if (typeof value === 'string') vars.set(name, value);
    else if (typeof value === 'number' || typeof value === 'boolean') vars.set(name, String(value));
    else throw invalid(notJson, 'callback-var', name);
  }
  return vars;
}

/** callbackUrl: up to five URLs separated by ';', tried in order; a URL without a scheme is http. */
function parseUrls(text: string): URL[] {
  const listed = text.split(';').map((u) => u.trim()).filter((u) => u !== '');
  if (listed.length > MAX_URLS) throw invalid('The number of callback url exceed max value.');
  return listed.map((u) => {
    let url: URL;
    try {
      url = new URL(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(u) ? u : `http://${u}`);
    } catch {
      throw invalid('The callback url configuration is invalid.');
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.username !== '' || url.password !== '') {
      throw invalid('The callback url configuration is invalid.');
    }
    return url;
  });
}

/** callbackBody: text with ${variable}s; a variable Rampart cannot fill in is refused, not left out. */
function parseBody(text: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf('${', at);
    if (start < 0) {
      pieces.push({ text: text.slice(at) });
      break;
    }
    if (start > at) pieces.push({ text: text.slice(at, start) });
    const end = text.indexOf('}', start + 2);
    const name = end < 0 ? '' : text.slice(start + 2, end);
    if (name === '') throw invalid('The callback body is invalid.');
    if (!name.startsWith('x:') && !SYSTEM_VARIABLES.has(name)) {
      throw new ApiError('NotImplemented', `The callback body variable \${${name}} is not implemented.`, 501);
    }
    pieces.push({ variable: name });
    at = end + 1;
  }
  return pieces;
}

/** The hosts a callback may go to, by the operator's settings. */
function checkHost(url: URL, settings: CallbackSettings): void {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (settings.allowedHosts !== undefined) {
    const allowed = settings.allowedHosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h));
    if (!allowed) throw invalid('Callbacks to this host are not allowed by this server.', 'callback', url.host);
  }
  if (settings.refusePrivateAddresses && isPrivateAddress(host)) throw invalid(PRIVATE_ADDRESS_FORBIDDEN, 'callback', url.host);
}

/** The callback JSON. callbackUrl empty: no callback, as OSS documents. */
function parseCallback(encoded: string, vars: Map<string, string>, mimeType: string, settings: CallbackSettings): UploadCallback | undefined {
  if (encoded.length > MAX_ENCODED) throw invalid('The length of callback exceed max value.');
  const json = decodeBase64Json(encoded, 'callback', 'The callback configuration is not base64 encoded.', 'The callback configuration is not json format.') as Record<string, unknown>;
  const { callbackUrl, callbackHost, callbackBody, callbackBodyType, callbackSNI, additionalHeaders, signatureVersion } = json;
  if (typeof callbackUrl !== 'string') throw invalid('The callback url configuration is invalid.');
  const urls = parseUrls(callbackUrl);
  if (urls.length === 0) return undefined;
  if (callbackHost !== undefined && (typeof callbackHost !== 'string' || !/^[A-Za-z0-9.:[\]_-]*$/.test(callbackHost))) throw invalid('The callback host configuration is invalid.');
  if (callbackBody === undefined || callbackBody === '') throw invalid('The callback body is empty.');
  if (typeof callbackBody !== 'string') throw invalid('The callback body is invalid.');
  if (callbackBodyType !== undefined && typeof callbackBodyType !== 'string') throw invalid('The callback body type configuration is invalid.');
  const bodyType = (callbackBodyType ?? 'application/x-www-form-urlencoded').trim().toLowerCase();
  if (bodyType !== 'application/x-www-form-urlencoded' && bodyType !== 'application/json') throw invalid('The body type of callback is not supported.');
  if (callbackSNI !== undefined && typeof callbackSNI !== 'boolean') throw invalid('The callback configuration is not json format.');
  // OSS's signature version 2 and extra headers for the app server: not implemented, so refused.
  if (additionalHeaders !== undefined) throw new ApiError('NotImplemented', 'The callback field additionalHeaders is not implemented.', 501);
  if (signatureVersion !== undefined && signatureVersion !== '1.0') throw new ApiError('NotImplemented', 'The callback field signatureVersion is not implemented.', 501);
  const body = parseBody(callbackBody);
  // Image facts (height, width, format) Rampart cannot tell: for an image it says so rather than
  // send them empty, as OSS sends them only for what is not an image.
  if (mimeType.toLowerCase().startsWith('image/') && body.some((p) => 'variable' in p && p.variable.startsWith('imageInfo.'))) {
    throw new ApiError('NotImplemented', 'The callback body variables ${imageInfo.*} are not implemented for images.', 501);
  }
  for (const url of urls) checkHost(url, settings);
  return { urls, host: callbackHost === '' ? undefined : callbackHost, body, bodyType, sni: callbackSNI === true, vars };
}

async function ready(ctx: OssContext, header: string, parse: (callbacks: UploadCallbacks) => UploadCallback | undefined): Promise<UploadCallback | undefined> {
  if (ctx.callbacks === undefined) throw OssErrors.notImplemented(header);
  const callback = parse(ctx.callbacks);
  // The signing key is made (on first use) before the object is stored, not after.
  if (callback !== undefined) await ctx.callbacks.key.publicKeyPem();
  return callback;
}

/**
 * The callback of a PutObject or CompleteMultipartUpload: from the headers or the query (a
 * presigned URL), not both. mimeType: the object's, as it will be stored.
 */
export async function requestCallback(req: OssHttpRequest, ctx: OssContext, mimeType: string): Promise<UploadCallback | undefined> {
  const fromQuery = req.params.get('callback');
  const fromHeader = req.headers.get('x-oss-callback');
  const varQuery = req.params.get('callback-var');
  const varHeader = req.headers.get('x-oss-callback-var');
  if (fromQuery !== undefined && fromHeader !== undefined) throw invalid('Either the callback query string parameter or the x-oss-callback header should be specified, not both.');
  if (varQuery !== undefined && varHeader !== undefined) throw invalid('Either the callback-var query string parameter or the x-oss-callback-var header should be specified, not both.', 'callback-var');
  const encoded = fromHeader ?? fromQuery;
  const encodedVars = varHeader ?? varQuery;
  const vars = encodedVars !== undefined && encodedVars !== '' ? parseVars(encodedVars) : new Map<string, string>();
  if (encoded === undefined || encoded === '') return undefined;
  return ready(ctx, fromHeader !== undefined ? 'x-oss-callback' : 'callback', (callbacks) => parseCallback(encoded, vars, mimeType, callbacks.settings));
}

/** The callback of a PostObject form: its callback field, the custom values in its x: fields. */
export async function formCallback(fields: ReadonlyMap<string, string>, ctx: OssContext, mimeType: string): Promise<UploadCallback | undefined> {
  const encoded = fields.get('callback');
  if (encoded === undefined || encoded === '') return undefined;
  const vars = new Map([...fields].filter(([name]) => name.startsWith('x:')));
  return ready(ctx, 'callback', (callbacks) => parseCallback(encoded, vars, mimeType, callbacks.settings));
}

/** A variable's value, as text. crc64: read from the stored bytes, once, when asked for. */
async function valueOf(name: string, object: StoredObject, ctx: OssContext, vars: ReadonlyMap<string, string>, crc64: () => Promise<string>): Promise<string> {
  switch (name) {
    case 'bucket': return object.bucket;
    case 'object': return object.key;
    case 'etag': return object.etag;
    case 'size': return String(object.size);
    case 'mimeType': return object.mimeType;
    case 'crc64': return crc64();
    case 'contentMd5': return object.contentMd5 ?? '';
    case 'clientIp': return ctx.sourceIp ?? '';
    case 'reqId': return ctx.requestId;
    case 'operation': return object.operation;
    // Not an image (parseCallback refused the callback otherwise), and never from a VPC.
    case 'imageInfo.height': case 'imageInfo.width': case 'imageInfo.format': case 'vpcId': return '';
    default: return vars.get(name) ?? '';
  }
}

/**
 * callbackBody with its variables filled in: URL-encoded for a form body; for a JSON body as JSON
 * values (strings quoted and escaped, size and crc64 as numbers), since OSS's own example writes
 * {"mimeType":${mimeType},"size":${size}}.
 */
export async function callbackBody(callback: UploadCallback, object: StoredObject, ctx: OssContext): Promise<Buffer> {
  const parts: string[] = [];
  let crc: Promise<string> | undefined;
  const crc64 = () => (crc ??= crc64OfStream(ctx.blobs.read(object.blobId)));
  for (const piece of callback.body) {
    if ('text' in piece) {
      parts.push(piece.text);
      continue;
    }
    const value = await valueOf(piece.variable, object, ctx, callback.vars, crc64);
    if (callback.bodyType === 'application/x-www-form-urlencoded') parts.push(encodeURIComponent(value));
    else parts.push(NUMERIC.has(piece.variable) && value !== '' ? value : JSON.stringify(value));
  }
  return Buffer.from(parts.join(''));
}

/** url_decode(path): %XX runs decoded as UTF-8 bytes, anything else as it is. */
const urlDecode = (path: string) => path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));

/** OSS's string to sign: url_decode(path) + query string + "\n" + body. */
export function callbackStringToSign(url: URL, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${urlDecode(url.pathname)}${url.search}\n`), body]);
}

/**
 * After the object is stored: the callback, if the request asked for one, and the client's answer.
 * `answer` is what the operation answers without a callback (its ETag and other headers are kept);
 * host (the request's Host) names this server in an error body, as the OSS door's errors do.
 */
export async function answerWithCallback(ctx: OssContext, callback: UploadCallback | undefined, object: StoredObject, answer: OssResult, host: string): Promise<OssResult> {
  if (callback === undefined || ctx.callbacks === undefined) return answer;
  const { settings, key } = ctx.callbacks;
  // The app server may read the object the moment it hears of it: it is on disk first.
  await ctx.store.flushed();
  const body = await callbackBody(callback, object, ctx);
  const pubKeyUrl = Buffer.from(ctx.callbacks.publicKeyUrl()).toString('base64');
  let outcome: Awaited<ReturnType<typeof postCallback>> = { ok: false, message: 'Error status : -1. OSS can not connect to your callbackUrl, please check it.' };
  let tried: URL | undefined;
  for (const url of callback.urls) {
    tried = url;
    outcome = await postCallback(
      {
        url,
        host: callback.host ?? url.hostname,
        sni: callback.sni,
        headers: {
          'content-type': callback.bodyType,
          authorization: await key.sign(callbackStringToSign(url, body)),
          'x-oss-pub-key-url': pubKeyUrl,
          'user-agent': 'http-client/0.0.1',
        },
        body,
      },
      settings,
    );
    if (outcome.ok) break;
  }
  // The answer's body is the app server's (or the error's): of the operation's own answer only its
  // headers are kept, and the ETag always (ali-oss reads it there once the body is not XML).
  const { 'content-type': _type, 'content-length': _length, location: _redirect, ...headers } = answer.headers ?? {};
  const kept = { ...headers, etag: `"${object.etag}"` };
  // The trail keeps where the callback went (scheme, host, port: a path or query may hold a secret) and how it ended.
  const audited = (result: 'Succeeded' | 'Failed', extra: Record<string, string | number> = {}) => ({ callback: { result, target: tried?.origin ?? '', ...extra } });
  if (outcome.ok) {
    return { status: 200, headers: { ...kept, 'content-type': outcome.contentType ?? 'application/json' }, body: outcome.body, responseElements: audited('Succeeded') };
  }
  return {
    status: 203,
    headers: { ...kept, 'content-type': 'application/xml' },
    body: renderXml('Error', { Code: 'CallbackFailed', Message: outcome.message, RequestId: ctx.requestId, HostId: host.replace(/:\d+$/, '') || 'rampart' }),
    responseElements: audited('Failed', { message: outcome.message, ...(outcome.status !== undefined ? { status: outcome.status } : {}) }),
  };
}
