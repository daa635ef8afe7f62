// Multipart uploads: Initiate, UploadPart, UploadPartCopy (a part copied from a range of an
// existing object), Complete (ETag = MD5 of the parts' MD5s, then "-<count>", as the real service
// computes it), Abort, ListParts, ListMultipartUploads.
import { createHash, randomBytes } from 'node:crypto';
import { OssErrors } from './errors.js';
import { child, children, readDocument, renderXml, xmlAnswer } from './xml.js';
import type { OssHttpRequest } from './operation.js';
import { listingEncoder, maxItems } from './listing.js';
import type { ObjectRecord, UploadRecord, WrittenBlob } from '../../store/index.js';
import { checkObjectKey, standardHeaders, storageClassOf, userMetadata } from './names.js';
import { checkConditions, copySource, expectedMd5, md5Hex, storeBody } from './objects.js';
import { requireReadable } from './restore.js';
import { bucketArn, isoDate, objectArn, onObject, quoted, type OssContext, type OssOperation } from './operation.js';
import { NEW_OBJECT_HEADERS, newObjectChecks, newObjectOptions } from './new-object.js';
import { answerWithCallback, CALLBACK_ARGS, CALLBACK_HEADERS, requestCallback } from './callback/callback.js';


async function requireUpload(req: OssHttpRequest, ctx: OssContext) {
  const uploadId = req.params.get('uploadId') ?? '';
  const upload = await ctx.store.oss.getUpload(uploadId);
  if (upload === undefined || upload.bucket !== req.bucket || upload.key !== req.key) throw OssErrors.noSuchUpload(uploadId);
  return upload;
}


export const InitiateMultipartUpload: OssOperation = {
  name: 'InitiateMultipartUpload',
  readsBody: false,
  rw: 'Write',
  headers: ['x-oss-storage-class', ...NEW_OBJECT_HEADERS],
  needsBucket: true,
  // The ACL and tags are the completed object's: they take their permissions now.
  checks: (req, { bucket }) => {
    const resource = objectArn(bucket, req.key ?? '');
    return [{ permission: 'oss:PutObject', resource }, ...newObjectChecks(newObjectOptions(req.headers), resource)];
  },
  handle: async (req, ctx) => {
    const key = checkObjectKey(req.key);
    const options = newObjectOptions(req.headers);
    if (options.forbidOverwrite && (await ctx.store.oss.getObject(req.bucket, key)) !== undefined) throw OssErrors.fileAlreadyExists();
    const uploadId = randomBytes(16).toString('hex').toUpperCase();
    await ctx.store.oss.createUpload({
      uploadId,
      bucket: req.bucket,
      key,
      contentType: req.headers.get('content-type') ?? 'application/octet-stream',
      metadata: userMetadata(req.headers),
      initiated: ctx.now,
      storageClass: storageClassOf(req.headers, ctx.bucket.storageClass),
      httpHeaders: standardHeaders(req.headers),
      ...(options.acl !== undefined ? { acl: options.acl } : {}),
      ...(options.tags !== undefined ? { tags: options.tags } : {}),
    });
    return xmlAnswer('InitiateMultipartUploadResult', { Bucket: req.bucket, Key: key, UploadId: uploadId });
  },
};

/** ?partNumber: 1 to 10000. */
function partNumberOf(req: OssHttpRequest): number {
  const partNumber = req.params.get('partNumber') ?? '';
  if (!/^\d{1,5}$/.test(partNumber) || Number(partNumber) < 1 || Number(partNumber) > 10000) {
    throw OssErrors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive.', 'partNumber', partNumber);
  }
  return Number(partNumber);
}

/** Records a written blob as the upload's part (replacing one of that number); returns the part's ETag. */
async function storePart(ctx: OssContext, upload: UploadRecord, partNumber: number, written: WrittenBlob): Promise<string> {
  const etag = md5Hex(written.md5);
  let previous: string | undefined;
  try {
    previous = await ctx.store.oss.putPart({ uploadId: upload.uploadId, partNumber, blobId: written.blobId, size: written.size, etag, lastModified: ctx.now });
  } catch (e) {
    // Completed or aborted while this part was written (a part needs its upload): it belongs to nothing.
    if ((await ctx.store.oss.getUpload(upload.uploadId)) !== undefined) throw e;
    await ctx.blobs.delete(written.blobId);
    throw OssErrors.noSuchUpload(upload.uploadId);
  }
  if (previous !== undefined) await ctx.blobs.delete(previous);
  return etag;
}

export const UploadPart: OssOperation = {
  name: 'UploadPart',
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:PutObject'),
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const partNumber = partNumberOf(req);
    const md5 = expectedMd5(req);
    const length = Number(req.headers.get('content-length') ?? '0');
    if (Number.isFinite(length) && length > ctx.limits.maxPartSize) throw OssErrors.entityTooLarge(ctx.limits.maxPartSize);
    const written = await storeBody(ctx, req.raw, ctx.limits.maxPartSize, md5);
    const etag = await storePart(ctx, upload, partNumber, written);
    return { status: 200, headers: { etag: quoted(etag) } };
  },
};

/**
 * x-oss-copy-source-range: bytes=first-last, both inclusive. Absent: the whole source. One that
 * does not follow that form copies the whole source too (OSS documents this); one that reaches
 * past the source's end is refused. [U: InvalidArgument is the code OSS gives its S3-compatible
 * x-amz-copy-source-range for this (0042-00000306); assumed the same for its own header]
 */
function copyRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = header === undefined ? null : /^bytes=(\d{1,16})-(\d{1,16})$/.exec(header.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return undefined;
  if (end >= size) throw OssErrors.invalidArgument('The copy range is beyond the end of the source object.', 'x-oss-copy-source-range', header);
  return { start, end };
}

const COPY_ATTEMPTS = 3;

/**
 * The source's bytes (a range of them) written as a new blob, streamed. The source is read again
 * if it was replaced or deleted while its bytes were being read (its blob is let go then): its
 * conditions and range are judged against what is copied.
 */
async function copySourceBytes(req: OssHttpRequest, ctx: OssContext, src: { bucket: string; key: string }) {
  for (let attempt = 1; ; attempt++) {
    const source: ObjectRecord | undefined = await ctx.store.oss.getObject(src.bucket, src.key);
    if (source === undefined) throw OssErrors.noSuchKey(src.key);
    checkConditions(req, source, 'x-oss-copy-source-');
    requireReadable(source, ctx.now);
    const range = source.size === 0 ? undefined : copyRange(req.headers.get('x-oss-copy-source-range'), source.size);
    const length = range === undefined ? source.size : range.end - range.start + 1;
    if (length > ctx.limits.maxPartSize) throw OssErrors.entityTooLarge(ctx.limits.maxPartSize);
    try {
      const written = await storeBody(ctx, ctx.blobs.read(source.blobId, range), ctx.limits.maxPartSize);
      return { source, range, written };
    } catch (e) {
      const now = await ctx.store.oss.getObject(src.bucket, src.key);
      if (attempt >= COPY_ATTEMPTS || now?.blobId === source.blobId) throw e;
    }
  }
}

/**
 * PUT ?partNumber&uploadId with x-oss-copy-source: a part copied from a range of an existing object
 * (in this bucket or another of the same region), with oss:GetObject on the source and
 * oss:PutObject on the target. The part's ETag is the MD5 of the bytes copied.
 */
export const UploadPartCopy: OssOperation = {
  name: 'UploadPartCopy',
  readsBody: false,
  rw: 'Write',
  headers: [
    'x-oss-copy-source', 'x-oss-copy-source-range', 'x-oss-copy-source-if-match', 'x-oss-copy-source-if-none-match',
    'x-oss-copy-source-if-modified-since', 'x-oss-copy-source-if-unmodified-since',
  ],
  needsBucket: true,
  // The source's owner is checked through its ARN: a bucket of another account is refused.
  checks: async (req, { bucket, store }) => {
    const src = copySource(req);
    const sourceBucket = await store.oss.getBucket(src.bucket);
    if (sourceBucket === undefined) throw OssErrors.noSuchBucket(src.bucket);
    return [
      { permission: 'oss:GetObject', resource: objectArn(sourceBucket, src.key) },
      { permission: 'oss:PutObject', resource: objectArn(bucket, req.key ?? '') },
    ];
  },
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const partNumber = partNumberOf(req);
    const src = copySource(req);
    const sourceBucket = await ctx.store.oss.getBucket(src.bucket);
    if (sourceBucket === undefined) throw OssErrors.noSuchBucket(src.bucket);
    // OSS copies parts only between buckets of one region. [U: the error it answers with]
    if (sourceBucket.region !== ctx.bucket.region) throw OssErrors.invalidArgument('The source bucket must be in the same region as the target bucket.', 'x-oss-copy-source', req.headers.get('x-oss-copy-source'));
    const { source, range, written } = await copySourceBytes(req, ctx, src);
    const etag = await storePart(ctx, upload, partNumber, written);
    return {
      status: 200,
      headers: {
        'content-type': 'application/xml',
        etag: quoted(etag),
        // The range copied, of the whole source's length (OSS documents it; none when the whole source was copied).
        ...(range !== undefined ? { 'content-range': `bytes ${range.start}-${range.end}/${source.size}` } : {}),
      },
      body: renderXml('CopyPartResult', { LastModified: isoDate(ctx.now), ETag: quoted(etag) }),
    };
  },
};

export const CompleteMultipartUpload: OssOperation = {
  name: 'CompleteMultipartUpload',
  rw: 'Write',
  headers: ['x-oss-complete-all', 'x-oss-forbid-overwrite', ...CALLBACK_HEADERS],
  args: CALLBACK_ARGS,
  needsBucket: true,
  checks: onObject('oss:PutObject'),
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const callback = await requestCallback(req, ctx, upload.contentType);
    const { forbidOverwrite } = newObjectOptions(req.headers);
    if (forbidOverwrite && (await ctx.store.oss.getObject(upload.bucket, upload.key)) !== undefined) throw OssErrors.fileAlreadyExists();
    const stored = new Map((await ctx.store.oss.listParts(upload.uploadId)).map((p) => [p.partNumber, p]));
    let chosen;
    if (req.headers.get('x-oss-complete-all') === 'yes') {
      chosen = [...stored.values()];
    } else {
      const doc = readDocument((await req.body()).toString('utf8'), 'CompleteMultipartUpload');
      const listed = children(doc, 'Part').map((p) => ({ number: Number(child(p, 'PartNumber')?.text), etag: (child(p, 'ETag')?.text ?? '').replace(/"/g, '').toUpperCase() }));
      if (listed.length === 0 || listed.some((p) => !Number.isInteger(p.number))) throw OssErrors.malformedXml();
      chosen = listed.map((p, i) => {
        if (i > 0 && p.number <= (listed[i - 1]?.number ?? 0)) throw OssErrors.invalidPartOrder();
        const part = stored.get(p.number);
        if (part === undefined || part.etag !== p.etag) throw OssErrors.invalidPart();
        return part;
      });
    }
    if (chosen.length === 0) throw OssErrors.invalidPart();
    chosen.slice(0, -1).forEach((p) => {
      if (p.size < ctx.limits.minPartSize) throw OssErrors.entityTooSmall();
    });
    let whole;
    try {
      whole = await ctx.blobs.concat(chosen.map((p) => p.blobId));
    } catch (e) {
      // Another Complete or an Abort took the upload meanwhile, or a part was uploaded again.
      if ((await ctx.store.oss.getUpload(upload.uploadId)) === undefined) throw OssErrors.noSuchUpload(upload.uploadId);
      const now = new Map((await ctx.store.oss.listParts(upload.uploadId)).map((p) => [p.partNumber, p.blobId]));
      if (chosen.some((p) => now.get(p.partNumber) !== p.blobId)) throw OssErrors.invalidPart();
      throw e;
    }
    const etag = `${createHash('md5').update(Buffer.concat(chosen.map((p) => Buffer.from(p.etag, 'hex')))).digest('hex').toUpperCase()}-${chosen.length}`;
    const record: ObjectRecord = {
      bucket: upload.bucket,
      key: upload.key,
      blobId: whole.blobId,
      size: whole.size,
      etag,
      contentType: upload.contentType,
      metadata: upload.metadata,
      objectType: 'Multipart',
      lastModified: ctx.now,
      storageClass: upload.storageClass,
      httpHeaders: upload.httpHeaders,
      ...(upload.acl !== undefined ? { acl: upload.acl } : {}),
      ...(upload.tags !== undefined ? { tags: upload.tags } : {}),
    };
    // Only one of several concurrent completions gets the upload; the others find it gone. The
    // upload ends and the object appears in one transaction: a crash between them lost the parts.
    const claimed = await ctx.store.transaction(async (tx) => {
      const parts = await tx.oss.claimUpload(upload.uploadId);
      if (parts === undefined) return undefined;
      if (forbidOverwrite) return { parts, written: await tx.oss.putObjectIf(record, undefined), previous: undefined };
      return { parts, written: true, previous: await tx.oss.putObject(record) };
    });
    if (claimed === undefined) {
      await ctx.blobs.delete(whole.blobId);
      throw OssErrors.noSuchUpload(upload.uploadId);
    }
    // The parts are let go whether or not the object may be written: the upload is over.
    for (const part of claimed.parts) await ctx.blobs.delete(part.blobId);
    if (!claimed.written) {
      await ctx.blobs.delete(whole.blobId);
      throw OssErrors.fileAlreadyExists();
    }
    if (claimed.previous !== undefined && claimed.previous !== whole.blobId) await ctx.blobs.delete(claimed.previous);
    const answer = xmlAnswer('CompleteMultipartUploadResult', { Location: `/${upload.bucket}/${upload.key}`, Bucket: upload.bucket, Key: upload.key, ETag: quoted(etag) });
    const completed = { operation: 'CompleteMultipartUpload', bucket: upload.bucket, key: upload.key, etag, size: whole.size, mimeType: upload.contentType, blobId: whole.blobId } as const;
    return answerWithCallback(ctx, callback, completed, answer, req.host);
  },
};

export const AbortMultipartUpload: OssOperation = {
  name: 'AbortMultipartUpload',
  readsBody: false,
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:AbortMultipartUpload'),
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const parts = await ctx.store.transaction((tx) => tx.oss.claimUpload(upload.uploadId));
    if (parts === undefined) throw OssErrors.noSuchUpload(upload.uploadId);
    for (const part of parts) await ctx.blobs.delete(part.blobId);
    return { status: 204 };
  },
};

export const ListParts: OssOperation = {
  name: 'ListParts',
  rw: 'Read',
  args: ['max-parts', 'part-number-marker', 'encoding-type'],
  needsBucket: true,
  checks: onObject('oss:ListParts'),
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const markerText = req.params.get('part-number-marker') || '0';
    if (!/^\d{1,5}$/.test(markerText)) throw OssErrors.invalidArgument('part-number-marker is not valid.', 'part-number-marker', markerText);
    const marker = Number(markerText);
    const max = maxItems(req, 'max-parts', 1000);
    const { encode, field } = listingEncoder(req);
    const parts = (await ctx.store.oss.listParts(upload.uploadId)).filter((p) => p.partNumber > marker);
    const page = parts.slice(0, max);
    const truncated = parts.length > max;
    return xmlAnswer('ListPartsResult', {
      Bucket: upload.bucket,
      Key: encode(upload.key),
      ...field,
      UploadId: upload.uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: page[page.length - 1]?.partNumber ?? marker,
      MaxParts: max,
      IsTruncated: truncated,
      Part: page.map((p) => ({ PartNumber: p.partNumber, LastModified: isoDate(p.lastModified), ETag: quoted(p.etag), Size: p.size })),
    });
  },
};

export const ListMultipartUploads: OssOperation = {
  name: 'ListMultipartUploads',
  rw: 'Read',
  args: ['prefix', 'delimiter', 'key-marker', 'upload-id-marker', 'max-uploads', 'encoding-type'],
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:ListMultipartUploads', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    const prefix = req.params.get('prefix') ?? '';
    const delimiter = req.params.get('delimiter') ?? '';
    const keyMarker = req.params.get('key-marker') ?? '';
    const uploadIdMarker = req.params.get('upload-id-marker') ?? '';
    const max = maxItems(req, 'max-uploads', 1000);
    const { encode, field } = listingEncoder(req);
    // In key order, a key's uploads in upload-id order; after the markers: keys after key-marker,
    // and with upload-id-marker, the key-marker's own uploads after that id.
    const after = (u: UploadRecord) => (keyMarker === '' ? true : u.key > keyMarker || (uploadIdMarker !== '' && u.key === keyMarker && u.uploadId > uploadIdMarker));
    const uploads: UploadRecord[] = [];
    const prefixes: string[] = [];
    let truncated = false;
    let last: { key: string; uploadId: string } | undefined;
    for (const u of await ctx.store.oss.listUploads(req.bucket)) {
      if (!u.key.startsWith(prefix) || !after(u)) continue;
      const cut = delimiter === '' ? -1 : u.key.indexOf(delimiter, prefix.length);
      const common = cut < 0 ? undefined : u.key.slice(0, cut + delimiter.length);
      if (common !== undefined && prefixes[prefixes.length - 1] === common) continue;
      if (uploads.length + prefixes.length === max) {
        truncated = true;
        break;
      }
      if (common !== undefined) prefixes.push(common);
      else uploads.push(u);
      last = { key: common ?? u.key, uploadId: common === undefined ? u.uploadId : '' };
    }
    return xmlAnswer('ListMultipartUploadsResult', {
      Bucket: req.bucket,
      KeyMarker: encode(keyMarker),
      UploadIdMarker: uploadIdMarker,
      NextKeyMarker: truncated ? encode(last?.key ?? '') : '',
      NextUploadIdMarker: truncated ? (last?.uploadId ?? '') : '',
      Delimiter: encode(delimiter),
      Prefix: encode(prefix),
      ...field,
      MaxUploads: max,
      IsTruncated: truncated,
      Upload: uploads.map((u) => ({ Key: encode(u.key), UploadId: u.uploadId, Initiated: isoDate(u.initiated), StorageClass: u.storageClass })),
      CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
    });
  },
};
