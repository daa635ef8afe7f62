// The api listener's codec: Alibaba Cloud OpenAPI (RPC and V3) for every product in the catalog.
// Reads parameters from the query and a form body, names the action from what the signature
// covers, renders JSON or XML (Format=XML) with the request id in the body and x-acs-request-id.
import type { ServerResponse } from 'node:http';
import { authenticate, signatureStyle, type AuthDeps } from '../../auth/index.js';
import { ANONYMOUS, CommonErrors, newRequestId, type Principal } from '../../model/index.js';
import type { Catalog, ResolvedAction, Services } from '../../services/index.js';
import { catalogOperation } from '../catalog-operation.js';
import { lifecycle, type Codec, type LifecycleDeps } from '../lifecycle.js';
import { parseApiRequest, type ApiHttpRequest } from './parse-request.js';
import { pickFormat, renderError, renderResult, type Format } from './render.js';

export interface ApiDeps {
  catalog: Catalog;
  auth: AuthDeps;
  services: Services;
  maxBodyBytes?: number;
}

interface ApiParsed {
  http: ApiHttpRequest;
  format: Format;
  /** Known once the request's signed names are read (before its signature is checked). */
  resolved?: ResolvedAction;
}

interface ApiCaller {
  principal: Principal;
  resolved: ResolvedAction;
}

/**
 * What runs is only ever what the signature covers: RPC signs its parameters (Action, Version),
 * V3 its x-acs-* headers. The other place may repeat the name (pop-core sends both) but never
 * supply or change it.
 */
/** Signature parameters are credentials, not request content: they never reach the audit trail. */
const NOT_AUDITED = new Set(['Signature', 'SecurityToken', 'AccessKeyId', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion', 'Timestamp']);

/** Parameters of every call (naming and signing it) rather than of one action. */
const COMMON_PARAMS = new Set([...NOT_AUDITED, 'Action', 'Version', 'Format']);

function actionNames(req: ApiHttpRequest): { version: string | undefined; action: string | undefined } {
  const rpc = signatureStyle(req) === 'rpc';
  const pick = (param: string, headerName: string): string | undefined => {
    const values = req.headers.get(headerName);
    if (values !== undefined && values.length > 1) throw CommonErrors.malformedRequest(`the header ${headerName} is given more than once`);
    const fromHeader = values?.[0];
    const fromParams = req.params.get(param);
    // V3 also signs the query string (not a form body unless its content type is signed: that
    // is checked with the signature), so a name there counts too.
    const signed = rpc ? fromParams : (fromHeader ?? req.query.get(param));
    const other = rpc ? fromHeader : fromParams;
    if (other !== undefined && signed !== undefined && other !== signed) {
      throw CommonErrors.malformedRequest(`${param} and the ${headerName} header name different things`);
    }
    return signed;
  };
  return { version: pick('Version', 'x-acs-version'), action: pick('Action', 'x-acs-action') };
}

/** Nothing of a signature: no Authorization header, no AccessKeyId, Signature or SecurityToken. */
function unsigned(req: ApiHttpRequest): boolean {
  return !req.headers.has('authorization') && !req.params.has('AccessKeyId') && !req.params.has('Signature') && !req.params.has('SecurityToken');
}

function hostId(host: string | undefined): string {
  return host?.replace(/:\d+$/, '') || 'rampart';
}

export function apiCodec(deps: ApiDeps): Codec<ApiParsed, ApiCaller, object> {
  return {
    name: 'api',
    requestIdHeader: 'x-acs-request-id',
    newRequestId: () => newRequestId(),

    async parse(req, facts) {
      const http = await parseApiRequest(req, deps.maxBodyBytes);
      facts.params = http.params;
      return { http, format: pickFormat(http.params) };
    },

    // The action is named before the signature is checked (an unknown one is InvalidAction
    // whoever asks), but from the signed names only.
    async authenticate(parsed) {
      const names = actionNames(parsed.http);
      parsed.resolved = deps.catalog.resolve(names.version, names.action, parsed.http.host);
      // An action called without credentials, called so: no AccessKey, no signature at all.
      if (parsed.resolved.action.anonymous && unsigned(parsed.http)) return { principal: ANONYMOUS, resolved: parsed.resolved };
      const { principal } = await authenticate(parsed.http, deps.auth);
      return { principal, resolved: parsed.resolved };
    },

    identify(parsed, { principal, resolved }, facts) {
      return catalogOperation(resolved, principal, parsed.http.params, facts, deps.services, { notAudited: NOT_AUDITED, common: COMMON_PARAMS });
    },

    refuse: (_caller, _check, _decision, detail) => CommonErrors.noPermission({ AccessDeniedDetail: detail() }),

    async render(res: ServerResponse, parsed, result, facts) {
      renderResult(res, parsed.format, parsed.resolved?.action.name ?? '', facts.requestId, result);
    },

    renderError(res, parsed, error, facts) {
      renderError(res, parsed?.format ?? 'JSON', facts.requestId, hostId(parsed?.http.host ?? res.req.headers.host), error);
    },

    logFields: (parsed) => ({ action: parsed?.resolved?.action.name, product: parsed?.resolved?.product.code }),
  };
}

/** The api listener's handler. */
export function apiFrontDoor(deps: ApiDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean) {
  return lifecycle(apiCodec(deps), lifecycleDeps, secureTransport);
}
