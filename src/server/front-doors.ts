// The request handlers of the three listeners.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newRequestId } from '../model/index.js';
import { errorBody, handleApiRequest, metadataFrontDoor, toXml, type ApiPipelineDeps, type MetadataDeps } from '../gateway/index.js';
import { CommonErrors } from '../model/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function isHealthCheck(req: IncomingMessage): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && (req.url === '/health' || req.url === '/health/');
}

function health(res: ServerResponse): void {
  const body = JSON.stringify({ status: 'ok' });
  res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function apiHandler(deps: ApiPipelineDeps, secureTransport: boolean): Handler {
  return async (req, res) => {
    if (isHealthCheck(req)) return health(res);
    await handleApiRequest(req, res, deps, secureTransport);
  };
}

/** Requests Node could not parse still get an error in the gateway's format, with a request id. */
export function apiClientError(error: NodeJS.ErrnoException) {
  const requestId = newRequestId();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const apiError = tooLarge ? CommonErrors.malformedRequest('the request line or headers are too large') : CommonErrors.malformedRequest('the HTTP request cannot be parsed');
  return {
    status: tooLarge ? 431 : 400,
    headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
    body: JSON.stringify(errorBody(apiError, requestId, 'rampart')),
  };
}

/**
 * The OSS listener. Object storage itself arrives with the OSS gateway; until then every
 * request is answered in OSS's own error format, with its request id header.
 */
export function ossHandler(): Handler {
  return async (req, res) => {
    if (isHealthCheck(req)) return health(res);
    const requestId = newRequestId().replace(/-/g, '').slice(0, 24);
    const body = toXml('Error', {
      Code: 'NotImplemented',
      Message: 'Object storage is not enabled on this Rampart server.',
      RequestId: requestId,
      HostId: (req.headers.host ?? 'rampart').replace(/:\d+$/, ''),
    });
    res.writeHead(501, { 'content-type': 'application/xml', 'x-oss-request-id': requestId, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}

export function plainClientError(error: NodeJS.ErrnoException) {
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  return { status: tooLarge ? 431 : 400, headers: { 'content-type': 'text/plain' }, body: tooLarge ? 'Request Header Fields Too Large' : 'Bad Request' };
}

/** The metadata listener: a health check, then the instance metadata service. */
export function metadataHandler(deps: MetadataDeps): Handler {
  const serve = metadataFrontDoor(deps);
  return async (req, res) => {
    if (isHealthCheck(req)) return health(res);
    await serve(req, res);
  };
}
