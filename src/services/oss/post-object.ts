// PostObject: a browser or mobile form upload. The form carries everything: the key, the policy its
// AppServer signed (and its signature, read by auth/), metadata and options, then the file. The
// object's permission is checked on the key the form names, after the policy; the file is stored
// only once everything it will be served with has been checked.
import type { Readable } from 'node:stream';
import { MEANINGFUL_HEADERS } from '../../auth/oss/vocabulary.js';
import { OssErrors } from './errors.js';
import { checkHeaderValue, checkObjectKey, standardHeaders, userMetadata } from './names.js';
import { md5Hex, storeBody } from './objects.js';
import { objectArn, type BucketOperation } from './operation.js';
import { checkPostPolicy } from './post-policy.js';

export interface PostForm {
  /** By lower-case name: OSS reads form fields without regard to case. */
  fields: ReadonlyMap<string, string>;
  file: Readable;
  filename: string | undefined;
  contentType: string | undefined;
}

/** The object key of a form: its key field, with ${filename} replaced by the file's name. */
export function formKey(fields: ReadonlyMap<string, string>, filename: string | undefined): string {
  const key = (fields.get('key') ?? '').replace('${filename}', filename ?? '');
  return checkObjectKey(key);
}

/** The operation for one form. */
export function postObject(form: PostForm): BucketOperation {
  const { fields } = form;
  let bounds: { min: number; max: number } | undefined;
  return {
    name: 'PostObject',
    rw: 'Write',
    needsBucket: true,
    checks: (_req, { bucket, now }) => {
      const key = formKey(fields, form.filename);
      bounds = checkPostPolicy(fields.get('policy') ?? '', fields, { bucket: bucket.bucket, key, now });
      // Fields that ask for functionality (x-oss-object-acl, x-oss-forbid-overwrite …) are not
      // honoured: refused, as the same headers are.
      for (const name of fields.keys()) if (MEANINGFUL_HEADERS.has(name)) throw OssErrors.notImplemented(name);
      return [{ permission: 'oss:PutObject', resource: objectArn(bucket, key) }];
    },
    handle: async (_req, ctx) => {
      const key = formKey(fields, form.filename);
      const limit = bounds ?? { min: 0, max: Number.MAX_SAFE_INTEGER };
      // Everything the object will be served with is checked before a byte of it is stored.
      const contentType = checkHeaderValue('Content-Type', fields.get('content-type') ?? form.contentType ?? 'application/octet-stream');
      const metadata = userMetadata(fields);
      const httpHeaders = standardHeaders(fields);
      const written = await storeBody(ctx, form.file, Math.min(ctx.limits.maxObjectSize, limit.max));
      if (written.size < limit.min) {
        await ctx.blobs.delete(written.blobId);
        throw OssErrors.entityTooSmall();
      }
      const etag = md5Hex(written.md5);
      const previous = await ctx.store.oss.putObject({
        bucket: ctx.bucket.bucket,
        key,
        blobId: written.blobId,
        size: written.size,
        etag,
        contentType,
        metadata,
        objectType: 'Normal',
        lastModified: ctx.now,
        storageClass: ctx.bucket.storageClass,
        httpHeaders,
      });
      if (previous !== undefined) await ctx.blobs.delete(previous);
      const status = Number(fields.get('success_action_status') ?? '204');
      return { status: [200, 201, 204].includes(status) ? status : 204, headers: { etag: `"${etag}"` } };
    },
  };
}
