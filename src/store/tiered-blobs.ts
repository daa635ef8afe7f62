// Object bytes in two tiers. Small objects (up to 64 KiB, the bulk of what devices upload) are
// kept in the database beside their metadata: their bytes and their row reach the disk in the
// same write-ahead log flush, instead of a file of their own to create, flush and rename (MinIO
// inlines small objects for the same reason). Larger ones stream to files as before. Ids tell
// the tiers apart: inline ids start with "i".
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { randomBytesPooled } from '../model/index.js';
import { BlobTooLargeError, type BlobStore, type WrittenBlob } from './blobs.js';
import type { OssRepository } from './oss.js';

export const INLINE_MAX_BYTES = 64 * 1024;

const isInline = (blobId: string) => blobId.startsWith('i');

type InlineBlobs = Pick<OssRepository, 'putInlineBlob' | 'getInlineBlob' | 'deleteInlineBlob'>;

export class TieredBlobStore implements BlobStore {
  constructor(
    private readonly files: BlobStore,
    private readonly inline: InlineBlobs,
    private readonly inlineMax = INLINE_MAX_BYTES,
  ) {}

  async write(body: Readable, maxBytes: number): Promise<WrittenBlob> {
    const chunks: Buffer[] = [];
    let size = 0;
    const source = (body as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      size += next.value.length;
      if (size > maxBytes) throw new BlobTooLargeError(`more than ${maxBytes} bytes`);
      chunks.push(next.value);
      if (size > this.inlineMax) {
        // Too big to keep inline: what was read so far, then the rest, goes to a file.
        const rest = { [Symbol.asyncIterator]: () => source };
        return this.files.write(Readable.from((async function* () {
          yield* chunks;
          yield* rest;
        })()), maxBytes);
      }
    }
    const data = Buffer.concat(chunks, size);
    const blobId = `i${randomBytesPooled(16).toString('hex')}`;
    await this.inline.putInlineBlob(blobId, data);
    return { blobId, size, md5: createHash('md5').update(data).digest() };
  }

  async concat(blobIds: string[]): Promise<WrittenBlob> {
    const read = (id: string) => this.read(id);
    return this.write(Readable.from((async function* () {
      for (const id of blobIds) yield* read(id) as AsyncIterable<Buffer>;
    })()), Number.MAX_SAFE_INTEGER);
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    if (!isInline(blobId)) return this.files.read(blobId, range);
    const inline = this.inline;
    return Readable.from((async function* () {
      const data = await inline.getInlineBlob(blobId);
      if (data === undefined) throw new Error(`blob ${blobId} is missing`);
      yield range ? data.subarray(range.start, range.end + 1) : data;
    })());
  }

  async delete(blobId: string): Promise<void> {
    if (isInline(blobId)) await this.inline.deleteInlineBlob(blobId);
    else await this.files.delete(blobId);
  }
}
