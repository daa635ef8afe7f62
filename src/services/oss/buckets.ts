// Buckets: ListBuckets (GetService), PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation.
// Listing a bucket's objects is listing.ts.
import { StoreConflictError } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { escapeXml } from '../../model/index.js';
import { child, readDocument, xmlAnswer } from './xml.js';
import { maxItems } from './listing.js';
import { bucketArn, isoDate, type OssOperation } from './operation.js';
import { checkBucketName, checkStorageClass } from './names.js';
import { bucketAclOf, checkBucketAcl } from './access/acl.js';

/** Where a bucket lives when the request names no region. */
const DEFAULT_REGION = 'cn-hangzhou';
const owner = (accountId: string) => ({ ID: accountId, DisplayName: accountId });

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
    const max = maxItems(req);
    const matching = (await ctx.store.oss.listBuckets(ctx.caller.accountId)).filter((b) => b.bucket.startsWith(prefix) && b.bucket > marker);
    const buckets = matching.slice(0, max);
    const truncated = matching.length > max;
    return xmlAnswer('ListAllMyBucketsResult', {
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
  headers: ['x-oss-acl'],
  needsBucket: false,
  // A bucket made with an ACL takes the permission to set one.
  checks: (req, { caller }) => {
    const resource = `acs:oss:*:${caller.accountId}:${req.bucket ?? ''}`;
    const acl = req.headers.get('x-oss-acl');
    if (acl !== undefined) checkBucketAcl(acl);
    return [{ permission: 'oss:PutBucket', resource }, ...(acl !== undefined ? [{ permission: 'oss:PutBucketAcl', resource }] : [])];
  },
  handle: async (req, ctx) => {
    const name = req.bucket ?? '';
    checkBucketName(name);
    const aclHeader = req.headers.get('x-oss-acl');
    const acl = aclHeader === undefined ? undefined : checkBucketAcl(aclHeader);
    let storageClass = 'Standard';
    const body = (await req.body()).toString('utf8');
    if (body.trim() !== '') {
      const asked = child(readDocument(body, 'CreateBucketConfiguration'), 'StorageClass')?.text.trim();
      if (asked) storageClass = checkStorageClass(asked, 'StorageClass');
    }
    const existing = await ctx.store.oss.getBucket(name);
    // Creating a bucket one already owns succeeds, as on the real service.
    if (existing !== undefined) {
      if (existing.accountId !== ctx.caller.accountId) throw OssErrors.bucketExists(name);
      // Creating it again with an ACL sets the ACL, as on the real service. [U]
      if (acl !== undefined) await ctx.store.oss.setBucketAcl(name, acl);
      return { status: 200 };
    }
    try {
      await ctx.store.oss.createBucket({ bucket: name, accountId: ctx.caller.accountId, region: `oss-${req.region ?? DEFAULT_REGION}`, storageClass, createdAt: ctx.now, acl: acl ?? 'private' });
    } catch (e) {
      if (e instanceof StoreConflictError) throw OssErrors.bucketExists(name);
      throw e;
    }
    return { status: 200, headers: { location: `/${name}` } };
  },
};

export const DeleteBucket: OssOperation = {
  name: 'DeleteBucket',
  readsBody: false,
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
    return xmlAnswer('BucketInfo', {
      Bucket: {
        Name: b.bucket,
        CreationDate: isoDate(b.createdAt),
        Location: b.region,
        ExtranetEndpoint: `${b.region}.aliyuncs.com`,
        IntranetEndpoint: `${b.region}-internal.aliyuncs.com`,
        StorageClass: b.storageClass,
        Owner: owner(b.accountId),
        AccessControlList: { Grant: bucketAclOf(b) },
      },
    });
  },
};

export const GetBucketLocation: OssOperation = {
  name: 'GetBucketLocation',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketLocation', resource: bucketArn(bucket) }],
  handle: async (_req, ctx) => ({ status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>${escapeXml(ctx.bucket.region)}</LocationConstraint>` }),
};
