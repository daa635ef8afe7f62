// GET /callback_pub_key_v1.pem on the OSS listener: the public key upload callbacks are signed
// with (OSS publishes its own as http://gosspublic.alicdn.com/callback_pub_key_v1.pem), for app
// servers that verify a callback's Authorization. No bucket can have this name (it has an '_'),
// so path style loses nothing; a request addressing a bucket by its Host is that bucket's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UploadCallbacks } from '../../services/oss/index.js';
import { bucketFromHost } from './request.js';

export const CALLBACK_KEY_PATH = '/callback_pub_key_v1.pem';

/** The answer to a request for the public key; undefined, at once, for every other request. */
export function answerCallbackKey(req: IncomingMessage, res: ServerResponse, callbacks: UploadCallbacks | undefined): Promise<void> | undefined {
  if (callbacks === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return undefined;
  if ((req.url ?? '').split('?')[0] !== CALLBACK_KEY_PATH || bucketFromHost(req.headers.host ?? '') !== undefined) return undefined;
  return answer(req, res, callbacks);
}

async function answer(req: IncomingMessage, res: ServerResponse, callbacks: UploadCallbacks): Promise<void> {
  let pem: string;
  try {
    pem = await callbacks.key.publicKeyPem();
  } catch {
    // The store did not answer (the key is made and kept there): nothing to serve yet.
    res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '19' });
    res.end('Service Unavailable');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': String(Buffer.byteLength(pem)) });
  res.end(req.method === 'HEAD' ? undefined : pem);
}
