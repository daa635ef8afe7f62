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

/** x-oss-meta-* headers (names lower-cased, without the prefix). */
export function userMetadata(headers: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) if (k.startsWith('x-oss-meta-')) out[k.slice('x-oss-meta-'.length)] = v;
  return out;
}

export function metadataHeaders(metadata: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-oss-meta-${k}`, v]));
}
