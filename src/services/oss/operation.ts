// An OSS operation is a declaration too: the RAM actions it needs on which resources (checked by
// the OSS front door), and a handler that streams its answer.
import type { Readable } from 'node:stream';
import type { Principal } from '../../model/index.js';
import type { BlobStore, BucketRecord, ObjectRecord, Store } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { checkObjectKey } from './names.js';
import type { IncomingMessage } from 'node:http';
import type { OssSignedRequest } from '../../auth/oss/index.js';
import type { Check } from '../action.js';
import type { UploadCallbacks } from './callback/settings.js';

/** An OSS request as the front door hands it to operations (bucket and key resolved from the addressing style). */
export interface OssHttpRequest extends OssSignedRequest {
  host: string;
  /** The region the request addresses (cn-hangzhou): its V4 signing scope's, else its Host's, if either names one. */
  region: string | undefined;
  raw: IncomingMessage;
  /** The whole body, for the small documents some operations take (XML); past `limit` bytes, EntityTooLarge. */
  body(limit?: number): Promise<Buffer>;
}

export interface OssLimits {
  /** PutObject / PostObject / AppendObject total (real service: 5 GiB). */
  maxObjectSize: number;
  /** UploadPart (real service: 5 GiB). */
  maxPartSize: number;
  /** Every part but the last (real service: 100 KiB). */
  minPartSize: number;
}

export const DEFAULT_OSS_LIMITS: OssLimits = { maxObjectSize: 5 * 1024 ** 3, maxPartSize: 5 * 1024 ** 3, minPartSize: 100 * 1024 };

export interface OssContext {
  caller: Principal;
  store: Store;
  blobs: BlobStore;
  limits: OssLimits;
  now: Date;
  requestId: string;
  /** The client's address (an upload callback's ${clientIp}). */
  sourceIp?: string;
  /** Upload callbacks (x-oss-callback); absent where a door offers none, so they are refused. */
  callbacks?: UploadCallbacks;
}

/** A request that names a bucket which exists. */
export interface BucketRequest extends OssHttpRequest {
  bucket: string;
}

export interface BucketContext extends OssContext {
  /** The bucket the request names, looked up before authorization. */
  bucket: BucketRecord;
}

export interface OssResult {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  /** What the audit event keeps of the answer (an upload callback's outcome), when it is more than the status. */
  responseElements?: object;
}

interface OperationBase {
  name: string;
  rw: 'Read' | 'Write';
  /** The query arguments (auth/oss/vocabulary.ts) it honours; any other is refused as not implemented. */
  args?: readonly string[];
  /** The meaningful x-oss-* request headers it honours; likewise. */
  headers?: readonly string[];
  /**
   * false: it reads no body (an ACL, a copy, a delete). Whatever body the request declares is
   * then read (up to 1 MiB) before it runs, so a request cut short is refused before it changes
   * anything rather than after.
   */
  readsBody?: false;
}

/** An operation on the account's buckets (ListBuckets), or on one that need not exist (PutBucket). */
export interface AccountOperation extends OperationBase {
  needsBucket: false;
  checks(req: OssHttpRequest, ctx: { caller: Principal }): Check[];
  handle(req: OssHttpRequest, ctx: OssContext): Promise<OssResult>;
}

/** An operation on a bucket that exists: it is looked up (NoSuchBucket) before authorization. */
export interface BucketOperation extends OperationBase {
  needsBucket: true;
  /** Every permission it needs; may read the body or the store (DeleteMultipleObjects, CopyObject). */
  checks(req: BucketRequest, ctx: { caller: Principal; bucket: BucketRecord; store: Store; now: Date }): Check[] | Promise<Check[]>;
  handle(req: BucketRequest, ctx: BucketContext): Promise<OssResult>;
}

export type OssOperation = AccountOperation | BucketOperation;

export const bucketArn = (b: BucketRecord) => `acs:oss:*:${b.accountId}:${b.bucket}`;
export const objectArn = (b: BucketRecord, key: string) => `acs:oss:*:${b.accountId}:${b.bucket}/${key}`;

/** The permissions of an operation that needs one RAM action on the object it names. */
export const onObject =
  (permission: string): BucketOperation['checks'] =>
  (req, { bucket }) => [{ permission, resource: objectArn(bucket, req.key ?? '') }];

/** Object headers as OSS writes them: quoted upper-case ETag, RFC 1123 dates. */
export const quoted = (etag: string) => `"${etag}"`;
export const httpDate = (d: Date) => d.toUTCString();
export const isoDate = (d: Date) => d.toISOString();

/** The object a request names, or NoSuchKey. */
export async function requireObject(req: BucketRequest, ctx: OssContext): Promise<ObjectRecord> {
  const key = checkObjectKey(req.key);
  const o = await ctx.store.oss.getObject(req.bucket, key);
  if (o === undefined) throw OssErrors.noSuchKey(key);
  return o;
}
