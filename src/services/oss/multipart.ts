// Multipart uploads: Initiate, UploadPart, Complete (ETag = MD5 of the parts' MD5s, then
// "-<count>", as the real service computes it), Abort, ListParts, ListMultipartUploads.
import { createHash, randomBytes } from 'node:crypto';
import { OssErrors } from './errors.js';
import { child, children, parseXml, xmlAnswer, XmlSyntaxError } from './xml.js';
import type { OssHttpRequest } from './operation.js';
import { listingEncoder, maxItems } from './listing.js';
import type { UploadRecord } from '../../store/index.js';
import { checkObjectKey, standardHeaders, storageClassOf, userMetadata } from './names.js';
import { expectedMd5, md5Hex, storeBody } from './objects.js';
import { bucketArn, isoDate, onObject, quoted, type OssContext, type OssOperation } from './operation.js';


async function requireUpload(req: OssHttpRequest, ctx: OssContext) {
  const uploadId = req.params.get('uploadId') ?? '';
  const upload = await ctx.store.oss.getUpload(uploadId);
  if (upload === undefined || upload.bucket !== req.bucket || upload.key !== req.key) throw OssErrors.noSuchUpload(uploadId);
  return upload;
}


export const InitiateMultipartUpload: OssOperation = {
  name: 'InitiateMultipartUpload',
  rw: 'Write',
  headers: ['x-oss-storage-class'],
  needsBucket: true,
  checks: onObject('oss:PutObject'),
  handle: async (req, ctx) => {
    const key = checkObjectKey(req.key);
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
    });
    return xmlAnswer('InitiateMultipartUploadResult', { Bucket: req.bucket, Key: key, UploadId: uploadId });
  },
};

export const UploadPart: OssOperation = {
  name: 'UploadPart',
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:PutObject'),
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const partNumber = req.params.get('partNumber') ?? '';
    if (!/^\d{1,5}$/.test(partNumber) || Number(partNumber) < 1 || Number(partNumber) > 10000) {
      throw OssErrors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive.', 'partNumber', partNumber);
    }
    const md5 = expectedMd5(req);
    const length = Number(req.headers.get('content-length') ?? '0');
    if (Number.isFinite(length) && length > ctx.limits.maxPartSize) throw OssErrors.entityTooLarge(ctx.limits.maxPartSize);
    const written = await storeBody(ctx, req.raw, ctx.limits.maxPartSize, md5);
    const etag = md5Hex(written.md5);
    let previous: string | undefined;
    try {
      previous = await ctx.store.oss.putPart({ uploadId: upload.uploadId, partNumber: Number(partNumber), blobId: written.blobId, size: written.size, etag, lastModified: ctx.now });
    } catch (e) {
      // Completed or aborted while this part streamed in (a part needs its upload): it belongs to nothing.
      if ((await ctx.store.oss.getUpload(upload.uploadId)) !== undefined) throw e;
      await ctx.blobs.delete(written.blobId);
      throw OssErrors.noSuchUpload(upload.uploadId);
    }
    if (previous !== undefined) await ctx.blobs.delete(previous);
    return { status: 200, headers: { etag: quoted(etag) } };
  },
};

export const CompleteMultipartUpload: OssOperation = {
  name: 'CompleteMultipartUpload',
  rw: 'Write',
  headers: ['x-oss-complete-all'],
  needsBucket: true,
  checks: onObject('oss:PutObject'),
  handle: async (req, ctx) => {
    const upload = await requireUpload(req, ctx);
    const stored = new Map((await ctx.store.oss.listParts(upload.uploadId)).map((p) => [p.partNumber, p]));
    let chosen;
    if (req.headers.get('x-oss-complete-all') === 'yes') {
      chosen = [...stored.values()];
    } else {
      let doc;
      try {
        doc = parseXml((await req.body()).toString('utf8'));
      } catch (e) {
        if (e instanceof XmlSyntaxError) throw OssErrors.malformedXml();
        throw e;
      }
      if (doc.name !== 'CompleteMultipartUpload') throw OssErrors.malformedXml();
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
    // Only one of several concurrent completions gets the upload; the others find it gone.
    const parts = await ctx.store.transaction((tx) => tx.oss.claimUpload(upload.uploadId));
    if (parts === undefined) {
      await ctx.blobs.delete(whole.blobId);
      throw OssErrors.noSuchUpload(upload.uploadId);
    }
    const etag = `${createHash('md5').update(Buffer.concat(chosen.map((p) => Buffer.from(p.etag, 'hex')))).digest('hex').toUpperCase()}-${chosen.length}`;
    const previous = await ctx.store.oss.putObject({
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
    });
    if (previous !== undefined) await ctx.blobs.delete(previous);
    for (const part of parts) await ctx.blobs.delete(part.blobId);
    return xmlAnswer('CompleteMultipartUploadResult', { Location: `/${upload.bucket}/${upload.key}`, Bucket: upload.bucket, Key: upload.key, ETag: quoted(etag) });
  },
};

export const AbortMultipartUpload: OssOperation = {
  name: 'AbortMultipartUpload',
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
