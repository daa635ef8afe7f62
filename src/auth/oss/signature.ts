// OSS request signatures. V1: `OSS <ak>:<base64 HMAC-SHA1>` over
//   VERB \n Content-MD5 \n Content-Type \n Date \n x-oss-* headers \n /bucket/key[?sub-resources]
// V4: `OSS4-HMAC-SHA256 Credential=<ak>/<day>/<region>/oss/aliyun_v4_request[,AdditionalHeaders=…],Signature=<hex>`
// over a canonical request, with a signing key chained from "aliyun_v4" + secret.
import { createHash, createHmac } from 'node:crypto';

/** Query parameters that are part of the V1 string to sign (the real service's list). */
export const OSS_SUBRESOURCES = new Set([
  'acl', 'uploads', 'location', 'cors', 'logging', 'website', 'referer', 'lifecycle', 'delete', 'append', 'tagging', 'objectMeta',
  'uploadId', 'partNumber', 'security-token', 'position', 'img', 'style', 'styleName', 'replication', 'replicationProgress',
  'replicationLocation', 'cname', 'bucketInfo', 'comp', 'qos', 'live', 'status', 'vod', 'startTime', 'endTime', 'symlink',
  'x-oss-process', 'response-content-type', 'x-oss-traffic-limit', 'response-content-language', 'response-expires',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'udf', 'udfName', 'udfImage', 'udfId',
  'udfImageDesc', 'udfApplication', 'udfApplicationLog', 'restore', 'callback', 'callback-var', 'qosInfo', 'policy', 'stat',
  'encryption', 'versions', 'versioning', 'versionId', 'requestPayment', 'x-oss-request-payer', 'sequential', 'inventory',
  'inventoryId', 'continuation-token', 'asyncFetch', 'worm', 'wormId', 'wormExtend',
]);

/** Query pairs as sent: a value of undefined means the key came without '='. */
export type QueryPairs = ReadonlyArray<readonly [string, string | undefined]>;

export interface OssV1Input {
  method: string;
  contentMd5: string;
  contentType: string;
  /** The Date header, the x-oss-date header when there is no Date, or Expires for a presigned URL. */
  date: string;
  /** Lower-cased x-oss-* headers (values joined with ','). */
  ossHeaders: ReadonlyMap<string, string>;
  /** /bucket/key as decoded text, or /bucket/ or /. */
  resource: string;
  query: QueryPairs;
}

export function ossV1StringToSign(i: OssV1Input): string {
  const headers = [...i.ossHeaders.keys()].sort().map((k) => `${k}:${(i.ossHeaders.get(k) ?? '').trim()}`);
  // Sorted by name, as OSS and ali-oss sort them (by "name=value" text, ?callback-var would come
  // before ?callback, since "-" sorts before "=").
  const sub = i.query
    .filter(([k]) => OSS_SUBRESOURCES.has(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v ? `${k}=${v}` : k));
  const resource = sub.length ? `${i.resource}?${sub.join('&')}` : i.resource;
  return [i.method.toUpperCase(), i.contentMd5, i.contentType, i.date, ...headers, resource].join('\n');
}

export function ossV1Signature(secret: string, stringToSign: string): string {
  return createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
}

const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface OssV4Input {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: QueryPairs;
  /** Lower-cased header names, values joined with ','. */
  headers: ReadonlyMap<string, string>;
  additionalHeaders: readonly string[];
  /** Parameters whose empty value was signed as "k=" rather than as the bare key. */
  emptyAsEquals?: ReadonlySet<string>;
}

export function ossV4CanonicalRequest(i: OssV4Input): string {
  const uri = encode(`/${i.bucket ? `${i.bucket}/` : ''}${i.key ?? ''}`).replace(/%2F/g, '/');
  const query = [...i.query]
    .filter(([k]) => k !== 'x-oss-signature')
    // A parameter with an empty value is signed as its bare key (ali-oss signs sub-resources such
    // as ?uploads that way, and sends them as "uploads="), unless told otherwise.
    .map(([k, v]) => [encode(k), (v === undefined || v === '') && !i.emptyAsEquals?.has(k) ? undefined : encode(v ?? '')] as const)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => (v === undefined ? k : `${k}=${v}`))
    .join('&');
  const signed = new Set(i.additionalHeaders);
  for (const name of i.headers.keys()) if (name === 'content-type' || name === 'content-md5' || name.startsWith('x-oss-')) signed.add(name);
  const headers = [...signed].sort().map((n) => `${n}:${(i.headers.get(n) ?? '').trim()}\n`).join('');
  return [i.method.toUpperCase(), uri, query, headers, i.additionalHeaders.join(';'), i.headers.get('x-oss-content-sha256') ?? 'UNSIGNED-PAYLOAD'].join('\n');
}

export function ossV4StringToSign(timestamp: string, scope: string, canonicalRequest: string): string {
  return ['OSS4-HMAC-SHA256', timestamp, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
}

export function ossV4Signature(secret: string, day: string, region: string, product: string, stringToSign: string): string {
  let key: Buffer = createHmac('sha256', `aliyun_v4${secret}`).update(day).digest();
  key = createHmac('sha256', key).update(region).digest();
  key = createHmac('sha256', key).update(product).digest();
  key = createHmac('sha256', key).update('aliyun_v4_request').digest();
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export interface OssV4Credential {
  accessKeyId: string;
  day: string;
  region: string;
  product: string;
  scope: string;
}

/** <ak>/<yyyymmdd>/<region>/<product>/aliyun_v4_request */
export function parseOssV4Credential(text: string): OssV4Credential | undefined {
  const m = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aliyun_v4_request$/.exec(text);
  if (!m) return undefined;
  const [, accessKeyId = '', day = '', region = '', product = ''] = m;
  return { accessKeyId, day, region, product, scope: `${day}/${region}/${product}/aliyun_v4_request` };
}

// V2: `OSS2 AccessKeyId:<ak>[,AdditionalHeaders:<a;b>],Signature:<base64 HMAC-SHA256>` over
//   VERB \n Content-MD5 \n Content-Type \n Date \n x-oss-* and additional headers \n additional
//   header names \n resource
// where the resource is the whole of /bucket/key percent-encoded ("/" too) followed by every query
// parameter, sorted and encoded; in a presigned URL, x-oss-expires stands for the Date and every
// parameter but x-oss-signature is signed. (aliyun-oss-python-sdk oss2/auth.py AuthV2, the
// reference Alibaba's documentation points to.)

/** Everything but A–Z a–z 0–9 _ - ~ . as %XX (encodeURIComponent leaves !'()* alone). */
const encodeV2 = (s: string) => encode(s);

export interface OssV2Input {
  method: string;
  contentMd5: string;
  contentType: string;
  /** The Date header, or x-oss-expires for a presigned URL. */
  date: string;
  /** Lower-cased names: the x-oss-* headers and the additional ones are signed. */
  headers: ReadonlyMap<string, string>;
  additionalHeaders: readonly string[];
  bucket: string | undefined;
  key: string | undefined;
  query: QueryPairs;
  /** Empty values written as "k=" (the Tea client) rather than as the bare key (the others). */
  emptyAsEquals?: boolean;
}

export function ossV2StringToSign(i: OssV2Input): string {
  const additional = [...new Set(i.additionalHeaders.map((h) => h.toLowerCase()))].filter((h) => i.headers.has(h)).sort();
  const names = [...i.headers.keys()].filter((n) => n.startsWith('x-oss-') || additional.includes(n)).sort();
  const headers = names.map((n) => `${n}:${i.headers.get(n) ?? ''}\n`).join('');
  const path = i.bucket === undefined ? '/' : `/${i.bucket}/${i.key ?? ''}`;
  const params = i.query
    .filter(([k]) => k !== 'x-oss-signature')
    .map(([k, v]) => [encodeV2(k), v === undefined || (v === '' && !i.emptyAsEquals) ? undefined : encodeV2(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => (v === undefined ? k : `${k}=${v}`));
  const resource = encodeV2(path) + (params.length > 0 ? `?${params.join('&')}` : '');
  return [i.method.toUpperCase(), i.contentMd5, i.contentType, i.date, `${headers}${additional.join(';')}`, resource].join('\n');
}

export function ossV2Signature(secret: string, stringToSign: string): string {
  return createHmac('sha256', secret).update(stringToSign, 'utf8').digest('base64');
}

export interface OssV2Authorization {
  accessKeyId: string;
  additionalHeaders: string[];
  signature: string;
}

/** `OSS2 AccessKeyId:x,AdditionalHeaders:a;b,Signature:s` (the Java SDK puts a space after each comma). */
export function parseOssV2Authorization(header: string): OssV2Authorization | undefined {
  if (!header.startsWith('OSS2 ')) return undefined;
  const fields = new Map<string, string>();
  for (const part of header.slice(5).split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) return undefined;
    const name = part.slice(0, colon).trim();
    if (fields.has(name)) return undefined;
    fields.set(name, part.slice(colon + 1).trim());
  }
  const accessKeyId = fields.get('AccessKeyId');
  const signature = fields.get('Signature');
  if (!accessKeyId || !signature || [...fields.keys()].some((k) => !['AccessKeyId', 'AdditionalHeaders', 'Signature'].includes(k))) return undefined;
  const additional = fields.get('AdditionalHeaders');
  return { accessKeyId, signature, additionalHeaders: additional ? additional.split(';') : [] };
}
