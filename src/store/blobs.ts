// Object bytes on the filesystem. A blob is written to a temporary file while its MD5 and size
// are computed, flushed, and only then renamed into place, so a crash never leaves half an object
// visible. Blobs are named by random ids, never by object keys: no key can reach outside the store.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { rename, rm, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomBytesPooled } from '../model/index.js';

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
  delete(blobId: string): Promise<void>;
}

export class FileBlobStore implements BlobStore {
  readonly #dir: string;
  readonly #tmp: string;
  readonly #madeDirs = new Set<string>();

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

  /** Creates each of the 256 fan-out directories once, on first use. */
  #fanOut(blobId: string): void {
    const prefix = blobId.slice(0, 2);
    if (this.#madeDirs.has(prefix)) return;
    mkdirSync(join(this.#dir, prefix), { recursive: true });
    this.#madeDirs.add(prefix);
  }

  /** Flushes the written temporary file and renames it into place under a new blob id. */
  async #commit(tmpPath: string, file?: FileHandle): Promise<string> {
    const blobId = randomBytesPooled(16).toString('hex');
    const path = this.#path(blobId);
    this.#fanOut(blobId);
    const fh = file ?? (await open(tmpPath, 'r'));
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmpPath, path);
    return blobId;
  }

  async write(body: Readable, maxBytes: number): Promise<WrittenBlob> {
    const tmpPath = join(this.#tmp, randomBytesPooled(16).toString('hex'));
    const hash = createHash('md5');
    let size = 0;
    // One descriptor from first byte to flush: the hot path of every upload.
    const fh = await open(tmpPath, 'w');
    let committing = false;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) throw new BlobTooLargeError(`more than ${maxBytes} bytes`);
        hash.update(chunk);
        await fh.write(chunk);
      }
      committing = true;
      return { blobId: await this.#commit(tmpPath, fh), size, md5: hash.digest() };
    } catch (e) {
      if (!committing) await fh.close();
      await rm(tmpPath, { force: true });
      throw e;
    }
  }

  async concat(blobIds: string[]): Promise<WrittenBlob> {
    const tmpPath = join(this.#tmp, randomBytesPooled(16).toString('hex'));
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

  async delete(blobId: string): Promise<void> {
    await rm(this.#path(blobId), { force: true });
  }
}
