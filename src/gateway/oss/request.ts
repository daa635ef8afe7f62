// An OSS request as the gateway reads it: bucket and key from virtual-host or path style, the
// query as sent (keys without '=' kept distinct), headers by lower-case name.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { OssErrors, type OssHttpRequest } from '../../services/oss/index.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';

/** The XML documents OSS requests carry are small: 1 MiB unless an operation says otherwise. */
const MAX_DOCUMENT_BYTES = 1024 * 1024;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw OssErrors.invalidArgument('The request URI is not valid percent-encoded UTF-8.');
  }
}

function parseQuery(text: string): [string, string | undefined][] {
  if (text === '') return [];
  return text
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decode(p), undefined] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
}

/**
 * Virtual-host style names the bucket in the first label of the Host (ali-oss does this even when
 * it talks to an IP endpoint); path style in the first path segment. A host that is an address,
 * has no dots, or starts with an oss endpoint label (oss-cn-hangzhou…, oss.…) names no bucket; nor
 * does an empty first label (ali-oss sends ".oss-cn-hangzhou.aliyuncs.com" for ListBuckets).
 */
export function bucketFromHost(host: string): string | undefined {
  // @alicloud/oss20190517 with endpointType "ip" sends "127.0.0.1:8801/<bucket>" as the Host (and
  // the bucket in the path as well): only what comes before a "/" is the host.
  const name = (host.split('/')[0] ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (isIP(name) !== 0 || !name.includes('.')) return undefined;
  const first = name.slice(0, name.indexOf('.'));
  if (first === '' || first === 'oss' || first.startsWith('oss-')) return undefined;
  return first;
}

/** The region an endpoint host names: oss-cn-hangzhou.aliyuncs.com, <bucket>.oss-cn-hangzhou-internal.aliyuncs.com. */
export function regionFromHost(host: string): string | undefined {
  for (const label of host.replace(/:\d+$/, '').split('.')) {
    const m = /^oss-([a-z0-9-]+?)(?:-internal)?$/.exec(label);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * `under`: the path this door serves OSS beneath (the console's /api/oss); its requests are always
 * path style, whatever their Host (the console's own host name names no bucket).
 */
export function parseOssRequest(req: IncomingMessage, under?: string): OssHttpRequest {
  const url = req.url ?? '/';
  const target = under !== undefined && url.startsWith(under) ? url.slice(under.length) || '/' : url;
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const query = parseQuery(q < 0 ? '' : target.slice(q + 1));
  const path = decode(rawPath);
  const host = req.headers.host ?? '';
  let bucket = under === undefined ? bucketFromHost(host) : undefined;
  let key: string | undefined;
  if (bucket !== undefined) {
    key = path.replace(/^\//, '');
  } else {
    const rest = path.replace(/^\//, '');
    const slash = rest.indexOf('/');
    bucket = (slash < 0 ? rest : rest.slice(0, slash)) || undefined;
    key = slash < 0 ? undefined : rest.slice(slash + 1);
  }
  const headers = new Map<string, string>();
  for (const [name, values] of Object.entries(req.headersDistinct)) if (values) headers.set(name, values.join(','));
  const params = new Map<string, string | undefined>();
  for (const [k, v] of query) if (!params.has(k)) params.set(k, v);
  const body = (limit = MAX_DOCUMENT_BYTES) =>
    readBody(req, limit).catch((e: unknown) => {
      throw e instanceof BodyTooLargeError ? OssErrors.entityTooLarge(e.limit) : e;
    });
  return { method: req.method ?? 'GET', bucket, key: key === '' ? undefined : key, query, params, headers, host, region: regionFromHost(host), raw: req, body };
}
