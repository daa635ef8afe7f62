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
  const sub = i.query
    .filter(([k]) => OSS_SUBRESOURCES.has(k))
    .map(([k, v]) => (v ? `${k}=${v}` : k))
    .sort();
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
