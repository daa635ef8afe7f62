// The OSS front door: parse (virtual-host or path style) → authenticate (V1, V4, presigned, form)
// → route to an operation → look up the bucket → authorize every permission it needs → handle
// (streaming) → audit → render. Errors are OSS XML, and every answer has x-oss-request-id.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { requestContext } from '../../access/index.js';
import { ApiError, newOssRequestId, parseArn, type Principal } from '../../model/index.js';
import { checkHeaderValue, checkPostPolicy, standardHeaders, formKey, formMetadata, md5Hex, objectArn, POST_OBJECT, route, storeBody, type OssLimits, type OssOperation, type OssResult } from '../../services/oss/index.js';
import type { Check, RequestFacts, Services } from '../../services/index.js';
import type { BlobStore, BucketRecord } from '../../store/index.js';
import type { AuditRecord, AuditSink } from '../audit/index.js';
import { discardUnread } from '../http/discard-unread.js';
import { requestFacts } from '../http/request-facts.js';
import { redactSecrets } from '../audit/index.js';
import { boundedParameters } from '../audit/index.js';
import { accessLog } from '../../log.js';
import { authenticateOss, authenticatePostForm, type OssAuthDeps } from './auth.js';
import { OssErrors } from '../../services/oss/errors.js';
import { MEANINGFUL_HEADERS } from '../../services/oss/vocabulary.js';
import { formBoundary, readPostForm } from './form.js';
import { parseOssRequest, type OssHttpRequest } from './request.js';
import { renderXml } from '../../services/oss/xml.js';

export interface OssDeps {
  services: Services;
  blobs: BlobStore;
  limits: OssLimits;
  auth: OssAuthDeps;
  audit?: AuditSink;
  log: Logger;
}

/** What the trail records for a request its client abandoned before sending all of it. */
const clientAborted = () => new ApiError('ClientAborted', 'The client closed the connection before sending its whole request.', 400);

function renderError(res: ServerResponse, req: IncomingMessage, e: ApiError, requestId: string): void {
  const host = (req.headers.host ?? 'rampart').replace(/:\d+$/, '');
  const body = renderXml('Error', { Code: e.code, Message: e.message, RequestId: requestId, HostId: host, ...e.extra });
  if (e.httpStatus === 304) {
    res.writeHead(304);
    res.end();
    return;
  }
  const headers: Record<string, string> = { ...e.headers, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) };
  // A HEAD answer has no body, so OSS carries the error XML base64-encoded in a header.
  if (req.method === 'HEAD') headers['x-oss-err'] = Buffer.from(body).toString('base64');
  res.writeHead(e.httpStatus, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function send(res: ServerResponse, req: IncomingMessage, result: OssResult): Promise<void> {
  const headers = { ...(result.headers ?? {}) };
  if (result.body === undefined) {
    if (!('content-length' in headers)) headers['content-length'] = '0';
    res.writeHead(result.status, headers);
    res.end();
    return;
  }
  if (typeof result.body === 'string' || Buffer.isBuffer(result.body)) {
    headers['content-length'] = String(Buffer.byteLength(result.body));
    res.writeHead(result.status, headers);
    res.end(req.method === 'HEAD' ? undefined : result.body);
    return;
  }
  res.writeHead(result.status, headers);
  const body: Readable = result.body;
  await new Promise<void>((resolve) => {
    body.on('error', () => res.destroy());
    res.on('close', () => {
      body.destroy();
      resolve();
    });
    body.pipe(res);
  });
}

/** What the audit trail names a request for an operation Rampart does not implement. */
function refusedOperation(req: OssHttpRequest): OssOperation {
  return { name: 'NotImplemented', rw: req.method === 'GET' || req.method === 'HEAD' ? 'Read' : 'Write', needsBucket: false, permissions: () => [], handle: () => Promise.reject(OssErrors.notImplemented()) };
}

export function ossHandler(deps: OssDeps, secureTransport: boolean) {
  /**
   * Checks each permission; a refusal leaves its explanation in `why` for the audit event. The
   * caller is told what the real service tells: its own account's refusal comes with the sealed
   * AccessDeniedDetail (DecodeDiagnosticMessage reads it); another account learns nothing of the
   * bucket's owner or of the policies that decided.
   */
  async function authorize(caller: Principal, permissions: Check[], facts: RequestFacts, checks: NonNullable<AuditRecord['checks']>, why: { explanation?: string }): Promise<void> {
    for (const p of permissions) {
      const request = { caller, permission: p.permission, resource: p.resource, context: requestContext(caller, facts, p.context) };
      const decision = await deps.services.authorizer.decide(request);
      checks.push({ permission: p.permission, resource: p.resource, effect: decision.effect });
      if (decision.effect !== 'Allow') {
        why.explanation = `${decision.effect} of ${p.permission} on ${p.resource}: ${decision.reason}`;
        if (parseArn(p.resource)?.accountId !== caller.accountId) throw OssErrors.notYourBucket();
        // OSS's words when an STS session policy refused; otherwise its general refusal.
        const message = decision.policy?.type === 'Session' ? "Access denied by authorizer's policy." : undefined;
        throw OssErrors.accessDenied(message, { AccessDeniedDetail: deps.services.authorizer.denialDetail(request, decision) });
      }
    }
  }

  /** A V4 signature is good only for the region of the bucket it addresses. */
  function checkSigningRegion(signingRegion: string | undefined, bucket: BucketRecord | undefined): void {
    if (signingRegion !== undefined && bucket !== undefined && bucket.region !== `oss-${signingRegion}`) throw OssErrors.invalidSigningScope('region', signingRegion);
  }

  async function postObject(req: OssHttpRequest, facts: RequestFacts, checks: NonNullable<AuditRecord['checks']>, why: { explanation?: string }): Promise<{ caller: Principal; result: OssResult }> {
    const boundary = formBoundary(req.headers.get('content-type'));
    if (boundary === undefined) throw OssErrors.invalidArgument('A form upload needs a multipart/form-data boundary.', 'Content-Type');
    const bucket = await deps.services.store.oss.getBucket(req.bucket ?? '');
    if (bucket === undefined) throw OssErrors.noSuchBucket(req.bucket ?? '');
    return readPostForm(req.raw, boundary, async (fields, file, header) => {
      const caller = await authenticatePostForm(deps.auth, fields);
      const key = formKey(fields, header.filename);
      const bounds = checkPostPolicy(fields.get('policy') ?? '', fields, { bucket: bucket.bucket, key, now: facts.now });
      await authorize(caller, [{ permission: 'oss:PutObject', resource: objectArn(bucket, key) }], facts, checks, why);
      // Form fields that ask for functionality (x-oss-object-acl, x-oss-forbid-overwrite …) are not
      // honoured here: refused, as the same headers are.
      for (const name of fields.keys()) if (MEANINGFUL_HEADERS.has(name)) throw OssErrors.notImplemented(name);
      // Everything the object will be served with is checked before a byte of it is stored.
      const contentType = checkHeaderValue('Content-Type', fields.get('content-type') ?? header.contentType ?? 'application/octet-stream');
      const metadata = formMetadata(fields);
      const httpHeaders = standardHeaders(fields);
      const ctx = { caller, store: deps.services.store, blobs: deps.blobs, limits: deps.limits, now: facts.now, requestId: facts.requestId, bucket };
      const written = await storeBody(ctx, file, Math.min(deps.limits.maxObjectSize, bounds.max));
      if (written.size < bounds.min) {
        await deps.blobs.delete(written.blobId);
        throw OssErrors.entityTooSmall();
      }
      const etag = md5Hex(written.md5);
      const previous = await deps.services.store.oss.putObject({
        bucket: bucket.bucket,
        key,
        blobId: written.blobId,
        size: written.size,
        etag,
        contentType,
        metadata,
        objectType: 'Normal',
        lastModified: facts.now,
        storageClass: bucket.storageClass,
        httpHeaders,
      });
      if (previous !== undefined) await deps.blobs.delete(previous);
      const status = Number(fields.get('success_action_status') ?? '204');
      return { caller, result: { status: [200, 201, 204].includes(status) ? status : 204, headers: { etag: `"${etag}"` } } };
    });
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = newOssRequestId();
    res.setHeader('x-oss-request-id', requestId);
    const facts = requestFacts(req, requestId, secureTransport, deps.auth.now());
    let caller: Principal | undefined;
    let op: OssOperation | undefined;
    let parsed: OssHttpRequest | undefined;
    const checks: NonNullable<AuditRecord['checks']> = [];
    const why: { explanation?: string } = {};
    let outcome: Pick<AuditRecord, 'errorCode' | 'errorMessage' | 'explanation'> = {};
    try {
      parsed = parseOssRequest(req);
      let result: OssResult;
      // A request for what is not implemented is refused before its body is read or anything
      // looked up; a signed one is authenticated first, so the refusal is audited as the caller's.
      let routed: ReturnType<typeof route> | ApiError;
      try {
        routed = route(parsed);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        routed = e;
      }
      if (routed === POST_OBJECT) {
        const posted = await postObject(parsed, facts, checks, why);
        caller = posted.caller;
        result = posted.result;
        op = { name: 'PostObject', rw: 'Write', needsBucket: true, permissions: () => [], handle: async () => result };
      } else {
        const signed = await authenticateOss(parsed, deps.auth);
        if (signed === undefined) throw OssErrors.accessDenied('AccessDenied: anonymous access is not allowed; sign the request.');
        caller = signed.principal;
        if (routed instanceof ApiError) {
          op = refusedOperation(parsed);
          throw routed;
        }
        op = routed;
        if (signed.signingRegion !== undefined) parsed = { ...parsed, region: signed.signingRegion };
        const bucket = op.needsBucket ? await deps.services.store.oss.getBucket(parsed.bucket ?? '') : undefined;
        if (op.needsBucket && bucket === undefined) throw OssErrors.noSuchBucket(parsed.bucket ?? '');
        checkSigningRegion(signed.signingRegion, bucket);
        await authorize(caller, await op.permissions(parsed, { caller, bucket, store: deps.services.store }), facts, checks, why);
        result = await op.handle(parsed, { caller, store: deps.services.store, blobs: deps.blobs, limits: deps.limits, now: facts.now, requestId, bucket });
      }
      // A write is answered only once it is on disk, and its event with it.
      await Promise.all([record(), op.rw === 'Write' ? deps.services.store.flushed() : undefined]);
      await send(res, req, result);
    } catch (e) {
      // A client that hung up mid-body (a cancelled upload) is no fault of ours: recorded as what
      // it was, with no one left to answer.
      const aborted = !(e instanceof ApiError) && req.destroyed && !req.complete;
      const error = e instanceof ApiError ? e : aborted ? clientAborted() : new ApiError('InternalError', 'We encountered an internal error. Please try again.', 500);
      if (aborted) deps.log.debug({ requestId }, 'client went away before its request was read');
      else if (!(e instanceof ApiError)) deps.log.error({ err: e, requestId }, 'oss internal error');
      outcome = { errorCode: error.code, errorMessage: error.message, ...(why.explanation ? { explanation: why.explanation } : {}) };
      try {
        await record();
      } catch (auditError) {
        deps.log.error({ err: auditError, requestId }, 'audit record failed');
      }
      if (res.headersSent) res.destroy();
      else {
        await discardUnread(req, res);
        renderError(res, req, error, requestId);
      }
    } finally {
      accessLog(deps.log).info({ requestId, op: op?.name, bucket: parsed?.bucket, accessKeyId: caller?.accessKeyId, status: res.statusCode, code: outcome.errorCode }, 'oss request');
    }

    async function record(): Promise<void> {
      if (caller === undefined || op === undefined || parsed === undefined) return;
      await deps.audit?.record({
        request: facts,
        serviceName: 'Oss',
        apiVersion: '',
        eventName: op.name,
        eventRW: op.rw,
        caller,
        requestParameters: redactSecrets(
          boundedParameters([
            ...(parsed.bucket !== undefined ? [['bucket', parsed.bucket] as const] : []),
            ...(parsed.key !== undefined ? [['key', parsed.key] as const] : []),
            ...[...parsed.params].filter(([k]) => !['Signature', 'security-token', 'x-oss-signature', 'x-oss-security-token'].includes(k)),
          ]),
        ) as Record<string, string>,
        ...outcome,
        ...(checks.length ? { checks } : {}),
      });
    }
  };
}
