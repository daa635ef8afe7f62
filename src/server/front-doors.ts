// The request handlers of the three listeners.
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { newOssRequestId, newRequestId } from '../model/index.js';
import { renderXml } from '../services/oss/index.js';
import { answerCallbackKey, answerOidcDiscovery, apiFrontDoor, errorBody, metadataFrontDoor, ossFrontDoor, type ApiDeps, type LifecycleDeps, type MetadataDeps, type OssDeps } from '../gateway/index.js';
import { CommonErrors } from '../model/index.js';
import { answerOps, type Ops } from './ops.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The API listener: /health and /metrics, the OIDC issuer's discovery documents, then the RPC and V3 products. */
export function apiHandler(deps: ApiDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean, ops: Ops): Handler {
  const serve = apiFrontDoor(deps, lifecycleDeps, secureTransport);
  return async (req, res) => {
    if (!(await answerOps(req, res, ops)) && !(await answerOidcDiscovery(req, res, deps.services.oidcIssuer))) await serve(req, res);
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

/** The OSS listener: /health and /metrics, the upload callbacks' public key, then object storage. */
export function ossHandler(deps: OssDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean, ops: Ops): Handler {
  const serve = ossFrontDoor(deps, lifecycleDeps, secureTransport);
  return async (req, res) => {
    if (!(await answerOps(req, res, ops)) && !(await answerCallbackKey(req, res, deps.callbacks))) await serve(req, res);
  };
}

/**
 * Why Node's parser refused a request, in words a client can act on. A body framed both ways
 * (Content-Length and Transfer-Encoding: chunked, which ali-oss sends for a stream of known
 * length) is refused rather than read by Transfer-Encoding as RFC 9112 §6.3 would also allow:
 * when a proxy in front reads the other framing, that disagreement is how requests are smuggled,
 * and accepting it here would take Node's lenient parser for everything else as well.
 */
function unparsable(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'The request line or headers are too large.';
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return 'A request may be framed by Content-Length or by Transfer-Encoding: chunked, not by both.';
    default:
      return 'The HTTP request cannot be parsed.';
  }
}

/** Headers that did not all arrive within the listener's headers timeout. */
const timedOut = (error: NodeJS.ErrnoException) => error.code === 'ERR_HTTP_REQUEST_TIMEOUT';

/** Requests Node could not parse get OSS's XML error, with a request id, as every OSS answer does. */
export function ossClientError(error: NodeJS.ErrnoException) {
  const requestId = newOssRequestId();
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [code, message] = timedOut(error)
    ? ['RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period.']
    : ['InvalidArgument', unparsable(error)];
  const body = renderXml('Error', { Code: code, Message: message, RequestId: requestId, HostId: 'rampart' });
  return { status: tooLarge ? 431 : 400, headers: { 'content-type': 'application/xml', 'x-oss-request-id': requestId }, body };
}

export function plainClientError(error: NodeJS.ErrnoException) {
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : timedOut(error) ? 408 : 400;
  return { status, headers: { 'content-type': 'text/plain' }, body: STATUS_CODES[status] ?? 'Bad Request' };
}

/** The metadata listener: /health and /metrics, then the instance metadata service. */
export function metadataHandler(deps: MetadataDeps, lifecycleDeps: LifecycleDeps, ops: Ops): Handler {
  const serve = metadataFrontDoor(deps, lifecycleDeps);
  return async (req, res) => {
    if (!(await answerOps(req, res, ops))) await serve(req, res);
  };
}
