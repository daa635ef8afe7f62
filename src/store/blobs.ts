// Object bytes on the filesystem. A blob is written to a temporary file while its MD5 and size
// are computed, flushed, and only then renamed into place, so a crash never leaves half an object
// visible. Blobs are named by random ids, never by object keys: no key can reach outside the store.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm, stat, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';

export interface WrittenBlob {
  blobId: string;
  size: number;
  md5: Buffer;
}

export class BlobTooLargeError extends Error {}

export interface BlobStore {
  /** Streams body into a new blob; fails (and keeps nothing) past maxBytes. */
  write(body: Readable, maxBytes: number): Promise<WrittenBlob>;
  /** Concatenates blobs into a new one, streaming. */
  concat(blobIds: string[]): Promise<WrittenBlob>;
  read(blobId: string, range?: { start: number; end: number }): Readable;
  size(blobId: string): Promise<number>;
  delete(blobId: string): Promise<void>;
}

export class FileBlobStore implements BlobStore {
  readonly #dir: string;
  readonly #tmp: string;

  constructor(root: string) {
    this.#dir = join(root, 'objects');
    this.#tmp = join(root, 'tmp');
    mkdirSync(this.#dir, { recursive: true });
    mkdirSync(this.#tmp, { recursive: true });
  }

  #path(blobId: string): string {
    if (!/^[0-9a-f]{32}$/.test(blobId)) throw new Error('not a blob id');
    return join(this.#dir, blobId.slice(0, 2), blobId);
  }

  async #commit(tmpPath: string): Promise<string> {
    const blobId = randomBytes(16).toString('hex');
    const path = this.#path(blobId);
    mkdirSync(join(this.#dir, blobId.slice(0, 2)), { recursive: true });
    const fh = await open(tmpPath, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmpPath, path);
    return blobId;
  }

  async write(body: Readable, maxBytes: number): Promise<WrittenBlob> {
    const tmpPath = join(this.#tmp, randomBytes(16).toString('hex'));
    const hash = createHash('md5');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) return done(new BlobTooLargeError(`more than ${maxBytes} bytes`));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmpPath));
      return { blobId: await this.#commit(tmpPath), size, md5: hash.digest() };
    } catch (e) {
      await rm(tmpPath, { force: true });
      throw e;
    }
  }

  async concat(blobIds: string[]): Promise<WrittenBlob> {
    const tmpPath = join(this.#tmp, randomBytes(16).toString('hex'));
    const hash = createHash('md5');
    let size = 0;
    const out = createWriteStream(tmpPath);
    try {
      for (const id of blobIds) {
        for await (const chunk of createReadStream(this.#path(id)) as AsyncIterable<Buffer>) {
          hash.update(chunk);
          size += chunk.length;
          if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        }
      }
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      return { blobId: await this.#commit(tmpPath), size, md5: hash.digest() };
    } catch (e) {
      out.destroy();
      await rm(tmpPath, { force: true });
      throw e;
    }
  }

  read(blobId: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.#path(blobId), range ? { start: range.start, end: range.end } : {});
  }

  async size(blobId: string): Promise<number> {
    return (await stat(this.#path(blobId))).size;
  }

  async delete(blobId: string): Promise<void> {
    await rm(this.#path(blobId), { force: true });
  }
}
