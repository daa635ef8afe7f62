// Turns an HTTP request on the api listener into the parameters the lifecycle works on: query
// and form body merged (a parameter given in both is refused), headers by lower-case name.
import type { IncomingMessage } from 'node:http';
import type { SignedRequest } from '../../auth/index.js';
import { CommonErrors } from '../../model/index.js';
import { BodyTooLargeError, readBody } from '../http/read-body.js';
import { parseUrlEncoded, UrlEncodedError } from '../http/urlencoded.js';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiHttpRequest extends SignedRequest {
  host: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isFormBody(req: IncomingMessage): boolean {
  const type = req.headers['content-type'];
  return type !== undefined && type.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

export async function parseApiRequest(req: IncomingMessage, maxBodyBytes = MAX_BODY_BYTES): Promise<ApiHttpRequest> {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  let body: Buffer;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (e) {
    if (e instanceof BodyTooLargeError) throw CommonErrors.requestTooLarge(e.limit);
    throw e;
  }
  const query = new Map<string, string>();
  const params = new Map<string, string>();
  try {
    parseUrlEncoded(q < 0 ? '' : target.slice(q + 1), query);
    for (const [k, v] of query) params.set(k, v);
    if (isFormBody(req) && body.length > 0) {
      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        throw new UrlEncodedError('the form body is not valid UTF-8');
      }
      parseUrlEncoded(text, params);
    }
  } catch (e) {
    if (e instanceof UrlEncodedError) throw CommonErrors.malformedRequest(e.message);
    throw e;
  }
  // Every value of every header, by lower-case name (what headersDistinct gives, without the
  // intermediate object).
  const headers = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const values = headers.get(name);
    if (values === undefined) headers.set(name, [raw[i + 1]!]);
    else values.push(raw[i + 1]!);
  }
  return { method: req.method ?? 'GET', path, query, params, headers, body, host: req.headers.host ?? '' };
}
