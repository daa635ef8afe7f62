// Strict application/x-www-form-urlencoded parsing for query strings and form bodies. Unlike
// URLSearchParams it refuses what it cannot read exactly (bad percent-escapes, invalid UTF-8,
// a parameter given twice) instead of guessing, so the signature is checked over what the
// handler will actually see.

export class UrlEncodedError extends Error {}

function decode(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new UrlEncodedError(`"${text.slice(0, 64)}" is not valid percent-encoded UTF-8`);
  }
}

/** Adds each `key=value` of text to into; a key already present is an error. */
export function parseUrlEncoded(text: string, into: Map<string, string>): void {
  if (text === '') return;
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decode(eq < 0 ? piece : piece.slice(0, eq));
    const value = eq < 0 ? '' : decode(piece.slice(eq + 1));
    if (key === '') throw new UrlEncodedError('a parameter has no name');
    if (into.has(key)) throw new UrlEncodedError(`the parameter ${key} is given more than once`);
    into.set(key, value);
  }
}
