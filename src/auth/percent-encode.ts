// The percent-encoding every Alibaba Cloud signature uses (RFC 3986 unreserved characters kept):
// encodeURIComponent, plus the five characters it leaves alone that the official SDKs escape.

const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/;
const SUB_DELIMS = /[!'()*]/g;
const escapeSubDelim = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

export function percentEncode(value: string): string {
  // Most values (names, ids, versions) need no escaping at all; signing runs this per parameter.
  if (UNRESERVED.test(value)) return value;
  return encodeURIComponent(value).replace(SUB_DELIMS, escapeSubDelim);
}

/** Code-unit order, which is what the SDKs' `Object.keys(...).sort()` and Java's TreeMap give. */
export function sortedKeys(params: ReadonlyMap<string, string>): string[] {
  return [...params.keys()].sort();
}
