// Listing a bucket's objects: ListObjects (V1) and ListObjectsV2, with prefix, delimiter, markers
// or continuation tokens, max-keys and encoding-type=url; and the paging rules the other listings
// (uploads, parts) share.
import type { ObjectRecord } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { xmlAnswer } from './xml.js';
import { bucketArn, isoDate, quoted, type BucketContext, type BucketOperation, type BucketRequest, type OssContext, type OssOperation } from './operation.js';
import { restoreState } from './restore.js';

const owner = (accountId: string) => ({ ID: accountId, DisplayName: accountId });

interface Listing {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned, to continue after. */
  last: string | undefined;
}

/** Walks keys after `after` in order, folding keys that share a prefix up to the delimiter. */
async function list(ctx: OssContext, bucket: string, prefix: string, delimiter: string, after: string | undefined, maxKeys: number): Promise<Listing> {
  const out: Listing = { contents: [], prefixes: [], truncated: false, last: undefined };
  let cursor = after;
  for (;;) {
    const batch = await ctx.store.oss.listObjects(bucket, prefix, cursor, 1000);
    if (batch.length === 0) return out;
    for (const o of batch) {
      cursor = o.key;
      const rest = o.key.slice(prefix.length);
      const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
      const common = cut < 0 ? undefined : prefix + rest.slice(0, cut + delimiter.length);
      if (common !== undefined && common === out.prefixes[out.prefixes.length - 1]) continue;
      if (common !== undefined && after !== undefined && common <= after) continue;
      if (out.contents.length + out.prefixes.length === maxKeys) {
        out.truncated = true;
        return out;
      }
      if (common !== undefined) {
        out.prefixes.push(common);
        out.last = common;
        // Skip the rest of this prefix at once.
        cursor = common + '\uffff';
      } else {
        out.contents.push(o);
        out.last = o.key;
      }
    }
  }
}

/** max-keys (max-uploads, max-parts): 1 to 1000, 100 or 1000 when absent or sent empty. */
export function maxItems(req: { params: ReadonlyMap<string, string | undefined> }, name = 'max-keys', fallback = 100): number {
  const raw = req.params.get(name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) throw OssErrors.invalidArgument(`${name} must be between 1 and 1000.`, name, raw);
  return Number(raw);
}

const maxKeys = (req: { params: ReadonlyMap<string, string | undefined> }) => maxItems(req);

/**
 * encoding-type=url: names in a listing are sent URL-encoded (so keys with characters XML cannot
 * carry survive), and the answer says so. Absent or empty: names as they are.
 */
export function listingEncoder(req: { params: ReadonlyMap<string, string | undefined> }): { encode: (name: string) => string; field: { EncodingType?: string } } {
  const type = req.params.get('encoding-type');
  if (type === undefined || type === '') return { encode: (n) => n, field: {} };
  if (type !== 'url') throw OssErrors.invalidArgument('The Encoding-Type you specified is not valid. It must be url.', 'encoding-type', type);
  return { encode: (n) => encodeURIComponent(n).replace(/%2F/g, '/'), field: { EncodingType: 'url' } };
}

const contentsXml = (o: ObjectRecord, accountId: string, encode: (n: string) => string, now: Date) => ({
  Key: encode(o.key),
  LastModified: isoDate(o.lastModified),
  ETag: quoted(o.etag),
  Type: o.objectType,
  Size: o.size,
  StorageClass: o.storageClass,
  ...(o.restore ? { RestoreInfo: restoreState(o.restore, now) } : {}),
  Owner: owner(accountId),
});

const listPermission: BucketOperation['checks'] = (req, { bucket }) => [{ permission: 'oss:ListObjects', resource: bucketArn(bucket), context: { 'oss:Prefix': req.params.get('prefix') ?? '', 'oss:Delimiter': req.params.get('delimiter') ?? '' } }];

/** What both listing versions start from: the bucket, and the prefix and delimiter asked for. */
function listing(req: BucketRequest, ctx: BucketContext) {
  const b = ctx.bucket;
  if (!b) throw OssErrors.noSuchBucket('');
  return { b, prefix: req.params.get('prefix') ?? '', delimiter: req.params.get('delimiter') ?? '' };
}

export const ListObjects: OssOperation = {
  name: 'ListObjects',
  rw: 'Read',
  args: ['prefix', 'marker', 'max-keys', 'delimiter', 'encoding-type'],
  needsBucket: true,
  checks: listPermission,
  handle: async (req, ctx) => {
    const { b, prefix, delimiter } = listing(req, ctx);
    const { encode, field } = listingEncoder(req);
    const marker = req.params.get('marker') ?? '';
    const max = maxKeys(req);
    const l = await list(ctx, b.bucket, prefix, delimiter, marker || undefined, max);
    return xmlAnswer('ListBucketResult', {
      Name: b.bucket,
      Prefix: encode(prefix),
      Marker: encode(marker),
      MaxKeys: max,
      Delimiter: encode(delimiter),
      ...field,
      IsTruncated: l.truncated,
      ...(l.truncated ? { NextMarker: encode(l.last ?? '') } : {}),
      Contents: l.contents.map((o) => contentsXml(o, b.accountId, encode, ctx.now)),
      CommonPrefixes: l.prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  },
};

export const ListObjectsV2: OssOperation = {
  name: 'ListObjectsV2',
  rw: 'Read',
  args: ['list-type', 'prefix', 'continuation-token', 'start-after', 'max-keys', 'delimiter', 'encoding-type', 'fetch-owner'],
  needsBucket: true,
  checks: listPermission,
  handle: async (req, ctx) => {
    const { b, prefix, delimiter } = listing(req, ctx);
    const token = req.params.get('continuation-token');
    const startAfter = req.params.get('start-after');
    let after = startAfter || undefined;
    if (token) {
      try {
        after = Buffer.from(token, 'base64url').toString('utf8');
      } catch {
        throw OssErrors.invalidArgument('The continuation token is not valid.', 'continuation-token', token);
      }
    }
    const max = maxKeys(req);
    const { encode, field } = listingEncoder(req);
    const l = await list(ctx, b.bucket, prefix, delimiter, after, max);
    return xmlAnswer('ListBucketResult', {
      Name: b.bucket,
      Prefix: encode(prefix),
      ...(startAfter ? { StartAfter: encode(startAfter) } : {}),
      ...(token ? { ContinuationToken: token } : {}),
      MaxKeys: max,
      Delimiter: encode(delimiter),
      ...field,
      IsTruncated: l.truncated,
      KeyCount: l.contents.length + l.prefixes.length,
      ...(l.truncated && l.last ? { NextContinuationToken: Buffer.from(l.last).toString('base64url') } : {}),
      Contents: l.contents.map((o) => ({ ...contentsXml(o, b.accountId, encode, ctx.now), ...(req.params.get('fetch-owner') === 'true' ? {} : { Owner: undefined }) })),
      CommonPrefixes: l.prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  },
};
