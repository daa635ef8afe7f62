// An object's tags as OSS accepts them, from a Tagging document or the x-oss-tagging header
// (k1=v1&k2=v2, URL-encoded): at most 10, keys 1–128 and values 0–256 characters of letters,
// digits, spaces and + - = . _ : / (OSS, "PutObjectTagging"), no key twice.
import { OssErrors } from '../errors.js';

export const MAX_TAGS = 10;
const TAG_TEXT = /^[\p{L}\p{N} +\-=._:/@]*$/u;

const invalidTag = (why: string) => OssErrors.invalidArgument(`The tag you have provided is invalid: ${why}`, 'x-oss-tagging');

/** Checks a list of tags and returns them as a map in the order given. */
export function checkTags(pairs: readonly [string, string][]): Record<string, string> {
  if (pairs.length > MAX_TAGS) throw invalidTag(`an object can have at most ${MAX_TAGS} tags.`);
  const out: Record<string, string> = {};
  for (const [key, value] of pairs) {
    if (key.length < 1 || key.length > 128) throw invalidTag('a tag key must be 1 to 128 characters long.');
    if (value.length > 256) throw invalidTag('a tag value must be at most 256 characters long.');
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) throw invalidTag('tags may hold letters, digits, spaces and + - = . _ : / @ only.');
    if (Object.hasOwn(out, key)) throw invalidTag(`the key ${key} is given twice.`);
    out[key] = value;
  }
  return out;
}

/** x-oss-tagging: a URL query (k1=v1&k2=v2; a key without "=" has an empty value). */
export function parseTaggingHeader(value: string): Record<string, string> {
  const pairs: [string, string][] = [];
  for (const part of value.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const key = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, ' '));
      const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
      pairs.push([key, v]);
    } catch {
      throw invalidTag('x-oss-tagging is not valid percent-encoded UTF-8.');
    }
  }
  return checkTags(pairs);
}
