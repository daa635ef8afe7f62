import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { SecretBox } from '../../src/secrets/index.js';
import { FileBlobStore, INLINE_MAX_BYTES, openSqliteStore, TieredBlobStore } from '../../src/store/index.js';
import { BlobTooLargeError } from '../../src/store/blobs.js';

const box = new SecretBox(Buffer.alloc(32, 3));

async function withBlobs(fn: (blobs: TieredBlobStore, fileCount: () => number) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-blobs-'));
  const store = await openSqliteStore(dir, box);
  const filesDir = join(dir, 'blobs');
  const blobs = new TieredBlobStore(new FileBlobStore(filesDir), store.oss);
  const fileCount = () => readdirSync(join(filesDir, 'objects'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  try {
    await fn(blobs, fileCount);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const chunked = (data: Buffer, size = 1000) => Readable.from((function* () {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
})());
const text = async (r: Readable) => Buffer.concat(await r.toArray());
const bytes = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed) % 251));
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

test('tiered blobs: up to the inline limit in the database, past it in a file, bytes and digests intact', () =>
  withBlobs(async (blobs, fileCount) => {
    const small = bytes(INLINE_MAX_BYTES);
    const a = await blobs.write(chunked(small), Infinity);
    assert.match(a.blobId, /^i[0-9a-f]{32}$/);
    assert.equal(a.size, small.length);
    assert.equal(a.md5.toString('hex'), md5(small));
    assert.equal(fileCount(), 0);
    assert.deepEqual(await text(blobs.read(a.blobId)), small);

    const big = bytes(INLINE_MAX_BYTES + 1, 11);
    const b = await blobs.write(chunked(big, 4096), Infinity);
    assert.match(b.blobId, /^[0-9a-f]{32}$/);
    assert.equal(b.md5.toString('hex'), md5(big));
    assert.equal(fileCount(), 1);
    assert.deepEqual(await text(blobs.read(b.blobId)), big);
  }));

test('tiered blobs: ranges, concatenation across tiers, deletion and the size limit', () =>
  withBlobs(async (blobs, fileCount) => {
    const small = bytes(5000);
    const a = await blobs.write(chunked(small), Infinity);
    assert.deepEqual(await text(blobs.read(a.blobId, { start: 10, end: 19 })), small.subarray(10, 20));

    const big = bytes(INLINE_MAX_BYTES * 2, 13);
    const b = await blobs.write(chunked(big, 8192), Infinity);
    const joined = await blobs.concat([a.blobId, b.blobId, a.blobId]);
    const expected = Buffer.concat([small, big, small]);
    assert.equal(joined.md5.toString('hex'), md5(expected));
    assert.deepEqual(await text(blobs.read(joined.blobId)), expected);
    const twoSmall = await blobs.concat([a.blobId, a.blobId]);
    assert.match(twoSmall.blobId, /^i/, 'a small concatenation stays inline');

    await blobs.delete(a.blobId);
    await assert.rejects(text(blobs.read(a.blobId)), /missing/);
    const before = fileCount();
    await blobs.delete(b.blobId);
    assert.equal(fileCount(), before - 1);

    await assert.rejects(blobs.write(chunked(bytes(3000)), 2999), BlobTooLargeError);
    await assert.rejects(blobs.write(chunked(bytes(INLINE_MAX_BYTES + 5000)), INLINE_MAX_BYTES + 4999), BlobTooLargeError);
  }));
