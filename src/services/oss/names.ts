// Bucket and object names, as the real service accepts them. Object keys are stored as data and
// never become file paths, but path-like tricks are refused all the same.
import { OssErrors } from './errors.js';

export function checkBucketName(name: string): void {
  if (!/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name)) throw OssErrors.invalidBucketName(name);
}

export function checkObjectKey(key: string | undefined): string {
  if (key === undefined || key === '') throw OssErrors.invalidObjectName();
  if (Buffer.byteLength(key) > 1023) throw OssErrors.invalidObjectName();
  if (key.startsWith('/') || key.startsWith('\\') || key.includes('\0')) throw OssErrors.invalidObjectName();
  if (key.split(/[\\/]/).some((segment) => segment === '.' || segment === '..')) throw OssErrors.invalidObjectName();
  return key;
}

/** An HTTP token (RFC 9110): what a header name may be made of. */
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** What a header value may hold as Node writes it: tab, printable ASCII and Latin-1, no CR or LF. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * A value that is stored now and sent back later as a header (metadata, Content-Type) or sent as
 * one at once (response-* overrides) must be one a response can carry: otherwise every later
 * GET of the object would fail. Headers that reached us as headers already are; form fields and
 * query values need not be.
 */
export function checkHeaderValue(name: string, value: string): string {
  if (!HEADER_VALUE.test(value)) throw OssErrors.invalidArgument(`The value of ${name} is not a valid header value.`, name, value);
  return value;
}

/** x-oss-meta-* headers or form fields (names lower-cased, without the prefix), each a valid header. */
export function userMetadata(headers: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) {
    if (!k.startsWith('x-oss-meta-')) continue;
    const name = k.slice('x-oss-meta-'.length);
    if (!TOKEN.test(name)) throw OssErrors.invalidArgument('The name of a user metadata item is not valid.', k);
    out[name] = checkHeaderValue(k, v);
  }
  return out;
}

export function metadataHeaders(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-oss-meta-${k}`, v]));
}

/** The standard headers an object is stored and served with (besides Content-Type). */
const STANDARD_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'];

/** Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires: from headers or form fields. */
export function standardHeaders(headers: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of STANDARD_HEADERS) {
    const value = headers.get(name);
    if (value !== undefined) out[name] = checkHeaderValue(name, value);
  }
  return out;
}

/** Read at once: Standard, IA. Archived: read only once a restore has finished. */
const READABLE_CLASSES = new Set(['Standard', 'IA']);
export const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['Archive', 'ColdArchive', 'DeepColdArchive']);

/** A storage class as asked for (x-oss-storage-class, or a bucket's configuration). */
export function checkStorageClass(value: string, name = 'x-oss-storage-class'): string {
  if (READABLE_CLASSES.has(value) || ARCHIVE_CLASSES.has(value)) return value;
  throw OssErrors.invalidArgument('The storage class you specified is not valid.', name, value);
}

/** The storage class a new object gets: the one the request names, or its bucket's. */
export function storageClassOf(headers: ReadonlyMap<string, string>, bucketClass: string | undefined): string {
  const asked = headers.get('x-oss-storage-class');
  return asked === undefined ? (bucketClass ?? 'Standard') : checkStorageClass(asked);
}
