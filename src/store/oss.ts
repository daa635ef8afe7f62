// The object-storage part of the storage contract: buckets, object metadata, multipart uploads.
// Object bytes live in a BlobStore; records point at blobs by id.

/** A bucket's canned ACL; an object's may also be 'default' (its bucket's). */
export type BucketAcl = 'private' | 'public-read' | 'public-read-write';
export type ObjectAcl = BucketAcl | 'default';

/** The documents a bucket's owner may set, kept as written. */
export type BucketConfigKind = 'policy' | 'cors' | 'lifecycle';

export interface BucketRecord {
  bucket: string;
  accountId: string;
  region: string;
  storageClass: string;
  createdAt: Date;
  /** Read with the bucket (every request needs them): its ACL, bucket policy and CORS rules. */
  acl?: BucketAcl;
  policy?: string;
  cors?: string;
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
  /** Standard, IA, Archive, ColdArchive or DeepColdArchive (the last three read only once restored). */
  storageClass: string;
  /** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires, as written (lower-case names). */
  httpHeaders: Record<string, string>;
  /** An archived object's restored copy: readable from readyAt until expiresAt. */
  restore?: { readyAt: Date; expiresAt: Date };
  /** Absent: 'default' (the bucket's ACL decides). */
  acl?: ObjectAcl;
  /** Absent: no tags. In the order given. */
  tags?: Record<string, string>;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  metadata: Record<string, string>;
  initiated: Date;
  /** The storage class and standard headers the completed object will have. */
  storageClass: string;
  httpHeaders: Record<string, string>;
  /** The ACL and tags the completed object will have. */
  acl?: ObjectAcl;
  tags?: Record<string, string>;
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
  /** Removes the bucket and its documents. */
  deleteBucket(bucket: string): Promise<void>;
  setBucketAcl(bucket: string, acl: BucketAcl): Promise<void>;
  getBucketConfig(bucket: string, kind: BucketConfigKind): Promise<string | undefined>;
  putBucketConfig(bucket: string, kind: BucketConfigKind, document: string): Promise<void>;
  deleteBucketConfig(bucket: string, kind: BucketConfigKind): Promise<void>;
  /** Buckets that have a document of this kind, in name order, after `after`. */
  bucketsWithConfig(kind: BucketConfigKind, after: string, limit: number): Promise<{ bucket: string; document: string }[]>;
  countObjects(bucket: string): Promise<number>;

  /** Inserts or replaces; returns the blob of the object it replaced, if any. */
  putObject(o: ObjectRecord): Promise<string | undefined>;
  /**
   * Writes the object only if the key still holds the blob `expected` (undefined: no object), in
   * one statement, so of two writers that read the same state only one succeeds. False if not.
   */
  putObjectIf(o: ObjectRecord, expected: string | undefined): Promise<boolean>;
  getObject(bucket: string, key: string): Promise<ObjectRecord | undefined>;
  /** Records (or extends) an archived object's restore; false if the object is gone or another blob. */
  setRestore(bucket: string, key: string, blobId: string, restore: { readyAt: Date; expiresAt: Date }): Promise<boolean>;
  /** Sets an object's ACL or tags if it still holds `blobId`; false if it is gone or another blob. */
  setObjectAcl(bucket: string, key: string, blobId: string, acl: ObjectAcl): Promise<boolean>;
  setObjectTags(bucket: string, key: string, blobId: string, tags: Record<string, string>): Promise<boolean>;
  /**
   * Deletes the object only if it still holds `blobId` and, when given, exactly these tags (a
   * sweep must not delete a newer write, nor one retagged out of its rule).
   */
  deleteObjectIf(bucket: string, key: string, blobId: string, tags?: Record<string, string>): Promise<boolean>;
  /** Returns the blob of the deleted object, if there was one. */
  deleteObject(bucket: string, key: string): Promise<string | undefined>;
  /** Objects with keys ≥ prefix, after `after` (exclusive), in key order. */
  listObjects(bucket: string, prefix: string, after: string | undefined, limit: number): Promise<ObjectRecord[]>;

  createUpload(u: UploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /** In key order, a key's uploads in upload-id order. */
  listUploads(bucket: string): Promise<UploadRecord[]>;
  /**
   * Ends an upload (to complete or abort it): removes it and its parts and returns the parts, or
   * undefined if it was already gone. Run it in a transaction: then of two callers only one ever
   * gets the parts (the other's transaction finds the upload gone).
   */
  claimUpload(uploadId: string): Promise<PartRecord[] | undefined>;
  /** Inserts or replaces a part; returns the blob of the part it replaced, if any. */
  putPart(p: PartRecord): Promise<string | undefined>;
  listParts(uploadId: string): Promise<PartRecord[]>;

  /** Small blobs kept in the database (see TieredBlobStore). */
  putInlineBlob(blobId: string, data: Buffer): Promise<void>;
  getInlineBlob(blobId: string): Promise<Buffer | undefined>;
  deleteInlineBlob(blobId: string): Promise<void>;
}
