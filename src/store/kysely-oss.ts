import type { Kysely, Selectable } from 'kysely';
import type { BucketAcl, BucketConfigKind, BucketRecord, ObjectAcl, ObjectRecord, OssRepository, PartRecord, UploadRecord } from './oss.js';
import type { Database, OssObjectsTable, OssUploadsTable } from './schema.js';
import { unique } from './unique.js';

/**
 * Tags as stored: one canonical text for one set of tags (pairs sorted by key; '{}' for none), so
 * a write conditional on an object's tags compares text. Read back in that order.
 */
export function tagsColumn(tags: Record<string, string> | undefined): string {
  const pairs = Object.entries(tags ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return pairs.length === 0 ? '{}' : JSON.stringify(pairs);
}

function tagsOf(text: string): { tags?: Record<string, string> } {
  return text === '{}' ? {} : { tags: Object.fromEntries(JSON.parse(text) as [string, string][]) };
}

const object = (r: Selectable<OssObjectsTable>): ObjectRecord => ({
  bucket: r.bucket,
  key: r.object_key,
  blobId: r.blob_id,
  size: Number(r.size),
  etag: r.etag,
  contentType: r.content_type,
  metadata: JSON.parse(r.metadata) as Record<string, string>,
  objectType: r.object_type,
  lastModified: new Date(r.last_modified),
  storageClass: r.storage_class,
  httpHeaders: JSON.parse(r.http_headers) as Record<string, string>,
  ...(r.restore_ready && r.restore_expiry ? { restore: { readyAt: new Date(r.restore_ready), expiresAt: new Date(r.restore_expiry) } } : {}),
  ...(r.acl !== 'default' ? { acl: r.acl as ObjectAcl } : {}),
  ...tagsOf(r.tags),
});

const upload = (r: Selectable<OssUploadsTable>): UploadRecord => ({
  uploadId: r.upload_id,
  bucket: r.bucket,
  key: r.object_key,
  contentType: r.content_type,
  metadata: JSON.parse(r.metadata) as Record<string, string>,
  initiated: new Date(r.initiated),
  storageClass: r.storage_class,
  httpHeaders: JSON.parse(r.http_headers) as Record<string, string>,
  ...(r.acl !== 'default' ? { acl: r.acl as ObjectAcl } : {}),
  ...tagsOf(r.tags),
});

const objectRow = (o: ObjectRecord) => ({
  bucket: o.bucket,
  object_key: o.key,
  blob_id: o.blobId,
  size: o.size,
  etag: o.etag,
  content_type: o.contentType,
  metadata: JSON.stringify(o.metadata),
  object_type: o.objectType,
  last_modified: o.lastModified.toISOString(),
  storage_class: o.storageClass,
  http_headers: JSON.stringify(o.httpHeaders),
  restore_ready: o.restore?.readyAt.toISOString() ?? null,
  restore_expiry: o.restore?.expiresAt.toISOString() ?? null,
  acl: o.acl ?? 'default',
  tags: tagsColumn(o.tags),
});

const bucketOf = (r: { bucket: string; account_id: string; region: string; storage_class: string; created_at: string; acl: string }): BucketRecord => ({
  bucket: r.bucket,
  accountId: r.account_id,
  region: r.region,
  storageClass: r.storage_class,
  createdAt: new Date(r.created_at),
  acl: r.acl as BucketAcl,
});

export class KyselyOssRepository implements OssRepository {
  constructor(
    private readonly db: Kysely<Database>,
    /** Told of every change to a bucket's record or documents (its ACL, policy, CORS): read caches of buckets follow it. */
    private readonly touch: (accountId: string) => void,
  ) {}

  /**
   * Makes a change to a bucket, then announces it as its owner's: after the write, so a read that
   * began before it is stale and one that begins after sees it.
   */
  private async changeBucket(bucket: string, write: () => Promise<unknown>): Promise<void> {
    const row = await this.db.selectFrom('oss_buckets').select('account_id').where('bucket', '=', bucket).executeTakeFirst();
    await write();
    if (row) this.touch(row.account_id);
  }

  async createBucket(b: BucketRecord): Promise<void> {
    await unique(`bucket ${b.bucket}`, () =>
      this.db.insertInto('oss_buckets').values({ bucket: b.bucket, account_id: b.accountId, region: b.region, storage_class: b.storageClass, created_at: b.createdAt.toISOString(), acl: b.acl ?? 'private' }).execute(),
    );
    this.touch(b.accountId);
  }
  async getBucket(bucket: string): Promise<BucketRecord | undefined> {
    // One query: every request reads its bucket's policy and CORS rules with the bucket.
    const r = await this.db
      .selectFrom('oss_buckets as b')
      .selectAll('b')
      .select((eb) => [
        eb.selectFrom('oss_bucket_configs as c').select('c.document').whereRef('c.bucket', '=', 'b.bucket').where('c.kind', '=', 'policy').as('policy'),
        eb.selectFrom('oss_bucket_configs as c').select('c.document').whereRef('c.bucket', '=', 'b.bucket').where('c.kind', '=', 'cors').as('cors'),
      ])
      .where('b.bucket', '=', bucket)
      .executeTakeFirst();
    if (r === undefined) return undefined;
    return { ...bucketOf(r), ...(r.policy != null ? { policy: r.policy } : {}), ...(r.cors != null ? { cors: r.cors } : {}) };
  }
  async listBuckets(accountId: string): Promise<BucketRecord[]> {
    const rows = await this.db.selectFrom('oss_buckets').selectAll().where('account_id', '=', accountId).orderBy('bucket').execute();
    return rows.map(bucketOf);
  }
  async deleteBucket(bucket: string): Promise<void> {
    await this.changeBucket(bucket, async () => {
      await this.db.deleteFrom('oss_bucket_configs').where('bucket', '=', bucket).execute();
      await this.db.deleteFrom('oss_buckets').where('bucket', '=', bucket).execute();
    });
  }
  async setBucketAcl(bucket: string, acl: BucketAcl): Promise<void> {
    await this.changeBucket(bucket, () => this.db.updateTable('oss_buckets').set({ acl }).where('bucket', '=', bucket).execute());
  }
  async getBucketConfig(bucket: string, kind: BucketConfigKind): Promise<string | undefined> {
    const r = await this.db.selectFrom('oss_bucket_configs').select('document').where('bucket', '=', bucket).where('kind', '=', kind).executeTakeFirst();
    return r?.document;
  }
  async putBucketConfig(bucket: string, kind: BucketConfigKind, document: string): Promise<void> {
    await this.changeBucket(bucket, () =>
      this.db
        .insertInto('oss_bucket_configs')
        .values({ bucket, kind, document })
        .onConflict((oc) => oc.columns(['bucket', 'kind']).doUpdateSet({ document }))
        .execute(),
    );
  }
  async deleteBucketConfig(bucket: string, kind: BucketConfigKind): Promise<void> {
    await this.changeBucket(bucket, () => this.db.deleteFrom('oss_bucket_configs').where('bucket', '=', bucket).where('kind', '=', kind).execute());
  }
  async bucketsWithConfig(kind: BucketConfigKind, after: string, limit: number): Promise<{ bucket: string; document: string }[]> {
    return this.db.selectFrom('oss_bucket_configs').select(['bucket', 'document']).where('kind', '=', kind).where('bucket', '>', after).orderBy('bucket').limit(limit).execute();
  }
  async setObjectAcl(bucket: string, key: string, blobId: string, acl: ObjectAcl): Promise<boolean> {
    const r = await this.db.updateTable('oss_objects').set({ acl }).where('bucket', '=', bucket).where('object_key', '=', key).where('blob_id', '=', blobId).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async setObjectTags(bucket: string, key: string, blobId: string, tags: Record<string, string>): Promise<boolean> {
    const r = await this.db.updateTable('oss_objects').set({ tags: tagsColumn(tags) }).where('bucket', '=', bucket).where('object_key', '=', key).where('blob_id', '=', blobId).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async deleteObjectIf(bucket: string, key: string, blobId: string, tags?: Record<string, string>): Promise<boolean> {
    let q = this.db.deleteFrom('oss_objects').where('bucket', '=', bucket).where('object_key', '=', key).where('blob_id', '=', blobId);
    if (tags !== undefined) q = q.where('tags', '=', tagsColumn(tags));
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
  async countObjects(bucket: string): Promise<number> {
    const r = await this.db.selectFrom('oss_objects').select((eb) => eb.fn.countAll<number>().as('n')).where('bucket', '=', bucket).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async putObject(o: ObjectRecord): Promise<string | undefined> {
    const previous = await this.getObject(o.bucket, o.key);
    const { bucket, object_key, ...rest } = objectRow(o);
    await this.db.insertInto('oss_objects').values({ bucket, object_key, ...rest }).onConflict((oc) => oc.columns(['bucket', 'object_key']).doUpdateSet(rest)).execute();
    return previous?.blobId;
  }
  async putObjectIf(o: ObjectRecord, expected: string | undefined): Promise<boolean> {
    const { bucket, object_key, ...rest } = objectRow(o);
    if (expected === undefined) {
      const r = await this.db.insertInto('oss_objects').values({ bucket, object_key, ...rest }).onConflict((oc) => oc.columns(['bucket', 'object_key']).doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    const r = await this.db.updateTable('oss_objects').set(rest).where('bucket', '=', bucket).where('object_key', '=', object_key).where('blob_id', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async getObject(bucket: string, key: string): Promise<ObjectRecord | undefined> {
    const r = await this.db.selectFrom('oss_objects').selectAll().where('bucket', '=', bucket).where('object_key', '=', key).executeTakeFirst();
    return r && object(r);
  }
  async setRestore(bucket: string, key: string, blobId: string, restore: { readyAt: Date; expiresAt: Date }): Promise<boolean> {
    const r = await this.db
      .updateTable('oss_objects')
      .set({ restore_ready: restore.readyAt.toISOString(), restore_expiry: restore.expiresAt.toISOString() })
      .where('bucket', '=', bucket)
      .where('object_key', '=', key)
      .where('blob_id', '=', blobId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async deleteObject(bucket: string, key: string): Promise<string | undefined> {
    const previous = await this.getObject(bucket, key);
    await this.db.deleteFrom('oss_objects').where('bucket', '=', bucket).where('object_key', '=', key).execute();
    return previous?.blobId;
  }
  async listObjects(bucket: string, prefix: string, after: string | undefined, limit: number): Promise<ObjectRecord[]> {
    let q = this.db.selectFrom('oss_objects').selectAll().where('bucket', '=', bucket).where('object_key', '>=', prefix);
    if (after !== undefined) q = q.where('object_key', '>', after);
    const rows = await q.orderBy('object_key').limit(limit).execute();
    return rows.map(object).filter((o) => o.key.startsWith(prefix));
  }

  async putInlineBlob(blobId: string, data: Buffer): Promise<void> {
    await this.db.insertInto('oss_inline_blobs').values({ blob_id: blobId, data }).execute();
  }
  async getInlineBlob(blobId: string): Promise<Buffer | undefined> {
    const r = await this.db.selectFrom('oss_inline_blobs').select('data').where('blob_id', '=', blobId).executeTakeFirst();
    return r && Buffer.from(r.data);
  }
  async deleteInlineBlob(blobId: string): Promise<void> {
    await this.db.deleteFrom('oss_inline_blobs').where('blob_id', '=', blobId).execute();
  }

  async createUpload(u: UploadRecord): Promise<void> {
    await this.db
      .insertInto('oss_uploads')
      .values({
        upload_id: u.uploadId,
        bucket: u.bucket,
        object_key: u.key,
        content_type: u.contentType,
        metadata: JSON.stringify(u.metadata),
        initiated: u.initiated.toISOString(),
        storage_class: u.storageClass,
        http_headers: JSON.stringify(u.httpHeaders),
        acl: u.acl ?? 'default',
        tags: tagsColumn(u.tags),
      })
      .execute();
  }
  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const r = await this.db.selectFrom('oss_uploads').selectAll().where('upload_id', '=', uploadId).executeTakeFirst();
    return r && upload(r);
  }
  async listUploads(bucket: string): Promise<UploadRecord[]> {
    const rows = await this.db.selectFrom('oss_uploads').selectAll().where('bucket', '=', bucket).orderBy('object_key').orderBy('upload_id').execute();
    return rows.map(upload);
  }
  async claimUpload(uploadId: string): Promise<PartRecord[] | undefined> {
    const parts = await this.listParts(uploadId);
    await this.db.deleteFrom('oss_parts').where('upload_id', '=', uploadId).execute();
    const r = await this.db.deleteFrom('oss_uploads').where('upload_id', '=', uploadId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1 ? parts : undefined;
  }
  async putPart(p: PartRecord): Promise<string | undefined> {
    const previous = (await this.listParts(p.uploadId)).find((x) => x.partNumber === p.partNumber);
    const row = { upload_id: p.uploadId, part_number: p.partNumber, blob_id: p.blobId, size: p.size, etag: p.etag, last_modified: p.lastModified.toISOString() };
    await this.db
      .insertInto('oss_parts')
      .values(row)
      .onConflict((oc) => oc.columns(['upload_id', 'part_number']).doUpdateSet({ blob_id: row.blob_id, size: row.size, etag: row.etag, last_modified: row.last_modified }))
      .execute();
    return previous?.blobId;
  }
  async listParts(uploadId: string): Promise<PartRecord[]> {
    const rows = await this.db.selectFrom('oss_parts').selectAll().where('upload_id', '=', uploadId).orderBy('part_number').execute();
    return rows.map((r) => ({ uploadId: r.upload_id, partNumber: Number(r.part_number), blobId: r.blob_id, size: Number(r.size), etag: r.etag, lastModified: new Date(r.last_modified) }));
  }
}
