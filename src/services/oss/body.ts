// The small request bodies operations read whole (XML documents), refused past a limit before
// more is buffered. Object data is streamed to the blob store instead (objects.ts storeBody).
import { OssErrors } from './errors.js';

/** A small request body (XML), refused past limit. */
export async function readBodyBytes(req: { raw: NodeJS.ReadableStream }, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.raw as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw OssErrors.entityTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readBody(req: { raw: NodeJS.ReadableStream }, limit = 1024 * 1024): Promise<string> {
  return (await readBodyBytes(req, limit)).toString('utf8');
}
