// Which operation a request names: by method, by whether it names a bucket and a key, and by
// its sub-resources.
import { OssErrors } from './errors.js';
import type { OssHttpRequest } from './operation.js';
import { DeleteBucket, GetBucketInfo, GetBucketLocation, ListBuckets, ListObjects, ListObjectsV2, PutBucket } from './buckets.js';
import { AbortMultipartUpload, CompleteMultipartUpload, InitiateMultipartUpload, ListMultipartUploads, ListParts, UploadPart } from './multipart.js';
import { AppendObject, CopyObject, DeleteMultipleObjects, DeleteObject, GetObject, HeadObject, PutObject } from './objects.js';
import type { OssOperation } from './operation.js';

export function route(req: OssHttpRequest): OssOperation {
  const has = (name: string) => req.params.has(name);
  const m = req.method;
  if (req.bucket === undefined) {
    if (m === 'GET') return ListBuckets;
    throw OssErrors.methodNotAllowed();
  }
  if (req.key === undefined) {
    if (m === 'PUT' && !has('acl')) return PutBucket;
    if (m === 'DELETE') return DeleteBucket;
    if (m === 'GET' || m === 'HEAD') {
      if (has('bucketInfo')) return GetBucketInfo;
      if (has('location')) return GetBucketLocation;
      if (has('uploads')) return ListMultipartUploads;
      if (req.params.get('list-type') === '2') return ListObjectsV2;
      return ListObjects;
    }
    if (m === 'POST' && has('delete')) return DeleteMultipleObjects;
    throw OssErrors.notImplemented();
  }
  switch (m) {
    case 'PUT':
      if (has('partNumber') && has('uploadId')) return UploadPart;
      if (req.headers.has('x-oss-copy-source')) return CopyObject;
      if (has('acl') || has('tagging') || has('symlink')) throw OssErrors.notImplemented();
      return PutObject;
    case 'POST':
      if (has('uploads')) return InitiateMultipartUpload;
      if (has('uploadId')) return CompleteMultipartUpload;
      if (has('append')) return AppendObject;
      throw OssErrors.notImplemented();
    case 'GET':
      if (has('uploadId')) return ListParts;
      if (has('acl') || has('tagging') || has('objectMeta')) throw OssErrors.notImplemented();
      return GetObject;
    case 'HEAD':
      return HeadObject;
    case 'DELETE':
      return has('uploadId') ? AbortMultipartUpload : DeleteObject;
    default:
      throw OssErrors.methodNotAllowed();
  }
}
