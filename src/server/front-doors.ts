// The request handlers of the three listeners.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { newOssRequestId, newRequestId } from '../model/index.js';
import { renderXml } from '../services/oss/index.js';
import { answerCallbackKey, answerOidcDiscovery, apiFrontDoor, errorBody, metadataFrontDoor, ossFrontDoor, type ApiDeps, type LifecycleDeps, type MetadataDeps, type OssDeps } from '../gateway/index.js';
import { ApiError, CommonErrors } from '../model/index.js';
import { answerOps, type Ops } from './ops.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The API listener: /health and /metrics, the OIDC issuer's discovery documents, then the RPC and V3 products. */
export function apiHandler(deps: ApiDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean, ops: Ops): Handler {
  const serve = apiFrontDoor(deps, lifecycleDeps, secureTransport);
  return (req, res) => answerOps(req, res, ops) ?? answerOidcDiscovery(req, res, deps.services.oidcIssuer) ?? serve(req, res);
}

/** Requests Node could not parse still get an error in the gateway's format, with a request id. */
export function apiClientError(error: NodeJS.ErrnoException) {
  const requestId = newRequestId();
  const status = refusalStatus(error);
  const apiError =
    status === 408
      ? new ApiError('RequestTimeout', 'The request was not received within the timeout period.', 408)
      : CommonErrors.malformedRequest(unparsable(error).replace(/^The /, 'the ').replace(/\.$/, ''));
  return {
    status,
    headers: { 'content-type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId },
    body: JSON.stringify(errorBody(apiError, requestId, 'rampart')),
  };
}

/** The OSS listener: /health and /metrics, the upload callbacks' public key, then object storage. */
export function ossHandler(deps: OssDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean, ops: Ops): Handler {
  const serve = ossFrontDoor(deps, lifecycleDeps, secureTransport);
  return (req, res) => answerOps(req, res, ops) ?? answerCallbackKey(req, res, deps.callbacks) ?? serve(req, res);
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
    case 'ERR_EXPECTATION_FAILED':
      return 'The Expect header asks for what this server does not do (only 100-continue).';
    case 'ERR_METHOD_CONNECT':
      return 'CONNECT is not a method of this service.';
    case 'HPE_INVALID_TRANSFER_ENCODING':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return 'A request may be framed by Content-Length or by Transfer-Encoding: chunked, not by both.';
    default:
      return 'The HTTP request cannot be parsed.';
  }
}

/** Headers that did not all arrive within the listener's headers timeout. */
const timedOut = (error: NodeJS.ErrnoException) => error.code === 'ERR_HTTP_REQUEST_TIMEOUT';

/** The status of a refusal of the listener's own, the same on every door. */
function refusalStatus(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (timedOut(error)) return 408;
  if (error.code === 'ERR_EXPECTATION_FAILED') return 417;
  if (error.code === 'ERR_METHOD_CONNECT') return 405;
  return 400;
}

/** Requests Node could not parse get OSS's XML error, with a request id, as every OSS answer does. */
export function ossClientError(error: NodeJS.ErrnoException) {
  const requestId = newOssRequestId();
  // OSS answers its RequestTimeout with 400.
  const status = timedOut(error) ? 400 : refusalStatus(error);
  const [code, message] = timedOut(error)
    ? ['RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period.']
    : status === 405
      ? ['MethodNotAllowed', 'The specified method is not allowed against this resource.']
      : ['InvalidArgument', unparsable(error)];
  const body = renderXml('Error', { Code: code, Message: message, RequestId: requestId, HostId: 'rampart' });
  return { status, headers: { 'content-type': 'application/xml', 'x-oss-request-id': requestId }, body };
}

export function plainClientError(error: NodeJS.ErrnoException) {
  const status = refusalStatus(error);
  return { status, headers: { 'content-type': 'text/plain' }, body: STATUS_CODES[status] ?? 'Bad Request' };
}

/** The metadata listener's: plain text, with the request id every metadata answer carries. */
export function metadataClientError(error: NodeJS.ErrnoException) {
  const plain = plainClientError(error);
  return { ...plain, headers: { ...plain.headers, 'x-request-id': randomUUID().toUpperCase() } };
}

/** The console's: the API's JSON error, with its request id, as every console answer is. */
export function consoleClientError(error: NodeJS.ErrnoException) {
  return apiClientError(error);
}

/** The metadata listener: /health and /metrics, then the instance metadata service. */
export function metadataHandler(deps: MetadataDeps, lifecycleDeps: LifecycleDeps, ops: Ops): Handler {
  const serve = metadataFrontDoor(deps, lifecycleDeps);
  return (req, res) => answerOps(req, res, ops) ?? serve(req, res);
}
