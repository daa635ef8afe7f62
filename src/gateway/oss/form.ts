// multipart/form-data for PostObject, read as a stream: the fields (which OSS requires before the
// file) are collected, then the file part is handed on as a stream while the reader watches for
// the closing boundary, so an upload of any size goes through in constant memory.
import { PassThrough, type Readable } from 'node:stream';
import { OssErrors } from '../../services/oss/errors.js';

const MAX_FIELDS_BYTES = 64 * 1024;

export function formBoundary(contentType: string | undefined): string | undefined {
  const m = /^multipart\/form-data;.*\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

interface PartHeader {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
}

function parseHeaders(block: string): PartHeader {
  const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(block)?.[1] ?? '';
  const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined) throw OssErrors.invalidArgument('A form part has no name.');
  const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
  const contentType = /content-type:\s*([^\r\n]+)/i.exec(block)?.[1]?.trim();
  return { name, filename, contentType };
}

/**
 * Reads fields until the file part, then calls onFile with the fields and the file's bytes as a
 * stream; resolves with onFile's result once the whole form has been read.
 */
export async function readPostForm<T>(
  body: Readable,
  boundary: string,
  onFile: (fields: Map<string, string>, file: Readable, header: PartHeader) => Promise<T>,
): Promise<T> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = new Map<string, string>();
  // The body begins with "--boundary"; pretend a CRLF came before it so every delimiter looks alike.
  let buf: Buffer = Buffer.from('\r\n');
  // In an object so TypeScript does not narrow it across the awaits that change it.
  const st: { state: 'start' | 'headers' | 'field' | 'file' | 'done' } = { state: 'start' };
  let current: PartHeader | undefined;
  let fieldsBytes = 0;
  let file: PassThrough | undefined;
  let result: Promise<T> | undefined;
  // A consumer that fails early (e.g. the form is not authorized) stops the reading at once.
  let failure: unknown;
  const write = async (chunk: Buffer) => {
    if (failure !== undefined) throw failure;
    if (file && !file.write(chunk)) {
      await new Promise<void>((r) => {
        file?.once('drain', () => r());
        file?.once('close', () => r());
      });
    }
    if (failure !== undefined) throw failure;
  };

  const process = async (final: boolean): Promise<void> => {
    for (;;) {
      if (st.state === 'start') {
        const at = buf.indexOf(delimiter);
        if (at < 0) return;
        buf = buf.subarray(at + delimiter.length);
        st.state = 'headers';
      }
      if (st.state === 'headers') {
        if (buf.length < 2) return;
        if (buf.subarray(0, 2).toString() === '--') {
          st.state = 'done';
          return;
        }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (buf.length > MAX_FIELDS_BYTES) throw OssErrors.invalidArgument('A form part header is too long.');
          return;
        }
        current = parseHeaders(buf.subarray(0, end).toString('utf8'));
        buf = buf.subarray(end + 4);
        if (current.name.toLowerCase() === 'file') {
          st.state = 'file';
          file = new PassThrough();
          result = onFile(fields, file, current);
          result.catch((e: unknown) => {
            failure = e;
            file?.destroy();
          });
        } else {
          st.state = 'field';
        }
      }
      if (st.state === 'field') {
        const at = buf.indexOf(delimiter);
        if (at < 0) {
          if (buf.length > MAX_FIELDS_BYTES) throw OssErrors.invalidArgument('A form field is too long.');
          return;
        }
        fieldsBytes += at;
        if (fieldsBytes > MAX_FIELDS_BYTES) throw OssErrors.invalidArgument('The form fields are too long.');
        fields.set((current?.name ?? '').toLowerCase(), buf.subarray(0, at).toString('utf8'));
        buf = buf.subarray(at + delimiter.length);
        st.state = 'headers';
        continue;
      }
      if (st.state === 'file') {
        const at = buf.indexOf(delimiter);
        if (at >= 0) {
          await write(buf.subarray(0, at));
          file?.end();
          buf = buf.subarray(at + delimiter.length);
          st.state = 'done';
          return;
        }
        // Keep enough of the tail to recognise a delimiter split across chunks.
        const keep = final ? 0 : delimiter.length;
        if (buf.length > keep) {
          const out = buf.subarray(0, buf.length - keep);
          buf = buf.subarray(buf.length - keep);
          await write(out);
        }
        return;
      }
      return;
    }
  };

  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (failure !== undefined) throw failure;
      if (st.state === 'done') continue;
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      await process(false);
    }
    if (st.state !== 'done') await process(true);
  } catch (e) {
    file?.destroy();
    // The consumer's own error explains more than the stream's.
    if (result !== undefined) await result;
    throw e;
  }
  if (result === undefined) throw OssErrors.invalidArgument('The form has no file field.', 'file');
  if (st.state !== 'done') {
    file?.destroy(OssErrors.malformedXml());
    throw OssErrors.invalidArgument('The form body ended before its closing boundary.');
  }
  return result;
}
