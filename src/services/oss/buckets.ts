// Buckets: ListBuckets (GetService), PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation,
// and listing objects (ListObjects V1 and V2, with prefix, delimiter, markers and max-keys).
import { StoreConflictError, type ObjectRecord } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { child, parseXml, renderXml, XmlSyntaxError } from './xml.js';
import { bucketArn, isoDate, quoted, type BucketContext, type BucketOperation, type BucketRequest, type OssContext, type OssOperation } from './operation.js';
import { restoreState } from './restore.js';
import { checkBucketName, checkStorageClass } from './names.js';

/** Where a bucket lives when the request names no region. */
const DEFAULT_REGION = 'cn-hangzhou';
const owner = (accountId: string) => ({ ID: accountId, DisplayName: accountId });
const xml = (root: string, body: Parameters<typeof renderXml>[1]) => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: renderXml(root, body) });

export const ListBuckets: OssOperation = {
  name: 'ListBuckets',
  rw: 'Read',
  args: ['prefix', 'marker', 'max-keys'],
  needsBucket: false,
  checks: (_req, { caller }) => [{ permission: 'oss:ListBuckets', resource: `acs:oss:*:${caller.accountId}:*` }],
  handle: async (req, ctx) => {
    // Names sort as the store lists them; prefix, marker and max-keys page through them.
    const prefix = req.params.get('prefix') ?? '';
    const marker = req.params.get('marker') ?? '';
    const max = maxKeys(req);
    const matching = (await ctx.store.oss.listBuckets(ctx.caller.accountId)).filter((b) => b.bucket.startsWith(prefix) && b.bucket > marker);
    const buckets = matching.slice(0, max);
    const truncated = matching.length > max;
    return xml('ListAllMyBucketsResult', {
      ...(prefix ? { Prefix: prefix } : {}),
      ...(marker ? { Marker: marker } : {}),
      ...(req.params.has('max-keys') ? { MaxKeys: max } : {}),
      ...(req.params.has('max-keys') || truncated ? { IsTruncated: truncated } : {}),
      ...(truncated ? { NextMarker: buckets[buckets.length - 1]?.bucket ?? '' } : {}),
      Owner: owner(ctx.caller.accountId),
      Buckets: {
        Bucket: buckets.map((b) => ({
          Name: b.bucket,
          CreationDate: isoDate(b.createdAt),
          Location: b.region,
          Region: b.region.replace(/^oss-/, ''),
          ExtranetEndpoint: `${b.region}.aliyuncs.com`,
          IntranetEndpoint: `${b.region}-internal.aliyuncs.com`,
          StorageClass: b.storageClass,
        })),
      },
    });
  },
};

export const PutBucket: OssOperation = {
  name: 'PutBucket',
  rw: 'Write',
  needsBucket: false,
  checks: (req, { caller }) => [{ permission: 'oss:PutBucket', resource: `acs:oss:*:${caller.accountId}:${req.bucket ?? ''}` }],
  handle: async (req, ctx) => {
    const name = req.bucket ?? '';
    checkBucketName(name);
    let storageClass = 'Standard';
    const body = (await req.body()).toString('utf8');
    if (body.trim() !== '') {
      try {
        const doc = parseXml(body);
        if (doc.name !== 'CreateBucketConfiguration') throw OssErrors.malformedXml();
        const asked = child(doc, 'StorageClass')?.text.trim();
        if (asked) storageClass = checkStorageClass(asked, 'StorageClass');
      } catch (e) {
        if (e instanceof XmlSyntaxError) throw OssErrors.malformedXml();
        throw e;
      }
    }
    const existing = await ctx.store.oss.getBucket(name);
    // Creating a bucket one already owns succeeds, as on the real service.
    if (existing !== undefined) {
      if (existing.accountId === ctx.caller.accountId) return { status: 200 };
      throw OssErrors.bucketExists(name);
    }
    try {
      await ctx.store.oss.createBucket({ bucket: name, accountId: ctx.caller.accountId, region: `oss-${req.region ?? DEFAULT_REGION}`, storageClass, createdAt: ctx.now });
    } catch (e) {
      if (e instanceof StoreConflictError) throw OssErrors.bucketExists(name);
      throw e;
    }
    return { status: 200, headers: { location: `/${name}` } };
  },
};

export const DeleteBucket: OssOperation = {
  name: 'DeleteBucket',
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:DeleteBucket', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    const name = req.bucket;
    if ((await ctx.store.oss.countObjects(name)) > 0 || (await ctx.store.oss.listUploads(name)).length > 0) throw OssErrors.bucketNotEmpty(name);
    await ctx.store.oss.deleteBucket(name);
    return { status: 204 };
  },
};

export const GetBucketInfo: OssOperation = {
  name: 'GetBucketInfo',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketInfo', resource: bucketArn(bucket) }],
  handle: async (_req, ctx) => {
    const b = ctx.bucket;
    if (!b) throw OssErrors.noSuchBucket('');
    return xml('BucketInfo', {
      Bucket: {
        Name: b.bucket,
        CreationDate: isoDate(b.createdAt),
        Location: b.region,
        ExtranetEndpoint: `${b.region}.aliyuncs.com`,
        IntranetEndpoint: `${b.region}-internal.aliyuncs.com`,
        StorageClass: b.storageClass,
        Owner: owner(b.accountId),
        AccessControlList: { Grant: 'private' },
      },
    });
  },
};

export const GetBucketLocation: OssOperation = {
  name: 'GetBucketLocation',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketLocation', resource: bucketArn(bucket) }],
  handle: async (_req, ctx) => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>${ctx.bucket?.region ?? ''}</LocationConstraint>` }),
};

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
    return xml('ListBucketResult', {
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
    return xml('ListBucketResult', {
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
