// A bucket's own access rules, for the authorizer (access/resource-access.ts): its bucket policy,
// compiled once per text, and the ACLs of the bucket and of the object a request names. ACLs
// grant to anyone, signed or not: public-read the reading permissions, public-read-write the
// writing ones as well. An object's ACL, unless 'default', replaces its bucket's for that object.
import type { ResourceAccess } from '../../../access/index.js';
import { parseArn } from '../../../model/index.js';
import { compilePolicy, parsePolicy, PolicySet, type CompiledPolicy } from '../../../policy/index.js';
import type { BucketAcl, BucketRecord, ObjectAcl, Store } from '../../../store/index.js';

/**
 * ACLs speak only for data operations, on objects (OSS, "Authorization process": a management
 * operation on a bucket that no policy allows is refused). Listing a public-read bucket
 * anonymously is not documented either way: refused here.
 */
/** What public-read lets anyone do. */
const READS: ReadonlySet<string> = new Set(['oss:GetObject']);
/** What public-read-write adds. */
const WRITES: ReadonlySet<string> = new Set(['oss:PutObject', 'oss:DeleteObject', 'oss:AbortMultipartUpload', 'oss:ListParts']);

export const BUCKET_ACLS: readonly BucketAcl[] = ['private', 'public-read', 'public-read-write'];
export const OBJECT_ACLS: readonly ObjectAcl[] = ['default', ...BUCKET_ACLS];

function grants(acl: BucketAcl, permission: string): boolean {
  if (acl === 'public-read-write') return READS.has(permission) || WRITES.has(permission);
  return acl === 'public-read' && READS.has(permission);
}

interface CompiledBucketPolicy {
  owner: PolicySet;
  others: PolicySet;
}

/** Compiled bucket policies by their text (a bucket's changes rarely; many share none). */
const compiled = new Map<string, CompiledBucketPolicy>();
const MAX_COMPILED = 10_000;

/**
 * A stored bucket policy, compiled. A statement that names "*" without a Condition does not apply
 * to the bucket's owner (OSS, "Bucket Policy"): the owner's root is decided without it.
 */
export function compileBucketPolicy(bucket: string, text: string): CompiledBucketPolicy {
  const hit = compiled.get(text);
  if (hit !== undefined) return hit;
  const doc = parsePolicy(text, 'bucket');
  const ref = { name: `bucket policy of ${bucket}`, type: 'Resource' as const };
  const all: CompiledPolicy = compilePolicy(doc, ref);
  const exceptOwner = all.statements.filter((s, i) => {
    const st = doc.Statement[i];
    return !(st?.Principal?.Bucket?.includes('*') && st.Condition === undefined);
  });
  const entry = { owner: new PolicySet([{ ref, statements: exceptOwner }]), others: new PolicySet([all]) };
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(text, entry);
  return entry;
}

/** The bucket and key an OSS ARN names (acs:oss:*:<uid>:<bucket>[/<key>]). */
export function ossResource(resource: string): { bucket: string; key: string | undefined } | undefined {
  const arn = parseArn(resource);
  if (arn?.service !== 'oss') return undefined;
  const slash = arn.resource.indexOf('/');
  return slash < 0 ? { bucket: arn.resource, key: undefined } : { bucket: arn.resource.slice(0, slash), key: arn.resource.slice(slash + 1) };
}

/** The rules of one bucket, for a permission on it or on one of its objects (`key`). */
export function bucketAccess(bucket: BucketRecord, key: string | undefined, store: Store): ResourceAccess {
  return {
    owner: bucket.accountId,
    ...(bucket.policy !== undefined ? { policy: compileBucketPolicy(bucket.bucket, bucket.policy) } : {}),
    publicGrant: async (permission) => {
      if (key === undefined || (!READS.has(permission) && !WRITES.has(permission))) return undefined;
      // Read only when the policies have not decided: the owner's own requests never pay for it.
      const object = await store.oss.getObject(bucket.bucket, key);
      if (object?.acl !== undefined && object.acl !== 'default') return grants(object.acl, permission) ? `the object ACL ${object.acl}` : undefined;
      const acl = bucket.acl ?? 'private';
      return grants(acl, permission) ? `the bucket ACL ${acl}` : undefined;
    },
  };
}
