// PutBucketPolicy / GetBucketPolicy / DeleteBucketPolicy. The policy is checked with the RAM policy
// language (its bucket form: Principal is a list of UIDs, ARNs or "*") and kept as written; it is
// decided with every request on the bucket (bucket-access.ts). Every Resource must be this bucket or
// within it: a bucket's policy speaks for that bucket only.
import { parsePolicy, PolicyGrammarError } from '../../../policy/index.js';
import { ApiError } from '../../../model/index.js';
import { bucketArn, type OssOperation } from '../operation.js';

const invalidPolicy = (why: string) => new ApiError('InvalidPolicyDocument', `Invalid Policy: ${why}`, 400);
const noPolicy = () => new ApiError('NoSuchBucketPolicy', 'The bucket policy does not exist.', 404);

/** acs:oss:<region>:<uid>:<bucket>[/<object pattern>], region and uid possibly * or empty. */
function namesThisBucket(resource: string, bucket: string, owner: string): boolean {
  const m = /^acs:oss:[^:]*:([^:]*):([^/]*)(\/.*)?$/.exec(resource);
  if (!m) return false;
  const [, uid = '', name = ''] = m;
  return (uid === '*' || uid === '' || uid === owner) && name === bucket;
}

export function checkBucketPolicy(text: string, bucket: string, owner: string): void {
  let doc;
  try {
    doc = parsePolicy(text, 'bucket');
  } catch (e) {
    if (e instanceof PolicyGrammarError) throw invalidPolicy(e.message);
    throw e;
  }
  doc.Statement.forEach((s, i) => {
    for (const r of s.Resource ?? []) if (!namesThisBucket(r, bucket, owner)) throw invalidPolicy(`Statement[${i}].Resource: "${r}" is not bucket ${bucket} or an object in it.`);
  });
}

export const PutBucketPolicy: OssOperation = {
  name: 'PutBucketPolicy',
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:PutBucketPolicy', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    const text = (await req.body(64 * 1024)).toString('utf8');
    checkBucketPolicy(text, req.bucket, ctx.bucket.accountId);
    await ctx.store.oss.putBucketConfig(req.bucket, 'policy', text);
    return { status: 200 };
  },
};

export const GetBucketPolicy: OssOperation = {
  name: 'GetBucketPolicy',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketPolicy', resource: bucketArn(bucket) }],
  handle: async (_req, ctx) => {
    if (ctx.bucket.policy === undefined) throw noPolicy();
    return { status: 200, headers: { 'content-type': 'application/json' }, body: ctx.bucket.policy };
  },
};

export const DeleteBucketPolicy: OssOperation = {
  name: 'DeleteBucketPolicy',
  readsBody: false,
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:DeleteBucketPolicy', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    await ctx.store.oss.deleteBucketConfig(req.bucket, 'policy');
    return { status: 204 };
  },
};
