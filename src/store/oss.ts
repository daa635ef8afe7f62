// The object-storage part of the storage contract: buckets, object metadata, multipart uploads.
// Object bytes live in a BlobStore; records point at blobs by id.

export interface BucketRecord {
  bucket: string;
  accountId: string;
  region: string;
  storageClass: string;
  createdAt: Date;
}

export interface ObjectRecord {
  bucket: string;
  key: string;
  blobId: string;
  size: number;
  /** As OSS writes it: upper-case hex MD5 (or "<md5 of part md5s>-<parts>"), without quotes. */
  etag: string;
  contentType: string;
  /** x-oss-meta-* headers, lower-cased names without the prefix. */
  metadata: Record<string, string>;
  objectType: 'Normal' | 'Multipart' | 'Appendable';
  lastModified: Date;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: Date;
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  blobId: string;
  size: number;
  etag: string;
  lastModified: Date;
}

export interface OssRepository {
  createBucket(b: BucketRecord): Promise<void>;
  getBucket(bucket: string): Promise<BucketRecord | undefined>;
  listBuckets(accountId: string): Promise<BucketRecord[]>;
  deleteBucket(bucket: string): Promise<void>;
  countObjects(bucket: string): Promise<number>;

  /** Inserts or replaces; returns the blob of the object it replaced, if any. */
  putObject(o: ObjectRecord): Promise<string | undefined>;
  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /** Returns the blob of the deleted object, if there was one. */
  deleteObject(bucket: string, key: string): Promise<string | undefined>;
  /** Objects with keys ≥ prefix, after `after` (exclusive), in key order. */
  listObjects(bucket: string, prefix: string, after: string | undefined, limit: number): Promise<ObjectRecord[]>;

  createUpload(u: UploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  listUploads(bucket: string): Promise<UploadRecord[]>;
  deleteUpload(uploadId: string): Promise<string[]>;
  /** Inserts or replaces a part; returns the blob of the part it replaced, if any. */
  putPart(p: PartRecord): Promise<string | undefined>;
  listParts(uploadId: string): Promise<PartRecord[]>;

  /** Small blobs kept in the database (see TieredBlobStore). */
  putInlineBlob(blobId: string, data: Buffer): Promise<void>;
  getInlineBlob(blobId: string): Promise<Buffer | undefined>;
  deleteInlineBlob(blobId: string): Promise<void>;
}
