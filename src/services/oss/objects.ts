// Objects: PutObject (Content-MD5 checked, streamed), GetObject (Range, conditions), HeadObject,
// DeleteObject, DeleteMultipleObjects, CopyObject (GetObject on the source and PutObject on the
// target), AppendObject.
import { BlobTooLargeError } from '../../store/blobs.js';
import type { ObjectRecord } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { child, children, readDocument, renderXml } from './xml.js';
import { ARCHIVE_CLASSES, checkHeaderValue, checkObjectKey, metadataHeaders, standardHeaders, storageClassOf, userMetadata } from './names.js';
import { httpDate, isoDate, objectArn, onObject, quoted, requireObject, type BucketRequest, type OssContext, type OssHttpRequest, type OssOperation, type OssResult } from './operation.js';
import { requireReadable, restoreState } from './restore.js';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { NEW_OBJECT_HEADERS, newObjectChecks, newObjectOptions, writeObject } from './new-object.js';
import type { BucketOperation } from './operation.js';
import { answerWithCallback, CALLBACK_ARGS, CALLBACK_HEADERS, requestCallback } from './callback/callback.js';

export const md5Hex = (md5: Buffer) => md5.toString('hex').toUpperCase();

/** Content-MD5, if sent, must be the base64 of 16 bytes. */
export function expectedMd5(req: OssHttpRequest): Buffer | undefined {
  const header = req.headers.get('content-md5');
  if (header === undefined) return undefined;
  const bytes = Buffer.from(header, 'base64');
  if (bytes.length !== 16 || bytes.toString('base64') !== header) throw OssErrors.invalidDigest();
  return bytes;
}

/** Streams a body into a new blob, enforcing the size limit and Content-MD5; keeps nothing on failure. */
export async function storeBody(ctx: OssContext, body: Readable, limit: number, md5?: Buffer) {
  let written;
  try {
    written = await ctx.blobs.write(body, limit);
  } catch (e) {
    if (e instanceof BlobTooLargeError) throw OssErrors.entityTooLarge(limit);
    throw e;
  }
  if (md5 !== undefined && !md5.equals(written.md5)) {
    await ctx.blobs.delete(written.blobId);
    throw OssErrors.badDigest();
  }
  return written;
}

function declaredLength(req: OssHttpRequest, limit: number): void {
  const length = Number(req.headers.get('content-length') ?? '0');
  if (Number.isFinite(length) && length > limit) throw OssErrors.entityTooLarge(limit);
}

const putPermission = onObject('oss:PutObject');
const getPermission = onObject('oss:GetObject');

/** oss:PutObject, and what the new object's ACL and tags take. */
const createPermissions: BucketOperation['checks'] = (req, { bucket }) => {
  const resource = objectArn(bucket, req.key ?? '');
  return [{ permission: 'oss:PutObject', resource }, ...newObjectChecks(newObjectOptions(req.headers), resource)];
};

export const PutObject: OssOperation = {
  name: 'PutObject',
  rw: 'Write',
  headers: ['x-oss-storage-class', ...NEW_OBJECT_HEADERS, ...CALLBACK_HEADERS],
  args: CALLBACK_ARGS,
  needsBucket: true,
  checks: createPermissions,
  handle: async (req, ctx) => {
    const key = checkObjectKey(req.key);
    const md5 = expectedMd5(req);
    const storageClass = storageClassOf(req.headers, ctx.bucket.storageClass);
    const httpHeaders = standardHeaders(req.headers);
    const options = newObjectOptions(req.headers);
    declaredLength(req, ctx.limits.maxObjectSize);
    const callback = await requestCallback(req, ctx, req.headers.get('content-type') ?? 'application/octet-stream');
    // Refused before the body is read when the key is taken (the write itself decides, atomically).
    if (options.forbidOverwrite && (await ctx.store.oss.getObject(req.bucket, key)) !== undefined) throw OssErrors.fileAlreadyExists();
    const written = await storeBody(ctx, req.raw, ctx.limits.maxObjectSize, md5);
    const etag = md5Hex(written.md5);
    await writeObject(ctx, {
      bucket: req.bucket,
      key,
      blobId: written.blobId,
      size: written.size,
      etag,
      contentType: req.headers.get('content-type') ?? 'application/octet-stream',
      metadata: userMetadata(req.headers),
      objectType: 'Normal',
      lastModified: ctx.now,
      storageClass,
      httpHeaders,
      ...(options.acl !== undefined ? { acl: options.acl } : {}),
      ...(options.tags !== undefined ? { tags: options.tags } : {}),
    }, options.forbidOverwrite);
    const answer = { status: 200, headers: { etag: quoted(etag), 'content-md5': written.md5.toString('base64') } };
    const stored = { operation: 'PutObject', bucket: req.bucket, key, etag, size: written.size, mimeType: req.headers.get('content-type') ?? 'application/octet-stream', blobId: written.blobId, contentMd5: written.md5.toString('base64') } as const;
    return answerWithCallback(ctx, callback, stored, answer, req.host);
  },
};

function objectHeaders(o: ObjectRecord, now: Date): Record<string, string> {
  return {
    ...o.httpHeaders,
    etag: quoted(o.etag),
    'last-modified': httpDate(o.lastModified),
    'content-type': o.contentType,
    'x-oss-object-type': o.objectType,
    // Where the next append must start, as OSS tells of every appendable object.
    ...(o.objectType === 'Appendable' ? { 'x-oss-next-append-position': String(o.size) } : {}),
    'x-oss-storage-class': o.storageClass,
    ...(o.tags !== undefined && Object.keys(o.tags).length > 0 ? { 'x-oss-tagging-count': String(Object.keys(o.tags).length) } : {}),
    ...(o.restore ? { 'x-oss-restore': restoreState(o.restore, now) } : {}),
    'accept-ranges': 'bytes',
    ...metadataHeaders(o.metadata),
  };
}

/**
 * If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since, or with a prefix the same
 * four on a copy's source (x-oss-copy-source-if-match …). A failed one is named in the error's
 * Condition.
 */
export function checkConditions(req: OssHttpRequest, o: ObjectRecord, prefix = ''): void {
  const etag = quoted(o.etag);
  const seconds = Math.floor(o.lastModified.getTime() / 1000);
  // OSS names the condition as the plain header (If-Match), for a copy's source as well.
  const name = (h: string) => h.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
  const ifMatch = req.headers.get(`${prefix}if-match`);
  if (ifMatch !== undefined && ifMatch !== etag && ifMatch !== o.etag) throw OssErrors.preconditionFailed(name('if-match'));
  const ifUnmodified = req.headers.get(`${prefix}if-unmodified-since`);
  if (ifUnmodified !== undefined && seconds > Date.parse(ifUnmodified) / 1000) throw OssErrors.preconditionFailed(name('if-unmodified-since'));
  const ifNone = req.headers.get(`${prefix}if-none-match`);
  if (ifNone !== undefined && (ifNone === etag || ifNone === o.etag)) throw OssErrors.notModified();
  const ifModified = req.headers.get(`${prefix}if-modified-since`);
  if (ifModified !== undefined && seconds <= Date.parse(ifModified) / 1000) throw OssErrors.notModified();
}

/** bytes=a-b, a-, -n. An unreadable range is ignored (the whole object), as OSS does. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw OssErrors.invalidRange();
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw OssErrors.invalidRange();
  return { start, end };
}

async function readObject(req: BucketRequest, ctx: OssContext, withBody: boolean): Promise<OssResult> {
  const o = await requireObject(req, ctx);
  checkConditions(req, o);
  if (withBody) requireReadable(o, ctx.now);
  const headers = objectHeaders(o, ctx.now);
  for (const param of RESPONSE_OVERRIDES) {
    const v = req.params.get(param);
    if (v) headers[param.slice('response-'.length)] = checkHeaderValue(param, v);
  }
  const range = o.size === 0 ? undefined : parseRange(req.headers.get('range'), o.size);
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${o.size}`;
    headers['content-length'] = String(range.end - range.start + 1);
    return { status: 206, headers, ...(withBody ? { body: ctx.blobs.read(o.blobId, range) } : {}) };
  }
  headers['content-length'] = String(o.size);
  return { status: 200, headers, ...(withBody ? { body: ctx.blobs.read(o.blobId) } : {}) };
}

/** The response-* overrides of GET and HEAD. */
const RESPONSE_OVERRIDES = ['response-content-type', 'response-content-disposition', 'response-cache-control', 'response-content-encoding', 'response-expires', 'response-content-language'];

export const GetObject: OssOperation = { name: 'GetObject', rw: 'Read', needsBucket: true, args: RESPONSE_OVERRIDES, checks: getPermission, handle: (req, ctx) => readObject(req, ctx, true) };
export const HeadObject: OssOperation = { name: 'HeadObject', rw: 'Read', needsBucket: true, args: RESPONSE_OVERRIDES, checks: getPermission, handle: (req, ctx) => readObject(req, ctx, false) };

/** HEAD ?objectMeta: an object's ETag, size and time only. */
export const GetObjectMeta: OssOperation = {
  name: 'GetObjectMeta',
  rw: 'Read',
  needsBucket: true,
  checks: getPermission,
  handle: async (req, ctx) => {
    const o = await requireObject(req, ctx);
    return { status: 200, headers: { etag: quoted(o.etag), 'content-length': String(o.size), 'last-modified': httpDate(o.lastModified) } };
  },
};

export const DeleteObject: OssOperation = {
  name: 'DeleteObject',
  readsBody: false,
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:DeleteObject'),
  handle: async (req, ctx) => {
    const key = checkObjectKey(req.key);
    const blob = await ctx.store.oss.deleteObject(req.bucket, key);
    if (blob !== undefined) await ctx.blobs.delete(blob);
    return { status: 204 };
  },
};

/**
 * The keys of a <Delete> body, parsed (and every key checked) before authorization, so each key
 * can be authorized and a bad one refuses the request before anything is deleted.
 */
export async function deleteRequest(req: OssHttpRequest): Promise<{ keys: string[]; quiet: boolean }> {
  const body = await req.body(2 * 1024 * 1024);
  const md5 = expectedMd5(req);
  if (md5 !== undefined && !md5.equals(createHash('md5').update(body).digest())) throw OssErrors.badDigest();
  const doc = readDocument(body.toString('utf8'), 'Delete');
  const keys = children(doc, 'Object').map((o) => child(o, 'Key')?.text);
  if (keys.length === 0 || keys.length > 1000 || keys.some((k) => k === undefined)) throw OssErrors.malformedXml();
  for (const k of keys) checkObjectKey(k);
  return { keys: keys as string[], quiet: child(doc, 'Quiet')?.text.trim() === 'true' };
}

const parsedDeletes = new WeakMap<OssHttpRequest, { keys: string[]; quiet: boolean }>();

export const DeleteMultipleObjects: OssOperation = {
  name: 'DeleteMultipleObjects',
  rw: 'Write',
  needsBucket: true,
  // Every key is authorized: the body is read (and kept) before the handler runs.
  checks: async (req, { bucket }) => {
    const parsed = await deleteRequest(req);
    parsedDeletes.set(req, parsed);
    return parsed.keys.map((k) => ({ permission: 'oss:DeleteObject', resource: objectArn(bucket, k) }));
  },
  handle: async (req, ctx) => {
    const parsed = parsedDeletes.get(req) ?? (await deleteRequest(req));
    for (const key of parsed.keys) {
      const blob = await ctx.store.oss.deleteObject(req.bucket, key);
      if (blob !== undefined) await ctx.blobs.delete(blob);
    }
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: renderXml('DeleteResult', parsed.quiet ? {} : { Deleted: parsed.keys.map((Key) => ({ Key })) }) };
  },
};

/**
 * x-oss-copy-source: /<bucket>/<url-encoded key>[?versionId=<id>]. The version suffix is split off
 * the encoded text before decoding, so a key that holds a "?" (sent as %3F) stays whole; versions
 * are not implemented, so naming one is refused.
 */
export function copySource(req: OssHttpRequest): { bucket: string; key: string } {
  const raw = req.headers.get('x-oss-copy-source') ?? '';
  const q = raw.indexOf('?');
  if (q >= 0) throw OssErrors.notImplemented('x-oss-copy-source');
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    throw OssErrors.invalidArgument('x-oss-copy-source is not valid.', 'x-oss-copy-source', raw);
  }
  const m = /^\/?([^/]+)\/(.+)$/s.exec(decoded);
  if (!m) throw OssErrors.invalidArgument('x-oss-copy-source is not valid.', 'x-oss-copy-source', raw);
  return { bucket: m[1] ?? '', key: m[2] ?? '' };
}

/**
 * A copy's options: x-oss-tagging-directive Copy (the default: the source's tags) or Replace (the
 * request's x-oss-tagging, or none); its ACL is the request's, else 'default'.
 */
function copyOptions(req: OssHttpRequest) {
  const directive = req.headers.get('x-oss-tagging-directive');
  if (directive !== undefined && directive !== 'Copy' && directive !== 'Replace') throw OssErrors.invalidArgument('x-oss-tagging-directive must be Copy or Replace.', 'x-oss-tagging-directive', directive);
  return newObjectOptions(req.headers);
}

export const CopyObject: OssOperation = {
  name: 'CopyObject',
  readsBody: false,
  rw: 'Write',
  headers: [
    'x-oss-copy-source', 'x-oss-metadata-directive', 'x-oss-storage-class', 'x-oss-copy-source-if-match', 'x-oss-copy-source-if-none-match',
    'x-oss-copy-source-if-modified-since', 'x-oss-copy-source-if-unmodified-since', 'x-oss-tagging-directive', ...NEW_OBJECT_HEADERS,
  ],
  needsBucket: true,
  // The source's owner is checked through its ARN: a bucket of another account is refused.
  checks: async (req, { bucket, store }) => {
    const src = copySource(req);
    const sourceBucket = await store.oss.getBucket(src.bucket);
    if (sourceBucket === undefined) throw OssErrors.noSuchBucket(src.bucket);
    const target = objectArn(bucket, req.key ?? '');
    return [
      { permission: 'oss:GetObject', resource: objectArn(sourceBucket, src.key) },
      { permission: 'oss:PutObject', resource: target },
      ...newObjectChecks(copyOptions(req), target),
    ];
  },
  handle: async (req, ctx) => {
    const key = checkObjectKey(req.key);
    const src = copySource(req);
    const source = await ctx.store.oss.getObject(src.bucket, src.key);
    if (source === undefined) throw OssErrors.noSuchKey(src.key);
    checkConditions(req, source, 'x-oss-copy-source-');
    requireReadable(source, ctx.now);
    const storageClass = storageClassOf(req.headers, ctx.bucket.storageClass);
    const options = copyOptions(req);
    if (options.forbidOverwrite && (await ctx.store.oss.getObject(req.bucket, key)) !== undefined) throw OssErrors.fileAlreadyExists();
    const copied = await ctx.blobs.concat([source.blobId]);
    const replace = req.headers.get('x-oss-metadata-directive') === 'REPLACE';
    const { acl: _sourceAcl, tags: sourceTags, ...kept } = source;
    const tags = req.headers.get('x-oss-tagging-directive') === 'Replace' ? options.tags : sourceTags;
    await writeObject(ctx, {
      ...kept,
      ...(options.acl !== undefined ? { acl: options.acl } : {}),
      ...(tags !== undefined ? { tags } : {}),
      bucket: req.bucket,
      key,
      blobId: copied.blobId,
      metadata: replace ? userMetadata(req.headers) : source.metadata,
      contentType: replace ? (req.headers.get('content-type') ?? source.contentType) : source.contentType,
      httpHeaders: replace ? standardHeaders(req.headers) : source.httpHeaders,
      lastModified: ctx.now,
      storageClass,
      restore: undefined,
    }, options.forbidOverwrite);
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: renderXml('CopyObjectResult', { ETag: quoted(source.etag), LastModified: isoDate(ctx.now) }) };
  },
};

export const AppendObject: OssOperation = {
  name: 'AppendObject',
  rw: 'Write',
  args: ['position'],
  headers: ['x-oss-storage-class'],
  needsBucket: true,
  checks: putPermission,
  handle: async (req, ctx) => {
    const key = checkObjectKey(req.key);
    const position = req.params.get('position') ?? '';
    if (!/^\d+$/.test(position)) throw OssErrors.invalidArgument('position is not valid.', 'position', position);
    const existing = await ctx.store.oss.getObject(req.bucket, key);
    if (existing !== undefined && existing.objectType !== 'Appendable') throw OssErrors.objectNotAppendable();
    const length = existing?.size ?? 0;
    if (Number(position) !== length) throw OssErrors.positionNotEqualToLength(length);
    const md5 = expectedMd5(req);
    const metadata = existing?.metadata ?? userMetadata(req.headers);
    const storageClass = existing?.storageClass ?? storageClassOf(req.headers, ctx.bucket.storageClass);
    // An appendable object is written to again and again: it cannot live in an archive class.
    if (ARCHIVE_CLASSES.has(storageClass)) throw OssErrors.invalidArgument('An appendable object cannot be of an archive storage class.', 'x-oss-storage-class', storageClass);
    const httpHeaders = existing?.httpHeaders ?? standardHeaders(req.headers);
    const piece = await storeBody(ctx, req.raw, ctx.limits.maxObjectSize - length, md5);
    let whole = piece;
    if (existing !== undefined) {
      try {
        whole = await ctx.blobs.concat([existing.blobId, piece.blobId]);
      } catch (e) {
        // The bytes appended to may be gone because another append replaced them meanwhile.
        const now = await ctx.store.oss.getObject(req.bucket, key);
        if (now?.blobId === existing.blobId) throw e;
        throw OssErrors.positionNotEqualToLength(now?.size ?? 0);
      } finally {
        await ctx.blobs.delete(piece.blobId);
      }
    }
    // Written only if nobody appended meanwhile: of two appends at one position, one wins and
    // the other is told the length has moved on, as if it had arrived second.
    const written = await ctx.store.oss.putObjectIf(
      {
        bucket: req.bucket,
        key,
        blobId: whole.blobId,
        size: whole.size,
        etag: md5Hex(whole.md5),
        contentType: existing?.contentType ?? req.headers.get('content-type') ?? 'application/octet-stream',
        metadata,
        objectType: 'Appendable',
        lastModified: ctx.now,
        storageClass,
        httpHeaders,
      },
      existing?.blobId,
    );
    if (!written) {
      await ctx.blobs.delete(whole.blobId);
      const now = await ctx.store.oss.getObject(req.bucket, key);
      if (now !== undefined && now.objectType !== 'Appendable') throw OssErrors.objectNotAppendable();
      throw OssErrors.positionNotEqualToLength(now?.size ?? 0);
    }
    if (existing !== undefined) await ctx.blobs.delete(existing.blobId);
    return { status: 200, headers: { etag: quoted(md5Hex(whole.md5)), 'x-oss-next-append-position': String(whole.size) } };
  },
};
