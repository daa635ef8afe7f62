// Marker/MaxItems paging: items are ordered by name; the marker is an opaque token holding the
// last name returned. IsTruncated is always present, Marker only when there is more.
import { emptyIsAbsent, integer, optional, string } from '../params.js';
import { ramInvalid } from './errors.js';
import { RamErrors } from './errors.js';

export const pagingParams = (max = 1000) => ({
  // An empty Marker asks for the first page, as no Marker does.
  Marker: emptyIsAbsent(optional(string())),
  MaxItems: optional(integer({ min: 1, max, invalid: ramInvalid }), 100),
});

export function encodeMarker(after: string): string {
  return Buffer.from(JSON.stringify({ after }), 'utf8').toString('base64url');
}

/** The name to continue after; a marker this server did not issue is refused. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(marker, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof value.after === 'string') return value.after;
  } catch {
    // fall through
  }
  throw RamErrors.marker();
}

/**
 * Given one more item than asked for (to learn whether there are more), the page and its
 * IsTruncated/Marker fields.
 */
export function pageOf<T>(fetched: T[], limit: number, keyOf: (item: T) => string): { items: T[]; IsTruncated: boolean; Marker?: string } {
  if (fetched.length <= limit) return { items: fetched, IsTruncated: false };
  const items = fetched.slice(0, limit);
  const last = items[items.length - 1];
  return { items, IsTruncated: true, ...(last !== undefined ? { Marker: encodeMarker(keyOf(last)) } : {}) };
}
