// Canned ACLs: PutBucketAcl / GetBucketAcl (x-oss-acl; also on PutBucket) and PutObjectACL /
// GetObjectACL (x-oss-object-acl). What they let anyone do is decided in bucket-access.ts.
import type { BucketAcl, BucketRecord } from '../../../store/index.js';
import { BUCKET_ACLS } from './bucket-access.js';
import { OssErrors } from '../errors.js';
import { checkObjectAcl } from '../new-object.js';
import { bucketArn, onObject, requireObject, type OssOperation } from '../operation.js';
import { xmlAnswer } from '../xml.js';

export function checkBucketAcl(value: string | undefined): BucketAcl {
  if (value === undefined || !(BUCKET_ACLS as readonly string[]).includes(value)) throw OssErrors.invalidArgument('no such bucket access control exists', 'x-oss-acl', value ?? '');
  return value as BucketAcl;
}

const policyOf = (owner: string, grant: string) =>
  xmlAnswer('AccessControlPolicy', { Owner: { ID: owner, DisplayName: owner }, AccessControlList: { Grant: grant } });

export const PutBucketAcl: OssOperation = {
  name: 'PutBucketAcl',
  readsBody: false,
  rw: 'Write',
  headers: ['x-oss-acl'],
  needsBucket: true,
  checks: (req, { bucket }) => {
    checkBucketAcl(req.headers.get('x-oss-acl'));
    return [{ permission: 'oss:PutBucketAcl', resource: bucketArn(bucket) }];
  },
  handle: async (req, ctx) => {
    await ctx.store.oss.setBucketAcl(req.bucket, checkBucketAcl(req.headers.get('x-oss-acl')));
    return { status: 200 };
  },
};

export const GetBucketAcl: OssOperation = {
  name: 'GetBucketAcl',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketAcl', resource: bucketArn(bucket) }],
  handle: async (_req, ctx) => policyOf(ctx.bucket.accountId, bucketAclOf(ctx.bucket)),
};

export const bucketAclOf = (b: BucketRecord): BucketAcl => b.acl ?? 'private';

export const PutObjectAcl: OssOperation = {
  name: 'PutObjectAcl',
  readsBody: false,
  rw: 'Write',
  headers: ['x-oss-object-acl'],
  needsBucket: true,
  checks: (req, ctx) => {
    checkObjectAcl(req.headers.get('x-oss-object-acl') ?? '');
    return onObject('oss:PutObjectAcl')(req, ctx);
  },
  handle: async (req, ctx) => {
    const acl = checkObjectAcl(req.headers.get('x-oss-object-acl') ?? '');
    const o = await requireObject(req, ctx);
    // Set on the object as read: one replaced meanwhile is another object, and is not found.
    if (!(await ctx.store.oss.setObjectAcl(req.bucket, o.key, o.blobId, acl))) throw OssErrors.noSuchKey(o.key);
    return { status: 200 };
  },
};

export const GetObjectAcl: OssOperation = {
  name: 'GetObjectAcl',
  rw: 'Read',
  needsBucket: true,
  checks: onObject('oss:GetObjectAcl'),
  handle: async (req, ctx) => {
    const o = await requireObject(req, ctx);
    return policyOf(ctx.bucket.accountId, o.acl ?? 'default');
  },
};
