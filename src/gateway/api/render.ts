// Renders results and errors as the real RPC gateway does: JSON by default, XML when the
// request says Format=XML. Every response carries the request id in the body and in
// x-acs-request-id.
import type { ServerResponse } from 'node:http';
import { ApiError, CommonErrors } from '../../model/index.js';

export type Format = 'JSON' | 'XML';

/** The SDKs send Format=JSON (pop-core) or Format=json (the Tea SDKs with the v2 signature). */
export function pickFormat(params: ReadonlyMap<string, string>): Format {
  const value = params.get('Format');
  if (value === undefined || value === '') return 'JSON';
  const upper = value.toUpperCase();
  if (upper === 'JSON' || upper === 'XML') return upper;
  throw CommonErrors.invalidFormat(value);
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

/** Arrays become repeated elements named by their key, as in <Users><User/><User/></Users>. */
function xmlElements(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => xmlElements(name, item)).join('');
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => xmlElements(k, v))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function toXml(root: string, body: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlElements(root, body)}`;
}

function send(res: ServerResponse, status: number, format: Format, text: string): void {
  res.writeHead(status, {
    // The Tea SDKs parse an XML error only with exactly this content type.
    'content-type': format === 'XML' ? 'text/xml;charset=utf-8' : 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function renderResult(res: ServerResponse, format: Format, actionName: string, requestId: string, result: object): void {
  const body = { RequestId: requestId, ...result };
  send(res, 200, format, format === 'XML' ? toXml(`${actionName}Response`, body) : JSON.stringify(body));
}

export function errorBody(error: ApiError, requestId: string, hostId: string): Record<string, unknown> {
  return { RequestId: requestId, HostId: hostId, Code: error.code, Message: error.message, ...error.extra };
}

export function renderError(res: ServerResponse, format: Format, requestId: string, hostId: string, error: ApiError): void {
  const body = errorBody(error, requestId, hostId);
  send(res, error.httpStatus, format, format === 'XML' ? toXml('Error', body) : JSON.stringify(body));
}
