// The request pipeline of the api listener, the same for every action:
// parse → resolve action → authenticate → validate params → authorize → handle → audit → render.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { decodeDiagnostic, requestContext } from '../../access/index.js';
import { authenticate, signatureStyle, type AuthDeps } from '../../auth/index.js';
import { ApiError, CommonErrors, newRequestId, type Principal } from '../../model/index.js';
import { parseParams, type Catalog, type ResolvedAction, type RequestFacts, type Services } from '../../services/index.js';
import type { AuditRecord, AuditSink } from '../audit-hook.js';
import { requestFacts } from '../http/request-facts.js';
import { RequestAbortedError } from '../http/read-body.js';
import { redactSecrets } from '../redact.js';
import { boundedParameters, boundedResponse } from '../audit-bounds.js';
import { accessLog } from '../../log.js';
import { parseApiRequest, type ApiHttpRequest } from './parse-request.js';
import { pickFormat, renderError, renderResult, type Format } from './render.js';

export interface ApiPipelineDeps {
  catalog: Catalog;
  auth: AuthDeps;
  services: Services;
  audit?: AuditSink;
  log: Logger;
  maxBodyBytes?: number;
}

/** Signature parameters are credentials, not request content: they never reach the audit trail. */
const NOT_AUDITED = new Set(['Signature', 'SecurityToken', 'AccessKeyId', 'SignatureNonce', 'SignatureMethod', 'SignatureVersion', 'Timestamp']);

/** Parameters of every call (naming and signing it) rather than of one action. */
const COMMON_PARAMS = new Set([...NOT_AUDITED, 'Action', 'Version', 'Format']);

/**
 * Fail closed: a parameter the action does not declare is refused, not dropped (a filter that
 * was ignored would answer with everything). Flattened lists (Tag.1.Key) count by their name.
 */
function refuseUndeclared(action: ResolvedAction['action'], params: ReadonlyMap<string, string>): void {
  for (const name of params.keys()) {
    if (COMMON_PARAMS.has(name) || Object.hasOwn(action.params, name) || action.numbered?.test(name)) continue;
    throw CommonErrors.unsupportedParameter(name.split('.')[0] ?? name);
  }
}

function auditedParams(params: ReadonlyMap<string, string>): Record<string, string> {
  return boundedParameters([...params].filter(([k]) => !NOT_AUDITED.has(k)));
}

function hostId(host: string): string {
  return host.replace(/:\d+$/, '') || 'rampart';
}

/**
 * What runs is only ever what the signature covers: RPC signs its parameters (Action, Version),
 * V3 its x-acs-* headers. The other place may repeat the name (pop-core sends both) but never
 * supply or change it.
 */
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

type Outcome = Pick<AuditRecord, 'responseElements' | 'errorCode' | 'errorMessage' | 'checks' | 'resource' | 'explanation'>;

/** A refusal's explanation, from the diagnostic sealed into its AccessDeniedDetail. */
function explain(deps: ApiPipelineDeps, error: ApiError): string | undefined {
  const detail = error.extra['AccessDeniedDetail'] as { EncodedDiagnosticMessage?: string } | undefined;
  if (!detail?.EncodedDiagnosticMessage) return undefined;
  const d = decodeDiagnostic(deps.services.box, detail.EncodedDiagnosticMessage);
  if (!d) return undefined;
  const by = d.policy ? ` (${d.policy.type} policy ${d.policy.name}${d.policy.version ? ` ${d.policy.version}` : ''}${d.statement !== undefined ? `, statement ${d.statement}` : ''})` : '';
  return `${d.decision} of ${d.action} on ${d.resource} for ${d.principal}: ${d.explanation}${by}`;
}

async function audit(
  deps: ApiPipelineDeps,
  request: RequestFacts,
  { product, action }: ResolvedAction,
  caller: Principal,
  httpReq: ApiHttpRequest,
  outcome: Outcome,
): Promise<void> {
  await deps.audit?.record({
    request,
    serviceName: product.code,
    apiVersion: product.version,
    eventName: action.name,
    eventRW: action.rw,
    caller,
    // A role of another account is assumed in both: the partner audits its own users too.
    ...(action.foreignResource ? { sharedWithCaller: true } : {}),
    requestParameters: redactSecrets(auditedParams(httpReq.params)) as Record<string, string>,
    ...(outcome.responseElements && action.rw === 'Write' ? { responseElements: boundedResponse(redactSecrets(outcome.responseElements) as object) } : {}),
    ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode, errorMessage: outcome.errorMessage ?? '' } : {}),
    ...(outcome.checks?.length ? { checks: outcome.checks } : {}),
    ...(outcome.resource ? { resource: outcome.resource } : {}),
    ...(outcome.explanation ? { explanation: outcome.explanation } : {}),
  });
}

export async function handleApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ApiPipelineDeps,
  secureTransport: boolean,
): Promise<void> {
  const started = performance.now();
  const requestId = newRequestId();
  res.setHeader('x-acs-request-id', requestId);
  const facts = requestFacts(req, requestId, secureTransport, deps.auth.now());
  let format: Format = 'JSON';
  let host = req.headers.host ?? '';
  let resolved: ResolvedAction | undefined;
  let caller: Principal | undefined;
  let httpReq: ApiHttpRequest | undefined;
  let error: ApiError | undefined;
  const checks: NonNullable<AuditRecord['checks']> = [];
  let resource: string | undefined;
  try {
    httpReq = await parseApiRequest(req, deps.maxBodyBytes);
    facts.params = httpReq.params;
    host = httpReq.host;
    format = pickFormat(httpReq.params);
    const names = actionNames(httpReq);
    resolved = deps.catalog.resolve(names.version, names.action, host);
    caller = (await authenticate(httpReq, deps.auth)).principal;
    const { action } = resolved;
    refuseUndeclared(action, httpReq.params);
    const params = parseParams(action.params, httpReq.params);
    if (action.permission !== undefined) {
      const declared = [(await action.resource?.(params, caller, deps.services)) ?? '*'].flat();
      // Nothing named is not nothing checked: it is checked as everything.
      const resources = declared.length > 0 ? declared : ['*'];
      resource = resources[0];
      const context = requestContext(caller, facts);
      for (const [i, r] of resources.entries()) {
        const request = { caller, permission: action.permission, resource: r, context, ...(action.foreignResource ? { foreignResource: true } : {}) };
        const decision = await deps.services.authorizer.decide(request);
        // The first resource is the event's own; any further ones are recorded as checks.
        if (i > 0) checks.push({ permission: action.permission, resource: r, effect: decision.effect });
        if (decision.effect !== 'Allow') throw deps.services.authorizer.refusal(request, decision);
      }
    }
    for (const extra of action.alsoRequires?.(params, caller) ?? []) {
      const request = { caller, permission: extra.permission, resource: extra.resource, context: requestContext(caller, facts, extra.context) };
      const decision = await deps.services.authorizer.decide(request);
      checks.push({ permission: extra.permission, resource: extra.resource, effect: decision.effect });
      if (decision.effect !== 'Allow') throw extra.refusal({ AccessDeniedDetail: deps.services.authorizer.denialDetail(request, decision) });
    }
    const result = await action.handle(params, { caller, request: facts, services: deps.services });
    // A write is answered only once it is on disk, and its event with it.
    await Promise.all([
      audit(deps, facts, resolved, caller, httpReq, { responseElements: result, checks, ...(resource ? { resource } : {}) }),
      action.rw === 'Write' ? deps.services.store.flushed() : undefined,
    ]);
    renderResult(res, format, action.name, requestId, result);
  } catch (e) {
    if (e instanceof RequestAbortedError) {
      deps.log.debug({ requestId }, 'client went away before its request was read');
      return;
    }
    error = e instanceof ApiError ? e : CommonErrors.internal();
    if (!(e instanceof ApiError)) deps.log.error({ err: e, requestId }, 'internal error');
    if (caller !== undefined && resolved !== undefined && httpReq !== undefined) {
      try {
        const explanation = explain(deps, error);
        await audit(deps, facts, resolved, caller, httpReq, { errorCode: error.code, errorMessage: error.message, checks, ...(resource ? { resource } : {}), ...(explanation ? { explanation } : {}) });
      } catch (auditError) {
        deps.log.error({ err: auditError, requestId }, 'audit record failed');
        error = CommonErrors.internal();
      }
    }
    // A body refused unread (too large) would poison a kept-alive connection: close it.
    if (!req.complete) res.setHeader('connection', 'close');
    renderError(res, format, requestId, hostId(host), error);
  } finally {
    accessLog(deps.log).info(
      {
        requestId,
        action: resolved?.action.name,
        product: resolved?.product.code,
        accessKeyId: caller?.accessKeyId,
        status: res.statusCode,
        code: error?.code,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      'api request',
    );
  }
}
