// Which operation a request names: by whether it names a bucket and a key, its method, and the
// exact set of sub-resources it carries (vocabulary.ts). Then what it asks for beyond that, its
// arguments and meaningful headers, must be what the operation honours. Anything else is refused
// with 501 NotImplemented before a byte of the body is read or anything is looked at: an
// operation that is not implemented never falls through to one that is.
import { OssErrors } from './errors.js';
import type { OssHttpRequest, OssOperation } from './operation.js';
import { DeleteBucket, GetBucketInfo, GetBucketLocation, ListBuckets, PutBucket } from './buckets.js';
import { DeleteBucketCors, GetBucketCors, PutBucketCors } from './cors.js';
import { ListObjects, ListObjectsV2 } from './listing.js';
import { AbortMultipartUpload, CompleteMultipartUpload, InitiateMultipartUpload, ListMultipartUploads, ListParts, UploadPart, UploadPartCopy } from './multipart.js';
import { AppendObject, CopyObject, DeleteMultipleObjects, DeleteObject, GetObject, GetObjectMeta, HeadObject, PutObject } from './objects.js';
import { RestoreObject } from './restore.js';
import { DeleteObjectTagging, GetObjectTagging, PutObjectTagging } from './tagging/operations.js';
import { DeleteBucketLifecycle, GetBucketLifecycle, PutBucketLifecycle } from './lifecycle/operations.js';
import { GetBucketAcl, GetObjectAcl, PutBucketAcl, PutObjectAcl } from './access/acl.js';
import { DeleteBucketPolicy, GetBucketPolicy, PutBucketPolicy } from './access/bucket-policy.js';
import { ARGUMENTS, MEANINGFUL_HEADERS, SELECTORS } from '../../auth/oss/vocabulary.js';

/** PostObject, the form upload, is read and authorized by the front door itself (its signature is in the form). */
export const POST_OBJECT = 'PostObject';

type Scope = 'service' | 'bucket' | 'object';
type Routed = OssOperation | typeof POST_OBJECT;

/** scope, method, sorted sub-resources → operation (or a chooser, where a header or argument decides). */
const ROUTES = new Map<string, Routed | ((req: OssHttpRequest) => Routed)>([
  ['service GET ', ListBuckets],
  ['bucket PUT ', PutBucket],
  ['bucket DELETE ', DeleteBucket],
  ['bucket GET ', (req) => (req.params.get('list-type') === '2' ? ListObjectsV2 : ListObjects)],
  ['bucket HEAD ', (req) => (req.params.get('list-type') === '2' ? ListObjectsV2 : ListObjects)],
  ['bucket GET bucketInfo', GetBucketInfo],
  ['bucket PUT acl', PutBucketAcl],
  ['bucket GET acl', GetBucketAcl],
  ['object PUT acl', PutObjectAcl],
  ['object GET acl', GetObjectAcl],
  ['bucket PUT policy', PutBucketPolicy],
  ['bucket GET policy', GetBucketPolicy],
  ['bucket DELETE policy', DeleteBucketPolicy],
  ['bucket GET location', GetBucketLocation],
  ['bucket GET uploads', ListMultipartUploads],
  ['bucket PUT cors', PutBucketCors],
  ['bucket GET cors', GetBucketCors],
  ['bucket DELETE cors', DeleteBucketCors],
  ['bucket POST delete', DeleteMultipleObjects],
  ['bucket POST ', POST_OBJECT],
  ['object PUT ', (req) => (req.headers.has('x-oss-copy-source') ? CopyObject : PutObject)],
  ['object PUT partNumber uploadId', (req) => (req.headers.has('x-oss-copy-source') ? UploadPartCopy : UploadPart)],
  ['object POST uploads', InitiateMultipartUpload],
  ['object POST uploadId', CompleteMultipartUpload],
  ['object POST append', AppendObject],
  ['object POST restore', RestoreObject],
  ['object GET ', GetObject],
  ['object GET uploadId', ListParts],
  ['object HEAD ', HeadObject],
  ['object HEAD objectMeta', GetObjectMeta],
  ['object DELETE ', DeleteObject],
  ['object DELETE uploadId', AbortMultipartUpload],
  ['object PUT tagging', PutObjectTagging],
  ['object GET tagging', GetObjectTagging],
  ['object DELETE tagging', DeleteObjectTagging],
  ['bucket PUT lifecycle', PutBucketLifecycle],
  ['bucket GET lifecycle', GetBucketLifecycle],
  ['bucket DELETE lifecycle', DeleteBucketLifecycle],
]);

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

function scopeOf(req: OssHttpRequest): Scope {
  if (req.bucket === undefined) return 'service';
  return req.key === undefined ? 'bucket' : 'object';
}

export function route(req: OssHttpRequest): Routed {
  if (!METHODS.has(req.method)) throw OssErrors.methodNotAllowed();
  const selectors = [...req.params.keys()].filter((k) => SELECTORS.has(k)).sort();
  const found = ROUTES.get(`${scopeOf(req)} ${req.method} ${selectors.join(' ')}`);
  if (found === undefined) throw OssErrors.notImplemented();
  const routed = typeof found === 'function' ? found(req) : found;
  const op = routed === POST_OBJECT ? undefined : routed;
  for (const key of req.params.keys()) {
    if (ARGUMENTS.has(key) && !op?.args?.includes(key)) throw OssErrors.notImplemented();
  }
  for (const name of req.headers.keys()) {
    if (MEANINGFUL_HEADERS.has(name) && !op?.headers?.includes(name)) throw OssErrors.notImplemented(name);
  }
  return routed;
}
