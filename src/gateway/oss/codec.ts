// The OSS listener's codec: bucket and key from either addressing style, the operation from the
// router (a refusal of what is not implemented is kept until the caller is known, so it is audited
// as theirs), a PostObject form read up to its file (its signature is in it), and OSS's answers:
// XML errors with a request id, base64 in x-oss-err for HEAD, bodies streamed. The bucket a request
// names is read once, as it is parsed: its CORS rules shape every answer (a refusal before the
// caller is known included), and a CORS preflight (OPTIONS) is answered from them, unsigned.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { authenticateOss, authenticatePostForm, type OssAuthDeps, type OssCaller } from '../../auth/oss/index.js';
import { ANONYMOUS, ApiError, newOssRequestId, parseArn } from '../../model/index.js';
import { bucketAccess, corsHeaders, ossResource, OssErrors, postObject, preflight, renderXml, route, POST_OBJECT, type BucketRequest, type OssHttpRequest, type OssLimits, type OssOperation, type OssResult, type PostForm, type UploadCallbacks } from '../../services/oss/index.js';
import type { Services } from '../../services/index.js';
import type { BlobStore, BucketRecord, Store } from '../../store/index.js';
import type { Check } from '../../services/index.js';
import { lifecycle, type Codec, type LifecycleDeps } from '../lifecycle.js';
import { readPostForm } from './form.js';
import { parseOssRequest } from './request.js';

export interface OssDeps {
  services: Services;
  blobs: BlobStore;
  limits: OssLimits;
  auth: OssAuthDeps;
  /** Upload callbacks; without them a request that asks for one is refused. */
  callbacks?: UploadCallbacks;
}

export interface OssParsed {
  http: OssHttpRequest;
  /** The operation the request names, or why it is refused. */
  routed: OssOperation | ApiError;
  /** A PostObject's form, read up to its file. */
  form?: PostForm;
  /** A CORS preflight: no signature, no authorization, no audit event; the bucket's rules answer it. */
  preflight?: true;
  /** The read of the bucket the request names (prepare uses it rather than read again). */
  bucketRead?: Promise<BucketRecord | undefined>;
  /** What the bucket's CORS rules add to any answer to this request, success or error. */
  cors: Record<string, string>;
}

/**
 * The bucket a request names, read now. A store that does not answer leaves the answer without
 * CORS headers; the failure itself is the operation's, met again (and audited) in prepare.
 */
async function readBucket(store: Store, http: OssHttpRequest): Promise<{ bucketRead?: Promise<BucketRecord | undefined>; cors: Record<string, string> }> {
  if (http.bucket === undefined) return { cors: {} };
  const bucketRead = store.oss.getBucket(http.bucket);
  const record = await bucketRead.catch(() => undefined);
  return { bucketRead, cors: corsHeaders(record?.cors, http.headers.get('origin'), http.method) };
}

/** What a preflight is named in the access log (OSS's API reference calls it Options); it is never run as an operation. */
const PREFLIGHT: OssOperation = { name: 'Options', rw: 'Read', needsBucket: false, checks: () => [], handle: () => Promise.reject(OssErrors.methodNotAllowed()) };

/** Signature fields never reach the audit trail. */
const NOT_AUDITED = new Set(['Signature', 'security-token', 'x-oss-signature', 'x-oss-security-token', 'callback', 'callback-var']);

/** What an answer's audit event keeps beyond its status (an upload callback's outcome). */
const responseElements = (result: OssResult) => result.responseElements;

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

/**
 * Every permission on a bucket or its objects is decided with that bucket's own rules (its policy
 * and ACLs); a permission on another bucket (a copy's source) with that bucket's.
 */
async function withBucketRules(checks: readonly Check[], bucket: BucketRecord, store: Store): Promise<Check[]> {
  const buckets = new Map<string, BucketRecord | undefined>([[bucket.bucket, bucket]]);
  const out: Check[] = [];
  for (const check of checks) {
    const named = ossResource(check.resource);
    if (named === undefined || check.resourceAccess !== undefined) {
      out.push(check);
      continue;
    }
    if (!buckets.has(named.bucket)) buckets.set(named.bucket, await store.oss.getBucket(named.bucket));
    const record = buckets.get(named.bucket);
    out.push(record ? { ...check, resourceAccess: bucketAccess(record, named.key, store) } : check);
  }
  return out;
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
      const read = await readBucket(store, http);
      // A preflight names a bucket; OPTIONS on the service is refused by the router like any other method.
      if (http.method === 'OPTIONS' && http.bucket !== undefined) return { http, routed: PREFLIGHT, preflight: true, ...read };
      let routed: ReturnType<typeof route> | ApiError;
      try {
        routed = route(http);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        routed = e;
      }
      if (routed !== POST_OBJECT) return { http, routed, ...read };
      let form: PostForm;
      try {
        form = await readPostForm(req);
      } catch (e) {
        // A browser's form upload refused as it is read still carries the CORS headers that let the page read why.
        if (e instanceof ApiError) throw new ApiError(e.code, e.message, e.httpStatus, { ...e.extra }, { ...e.headers, ...read.cors });
        throw e;
      }
      return { http, routed: postObject(form), form, ...read };
    },

    async authenticate({ http, form, preflight: isPreflight }) {
      // A preflight never carries a signature (browsers send none) and none is checked.
      if (isPreflight) return { principal: ANONYMOUS };
      // A V4-signed form names its signing region, checked against the bucket's like a V4 header's.
      if (form) return authenticatePostForm(deps.auth, form.fields);
      // Unsigned: anonymous, allowed only what a bucket's ACL or policy grants anyone.
      return (await authenticateOss(http, deps.auth)) ?? { principal: ANONYMOUS };
    },

    identify({ http, routed, preflight: isPreflight, bucketRead }, { principal, signingRegion }, facts) {
      const requireBucket = async () => {
        const bucket = await (bucketRead ?? store.oss.getBucket(http.bucket ?? ''));
        if (bucket === undefined) throw OssErrors.noSuchBucket(http.bucket ?? '');
        return bucket;
      };
      // Nobody is authorized or audited for a preflight; the access log keeps it.
      if (isPreflight) return { prepare: async () => ({ checks: [], run: async () => preflight(await requireBucket(), http.headers) }) };
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
          const ctx = { caller: principal, store, blobs: deps.blobs, limits: deps.limits, now: facts.now, requestId: facts.requestId, sourceIp: facts.sourceIp, callbacks: deps.callbacks };
          if (!op.needsBucket) return { checks: op.checks(req, ctx), run: () => op.handle(req, ctx), responseElements };
          const bucket = await requireBucket();
          // A V4 signature is good only for the region of the bucket it addresses.
          if (signingRegion !== undefined && bucket.region !== `oss-${signingRegion}`) throw OssErrors.invalidSigningScope('region', signingRegion);
          const onBucket = req as BucketRequest;
          const checks = await withBucketRules(await op.checks(onBucket, { caller: principal, bucket, store, now: facts.now }), bucket, store);
          const run = async () => {
            // An operation that reads no body runs only once the body its request declared has arrived.
            if (op.readsBody === false) await onBucket.body();
            return op.handle(onBucket, { ...ctx, bucket });
          };
          return { checks, run, responseElements };
        },
      };
    },

    /**
     * What the real service tells: the caller's own account's refusal comes with the sealed
     * AccessDeniedDetail (DecodeDiagnosticMessage reads it); another account learns nothing of the
     * bucket's owner or of the policies that decided. A session policy's refusal has its own words.
     */
    refuse(caller, check, decision, detail) {
      if (caller.type === 'Anonymous') return OssErrors.accessDenied('You have no right to access this object because of bucket acl.');
      if (parseArn(check.resource)?.accountId !== caller.accountId) return OssErrors.notYourBucket();
      const message = decision.policy?.type === 'Session' ? "Access denied by authorizer's policy." : undefined;
      return OssErrors.accessDenied(message, { AccessDeniedDetail: detail() });
    },

    render: (res, parsed, result) => send(res, parsed.http.method, { ...result, headers: { ...result.headers, ...parsed.cors } }),

    renderError(res, parsed, e, facts) {
      const method = res.req.method;
      const host = (res.req.headers.host ?? 'rampart').replace(/:\d+$/, '');
      // An error carries the CORS headers too: a page must be able to read why its request was refused.
      const cors = parsed?.cors ?? {};
      if (e.httpStatus === 304) {
        res.writeHead(304, cors);
        res.end();
        return;
      }
      const body = renderXml('Error', { Code: e.code, Message: e.message, RequestId: facts.requestId, HostId: host, ...(e.extra as Parameters<typeof renderXml>[1]) });
      const headers: Record<string, string> = { ...e.headers, ...cors, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) };
      // A HEAD answer has no body, so OSS carries the error XML base64-encoded in a header.
      if (method === 'HEAD') headers['x-oss-err'] = Buffer.from(body).toString('base64');
      res.writeHead(e.httpStatus, headers);
      res.end(method === 'HEAD' ? undefined : body);
    },

    // A form's file not read (the upload was refused) is drained, so the form's reader lets go of the request.
    abandon: (parsed) => void parsed.form?.file.resume(),

    logFields: (parsed, identified) => ({ op: identified?.event?.name ?? (parsed?.preflight ? PREFLIGHT.name : undefined), bucket: parsed?.http.bucket }),
  };
}

/** The oss listener's handler. */
export function ossFrontDoor(deps: OssDeps, lifecycleDeps: LifecycleDeps, secureTransport: boolean) {
  return lifecycle(ossCodec(deps), lifecycleDeps, secureTransport);
}
