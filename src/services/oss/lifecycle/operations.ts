// A bucket's lifecycle rules: PutBucketLifecycle, GetBucketLifecycle, DeleteBucketLifecycle. The
// rules themselves are rules.ts; applying them is the sweep's (sweep.ts).
import { createHash, randomUUID } from 'node:crypto';
import { ApiError } from '../../../model/index.js';
import { OssErrors } from '../errors.js';
import { lifecycleXml, parseLifecycleConfiguration, readLifecycle } from './rules.js';
import { expectedMd5 } from '../objects.js';
import { bucketArn, type OssOperation } from '../operation.js';
import { xmlAnswer } from '../xml.js';

/** GetBucketLifecycle for a bucket without rules, in the real service's words (its API reference example). */
const noSuchLifecycle = (bucket: string) => new ApiError('NoSuchLifecycle', 'No Row found in Lifecycle Table.', 404, { BucketName: bucket });

export const PutBucketLifecycle: OssOperation = {
  name: 'PutBucketLifecycle',
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:PutBucketLifecycle', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    // Overlapping prefixes for one action are always refused here; asking to allow them is refused as not implemented.
    const overlap = req.headers.get('x-oss-allow-same-action-overlap');
    if (overlap === 'true') throw OssErrors.notImplemented('x-oss-allow-same-action-overlap');
    if (overlap !== undefined && overlap !== 'false') throw OssErrors.invalidArgument('x-oss-allow-same-action-overlap must be true or false.', 'x-oss-allow-same-action-overlap', overlap);
    const md5 = expectedMd5(req);
    const body = await req.body();
    if (md5 !== undefined && !md5.equals(createHash('md5').update(body).digest())) throw OssErrors.badDigest();
    const config = parseLifecycleConfiguration(body.toString('utf8'), () => randomUUID());
    // The new rules replace the old ones whole, as on the real service.
    await ctx.store.oss.putBucketConfig(req.bucket, 'lifecycle', JSON.stringify(config));
    return { status: 200 };
  },
};

export const GetBucketLifecycle: OssOperation = {
  name: 'GetBucketLifecycle',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketLifecycle', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    const config = readLifecycle(await ctx.store.oss.getBucketConfig(req.bucket, 'lifecycle'));
    if (config === undefined) throw noSuchLifecycle(req.bucket);
    return xmlAnswer('LifecycleConfiguration', lifecycleXml(config));
  },
};

/** 204 whether or not there were rules. [U] whether OSS answers 404 for a bucket without any. */
export const DeleteBucketLifecycle: OssOperation = {
  name: 'DeleteBucketLifecycle',
  readsBody: false,
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:DeleteBucketLifecycle', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    await ctx.store.oss.deleteBucketConfig(req.bucket, 'lifecycle');
    return { status: 204 };
  },
};
