// Node's base64 decoder is lenient: it skips characters outside the alphabet, accepts both
// alphabets and ignores stray trailing bits, so many texts decode to the same bytes. A token we
// hand out must have exactly one accepted spelling (or tokens that differ as text would be one
// session to us and several to whoever compares them), so ours are read strictly.

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The bytes of canonical unpadded base64url text, or undefined for any other spelling. */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
