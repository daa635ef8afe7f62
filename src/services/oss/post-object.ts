// PostObject: a browser or mobile form upload. The form carries everything: the key, the policy its
// AppServer signed (and its signature, read by auth/), metadata and options, then the file. The
// object's permissions are checked on the key the form names, after the policy; the file is stored
// only once everything it will be served with has been checked. Then the answer the form asked
// for: a redirect (success_action_redirect) or a status (success_action_status).
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { MEANINGFUL_HEADERS } from '../../auth/oss/vocabulary.js';
import { OssErrors } from './errors.js';
import { checkHeaderValue, checkObjectKey, standardHeaders, userMetadata } from './names.js';
import { NEW_OBJECT_HEADERS, newObjectChecks, newObjectOptions, writeObject, type NewObjectOptions } from './new-object.js';
import { md5Hex, storeBody } from './objects.js';
import { objectArn, quoted, type BucketContext, type BucketOperation, type BucketRequest, type OssResult } from './operation.js';
import { checkPostPolicy } from './post-policy.js';
import { renderXml } from './xml.js';
import { answerWithCallback, formCallback } from './callback/callback.js';

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

/** Fields that ask for functionality (vocabulary.ts) and that PostObject honours. */
const HONOURED_FIELDS: ReadonlySet<string> = new Set(NEW_OBJECT_HEADERS);

/** Fields that ask for what PostObject does not do are refused, as the same headers are. */
function refuseUnhonoured(fields: ReadonlyMap<string, string>): void {
  for (const name of fields.keys()) {
    if (MEANINGFUL_HEADERS.has(name) && !HONOURED_FIELDS.has(name)) throw OssErrors.notImplemented(name);
  }
}

/** How a successful upload is answered: a 303 to the form's URL, or an empty 200/204 or a 201 with PostResponse. */
type SuccessAction = { redirect: string } | { status: 200 | 201 | 204 };

/**
 * success_action_redirect wins over success_action_status; a status other than 200, 201 or 204
 * (or none) is 204, as OSS documents. The redirect must be an http(s) URL a Location header can
 * carry. [U: what OSS answers for one that is not]
 */
function successAction(fields: ReadonlyMap<string, string>): SuccessAction {
  const redirect = fields.get('success_action_redirect');
  if (redirect !== undefined && redirect !== '') {
    checkHeaderValue('success_action_redirect', redirect);
    let url: URL | undefined;
    try {
      url = new URL(redirect);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw OssErrors.invalidArgument('success_action_redirect must be an http or https URL.', 'success_action_redirect', redirect);
    }
    return { redirect };
  }
  const status = fields.get('success_action_status');
  return { status: status === '200' ? 200 : status === '201' ? 201 : 204 };
}

/** What a form asks for besides its file, read (and checked) when its permissions are. */
interface PostRequest {
  key: string;
  /** The file's size, as the policy's content-length-range bounds it. */
  bounds: { min: number; max: number };
  options: NewObjectOptions;
  success: SuccessAction;
}

function readPostRequest(form: PostForm, bucket: string, now: Date): PostRequest {
  const key = formKey(form.fields, form.filename);
  const bounds = checkPostPolicy(form.fields.get('policy') ?? '', form.fields, { bucket, key, now });
  refuseUnhonoured(form.fields);
  return { key, bounds, options: newObjectOptions(form.fields), success: successAction(form.fields) };
}

/** What the object will be served with, from the form: checked before a byte of the file is stored. */
interface ServedWith {
  contentType: string;
  metadata: Record<string, string>;
  httpHeaders: Record<string, string>;
}

/** The type is x-oss-content-type, else the Content-Type field, else the file part's own (as OSS documents). */
function servedWith(form: PostForm): ServedWith {
  const { fields } = form;
  return {
    contentType: checkHeaderValue('Content-Type', fields.get('x-oss-content-type') ?? fields.get('content-type') ?? form.contentType ?? 'application/octet-stream'),
    metadata: userMetadata(fields),
    httpHeaders: standardHeaders(fields),
  };
}

/** The object a form stored: what the answer (and an upload callback) tells of it. */
export interface PostedObject {
  bucket: string;
  key: string;
  etag: string;
  size: number;
  contentType: string;
  blobId: string;
  /** base64, as a Content-MD5 header writes it. */
  contentMd5: string;
}

/** Stores the file as the object, with what the form asked for; nothing is kept if any of it is refused. */
async function storePosted(ctx: BucketContext, form: PostForm, post: PostRequest, served: ServedWith): Promise<PostedObject> {
  const { options } = post;
  const bucket = ctx.bucket.bucket;
  // Refused before the file is read when the key is taken (the write itself decides, atomically).
  if (options.forbidOverwrite && (await ctx.store.oss.getObject(bucket, post.key)) !== undefined) throw OssErrors.fileAlreadyExists();
  const written = await storeBody(ctx, form.file, Math.min(ctx.limits.maxObjectSize, post.bounds.max));
  if (written.size < post.bounds.min) {
    await ctx.blobs.delete(written.blobId);
    throw OssErrors.entityTooSmall();
  }
  const etag = md5Hex(written.md5);
  await writeObject(
    ctx,
    {
      bucket,
      key: post.key,
      blobId: written.blobId,
      size: written.size,
      etag,
      contentType: served.contentType,
      metadata: served.metadata,
      objectType: 'Normal',
      lastModified: ctx.now,
      storageClass: ctx.bucket.storageClass,
      httpHeaders: served.httpHeaders,
      ...(options.acl !== undefined ? { acl: options.acl } : {}),
      ...(options.tags !== undefined ? { tags: options.tags } : {}),
    },
    options.forbidOverwrite,
  );
  return { bucket, key: post.key, etag, size: written.size, contentType: served.contentType, blobId: written.blobId, contentMd5: written.md5.toString('base64') };
}

/**
 * The new object's URL, as PostResponse's Location and the redirect tell it: the form's own URL
 * (virtual-host or path style, whatever path it was posted to) with the key after it.
 */
function objectUrl(req: BucketRequest, key: string): string {
  const scheme = (req.raw.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
  const path = (req.raw.url ?? '/').replace(/[?#].*$/s, '').replace(/\/+$/, '');
  return `${scheme}://${req.host}${path}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * The answer the form asked for. The redirect carries bucket, key and etag in its query, after any
 * the URL has. [U: OSS documents only the redirect; the 303 and the three parameters are S3's
 * documented behaviour, which OSS's form upload follows]
 */
function successAnswer(req: BucketRequest, success: SuccessAction, object: PostedObject): OssResult {
  const etag = quoted(object.etag);
  if ('redirect' in success) {
    const hash = success.redirect.indexOf('#');
    const base = hash < 0 ? success.redirect : success.redirect.slice(0, hash);
    const fragment = hash < 0 ? '' : success.redirect.slice(hash);
    const query = `bucket=${encodeURIComponent(object.bucket)}&key=${encodeURIComponent(object.key)}&etag=${encodeURIComponent(etag)}`;
    const sep = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
    return { status: 303, headers: { location: `${base}${sep}${query}${fragment}`, etag } };
  }
  if (success.status === 201) {
    const body = renderXml('PostResponse', { Bucket: object.bucket, Location: objectUrl(req, object.key), Key: object.key, ETag: etag });
    return { status: 201, headers: { 'content-type': 'application/xml', etag }, body };
  }
  return { status: success.status, headers: { etag } };
}

/** The operation for one form. */
export function postObject(form: PostForm): BucketOperation {
  let read: PostRequest | undefined;
  return {
    name: 'PostObject',
    rw: 'Write',
    needsBucket: true,
    // oss:PutObject on the key the form names, and what the new object's ACL and tags take.
    checks: (_req, { bucket, now }) => {
      read = readPostRequest(form, bucket.bucket, now);
      const resource = objectArn(bucket, read.key);
      return [{ permission: 'oss:PutObject', resource }, ...newObjectChecks(read.options, resource)];
    },
    // An upload callback (the callback field, its values in x: fields) is checked with what the
    // object is served with, before the file is stored; once it is stored, the app server's
    // answer (or CallbackFailed) is the form's answer.
    handle: async (req, ctx) => {
      const post = read ?? readPostRequest(form, ctx.bucket.bucket, ctx.now);
      const served = servedWith(form);
      const callback = await formCallback(form.fields, ctx, served.contentType);
      const object = await storePosted(ctx, form, post, served);
      const stored = { operation: 'PostObject', ...object, mimeType: object.contentType } as const;
      return answerWithCallback(ctx, callback, stored, successAnswer(req, post.success, object), req.host);
    },
  };
}
