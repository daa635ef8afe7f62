// The percent-encoding every Alibaba Cloud signature uses (RFC 3986 unreserved characters kept):
// encodeURIComponent, plus the five characters it leaves alone that the official SDKs escape.

export function percentEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/!/g, '%21')
    .replace(/'/g, '%27')
    .replace(/\(/g, '%28')
    .replace(/\)/g, '%29')
    .replace(/\*/g, '%2A');
}

/** Code-unit order, which is what the SDKs' `Object.keys(...).sort()` and Java's TreeMap give. */
export function sortedKeys(params: ReadonlyMap<string, string>): string[] {
  return [...params.keys()].sort();
}
