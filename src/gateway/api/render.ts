// Renders results and errors as the real RPC gateway does: JSON by default, XML when the
// request says Format=XML. Every response carries the request id in the body and in
// x-acs-request-id.
import type { ServerResponse } from 'node:http';
import { ApiError, CommonErrors, xmlDocument } from '../../model/index.js';

export type Format = 'JSON' | 'XML';

/** The SDKs send Format=JSON (pop-core) or Format=json (the Tea SDKs with the v2 signature). */
export function pickFormat(params: ReadonlyMap<string, string>): Format {
  const value = params.get('Format');
  if (value === undefined || value === '') return 'JSON';
  const upper = value.toUpperCase();
  if (upper === 'JSON' || upper === 'XML') return upper;
  throw CommonErrors.invalidFormat(value);
}

export function toXml(root: string, body: Record<string, unknown>): string {
  return xmlDocument(root, body);
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
