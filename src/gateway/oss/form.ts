// multipart/form-data for PostObject, read with busboy: the fields (OSS requires them before the
// file) are collected, and the form is handed on as soon as the file part begins, its bytes a
// stream, so an upload of any size goes through in constant memory. On top of busboy only OSS's
// rules: field names are case-insensitive, one file, fields before it, bounded sizes.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import busboy from 'busboy';
import { OssErrors, type PostForm } from '../../services/oss/index.js';

/** All fields together (OSS allows a policy and signature, metadata and a few options). */
const MAX_FIELDS_BYTES = 64 * 1024;
const MAX_FIELDS = 100;

export function isForm(contentType: string | undefined): boolean {
  return /^multipart\/form-data;.*\bboundary=/i.test(contentType ?? '');
}

/** Resolves with the fields and the file's stream once the file part begins. */
export function readPostForm(req: IncomingMessage): Promise<PostForm> {
  if (!isForm(req.headers['content-type'])) return Promise.reject(OssErrors.invalidArgument('A form upload needs a multipart/form-data boundary.', 'Content-Type'));
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    let fieldsBytes = 0;
    let file: PassThrough | undefined;
    let parser: busboy.Busboy;
    const fail = (error: unknown) => {
      // Before the file began the form is refused; after, the upload fails with its stream.
      if (file) file.destroy(error instanceof Error && 'code' in error ? error : OssErrors.invalidArgument('The form body ended before its closing boundary.'));
      else reject(error instanceof Error && 'code' in error ? error : OssErrors.invalidArgument('The form cannot be read.'));
      req.unpipe(parser);
      req.resume();
    };
    try {
      parser = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { fieldSize: MAX_FIELDS_BYTES, fields: MAX_FIELDS, files: 1, parts: MAX_FIELDS + 1 },
      });
    } catch {
      reject(OssErrors.invalidArgument('A form upload needs a multipart/form-data boundary.', 'Content-Type'));
      return;
    }
    parser.on('field', (name, value, info) => {
      if (file) return; // OSS reads no field after the file.
      fieldsBytes += name.length + value.length;
      if (info.valueTruncated || fieldsBytes > MAX_FIELDS_BYTES) return fail(OssErrors.invalidArgument('The form fields are too long.'));
      fields.set(name.toLowerCase(), value);
    });
    parser.on('file', (name, stream, info) => {
      if (file || name.toLowerCase() !== 'file') {
        stream.resume();
        return;
      }
      // The consumer reads a stream of its own, which the parser's errors end cleanly; one nobody
      // reads (the form was refused) must not crash the process with an unhandled 'error'.
      file = new PassThrough();
      file.on('error', () => undefined);
      stream.on('error', fail);
      // The file ends when the whole request has arrived, not at its closing boundary: a request
      // cut short after that boundary (a Content-Length never met) is refused as incomplete, and
      // its upload must not be stored as if it had succeeded.
      const upload = file;
      stream.pipe(upload, { end: false });
      const cutShort = () => {
        if (!req.complete) upload.destroy(OssErrors.invalidArgument('The form body ended before its closing boundary.'));
      };
      const requestEnded = req.readableEnded ? Promise.resolve() : new Promise((done) => req.once('end', done));
      void Promise.all([new Promise((done) => stream.once('end', done)), requestEnded]).then(() => upload.end());
      if (req.destroyed) cutShort();
      else req.once('close', cutShort);
      resolve({ fields, file, filename: info.filename, contentType: info.mimeType });
    });
    parser.on('fieldsLimit', () => fail(OssErrors.invalidArgument('The form has too many fields.')));
    parser.on('partsLimit', () => fail(OssErrors.invalidArgument('The form has too many parts.')));
    parser.on('error', fail);
    parser.on('close', () => {
      if (!file) reject(OssErrors.invalidArgument('The form has no file field.', 'file'));
    });
    req.pipe(parser);
  });
}
