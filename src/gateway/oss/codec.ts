// The OSS listener's codec: bucket and key from either addressing style, the operation from the
// router (a refusal of what is not implemented is kept until the caller is known, so it is audited
// as theirs), a PostObject form read up to its file (its signature is in it), and OSS's answers:
// XML errors with a request id, base64 in x-oss-err for HEAD, bodies streamed.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { authenticateOss, authenticatePostForm, type OssAuthDeps, type OssCaller } from '../../auth/oss/index.js';
import { ApiError, newOssRequestId, parseArn } from '../../model/index.js';
import { OssErrors, postObject, renderXml, route, POST_OBJECT, type BucketRequest, type OssHttpRequest, type OssLimits, type OssOperation, type OssResult, type PostForm } from '../../services/oss/index.js';
import type { Services } from '../../services/index.js';
import type { BlobStore } from '../../store/index.js';
import { lifecycle, type Codec, type LifecycleDeps } from '../lifecycle.js';
import { readPostForm } from './form.js';
import { parseOssRequest } from './request.js';

export interface OssDeps {
  services: Services;
  blobs: BlobStore;
  limits: OssLimits;
  auth: OssAuthDeps;
}

export interface OssParsed {
  http: OssHttpRequest;
  /** The operation the request names, or why it is refused. */
  routed: OssOperation | ApiError;
  /** A PostObject's form, read up to its file. */
  form?: PostForm;
}

/** Signature fields never reach the audit trail. */
const NOT_AUDITED = new Set(['Signature', 'security-token', 'x-oss-signature', 'x-oss-security-token']);

/** What the audit trail names a request for an operation Rampart does not implement. */
function refusedOperation(req: OssHttpRequest, refusal: ApiError): OssOperation {
  const rw = req.method === 'GET' || req.method === 'HEAD' ? 'Read' : 'Write';
  return { name: 'NotImplemented', rw, needsBucket: false, checks: () => [], handle: () => Promise.reject(refusal) };
}

async function send(res: ServerResponse, method: string, result: OssResult): Promise<void> {
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
    res.end(method === 'HEAD' ? undefined : result.body);
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

/** under: the path the codec serves OSS beneath, path style only (the console's /api/oss). */
export function ossCodec(deps: OssDeps, under?: string): Codec<OssParsed, OssCaller, OssResult> {
  const store = deps.services.store;
  return {
    name: 'oss',
    requestIdHeader: 'x-oss-request-id',
    newRequestId: () => newOssRequestId(),

    async parse(req) {
      const http = parseOssRequest(req, under);
      let routed: ReturnType<typeof route> | ApiError;
      try {
        routed = route(http);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        routed = e;
      }
      if (routed !== POST_OBJECT) return { http, routed };
      const form = await readPostForm(req);
      return { http, routed: postObject(form), form };
    },

    async authenticate({ http, form }) {
      if (form) return { principal: await authenticatePostForm(deps.auth, form.fields) };
      const signed = await authenticateOss(http, deps.auth);
      if (signed === undefined) throw OssErrors.accessDenied('AccessDenied: anonymous access is not allowed; sign the request.');
      return signed;
    },

    identify({ http, routed }, { principal, signingRegion }, facts) {
      const op = routed instanceof ApiError ? refusedOperation(http, routed) : routed;
      const req = signingRegion !== undefined ? { ...http, region: signingRegion } : http;
      return {
        caller: principal,
        event: {
          serviceName: 'Oss',
          apiVersion: '',
          name: op.name,
          rw: op.rw,
          parameters: [
            ...(http.bucket !== undefined ? [['bucket', http.bucket] as const] : []),
            ...(http.key !== undefined ? [['key', http.key] as const] : []),
            ...[...http.params].filter(([k]) => !NOT_AUDITED.has(k)),
          ],
        },
        async prepare() {
          const ctx = { caller: principal, store, blobs: deps.blobs, limits: deps.limits, now: facts.now, requestId: facts.requestId };
          if (!op.needsBucket) return { checks: op.checks(req, ctx), run: () => op.handle(req, ctx) };
          const bucket = await store.oss.getBucket(req.bucket ?? '');
          if (bucket === undefined) throw OssErrors.noSuchBucket(req.bucket ?? '');
          // A V4 signature is good only for the region of the bucket it addresses.
          if (signingRegion !== undefined && bucket.region !== `oss-${signingRegion}`) throw OssErrors.invalidSigningScope('region', signingRegion);
          const onBucket = req as BucketRequest;
          return { checks: await op.checks(onBucket, { caller: principal, bucket, store, now: facts.now }), run: () => op.handle(onBucket, { ...ctx, bucket }) };
        },
      };
    },

    /**
     * What the real service tells: the caller's own account's refusal comes with the sealed
     * AccessDeniedDetail (DecodeDiagnosticMessage reads it); another account learns nothing of the
     * bucket's owner or of the policies that decided. A session policy's refusal has its own words.
     */
    refuse(caller, check, decision, detail) {
      if (parseArn(check.resource)?.accountId !== caller.accountId) return OssErrors.notYourBucket();
      const message = decision.policy?.type === 'Session' ? "Access denied by authorizer's policy." : undefined;
      return OssErrors.accessDenied(message, { AccessDeniedDetail: detail() });
    },

    render: (res, parsed, result) => send(res, parsed.http.method, result),

    renderError(res, _parsed, e, facts) {
      const method = res.req.method;
      const host = (res.req.headers.host ?? 'rampart').replace(/:\d+$/, '');
      if (e.httpStatus === 304) {
        res.writeHead(304);
        res.end();
        return;
      }
      const body = renderXml('Error', { Code: e.code, Message: e.message, RequestId: facts.requestId, HostId: host, ...(e.extra as Parameters<typeof renderXml>[1]) });
      const headers: Record<string, string> = { ...e.headers, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) };
      // A HEAD answer has no body, so OSS carries the error XML base64-encoded in a header.
      if (method === 'HEAD') headers['x-oss-err'] = Buffer.from(body).toString('base64');
      res.writeHead(e.httpStatus, headers);
      res.end(method === 'HEAD' ? undefined : body);
    },

    // A form's file not read (the upload was refused) is drained, so the form's reader lets go of the request.
    abandon: (parsed) => void parsed.form?.file.resume(),

    logFields: (parsed, identified) => ({ op: identified?.event?.name, bucket: parsed?.http.bucket }),
  };
}

/** The oss listener's handler. */
export function ossFrontDoor(deps: OssDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean) {
  return lifecycle(ossCodec(deps), lifecycleDeps, secureTransport);
}
