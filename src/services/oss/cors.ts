// A bucket's CORS rules: PutBucketCors, GetBucketCors, DeleteBucketCors, and what the rules say to
// a browser. The decision (which rule a request matches, and the headers that follow from it) is
// pure; the OSS front door asks it on every answer and for the preflight (OPTIONS) it serves itself.
// Docs: https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketcors and
// https://www.alibabacloud.com/help/en/oss/developer-reference/options. "[U]": guessed, not documented.
import { createHash } from 'node:crypto';
import { ApiError } from '../../model/index.js';
import type { BucketRecord } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { expectedMd5 } from './objects.js';
import { bucketArn, type OssOperation, type OssResult } from './operation.js';
import { children, readDocument, xmlAnswer, type XmlNode } from './xml.js';

export interface CorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface CorsConfiguration {
  rules: CorsRule[];
  /** Vary: Origin on every answer for the bucket, cross-origin or not, allowed or not (default false). */
  responseVary: boolean;
}

/** "Up to 10 rules can be configured for a bucket." */
const MAX_RULES = 10;
const METHODS: ReadonlySet<string> = new Set(['GET', 'PUT', 'DELETE', 'POST', 'HEAD']);
/** [U] OSS documents no size for the document; S3's limit for the same document is 64 KiB. */
const MAX_DOCUMENT_BYTES = 64 * 1024;

export const CorsErrors = {
  noSuchCorsConfiguration: () => new ApiError('NoSuchCORSConfiguration', 'The CORS configuration does not exist.', 404),
  /**
   * A preflight no rule allows, or for a bucket with no rules: "If no rule matches, OSS returns a
   * 403 AccessForbidden error" (ossutil cors-options). OSS's 403 guide gives the message's start
   * ("CORSResponse: This CORS request is not allowed..."); the rest as OBS, which copies it, prints
   * it, typo included. [U] whether a bucket without rules has words of its own.
   */
  notAllowed: (headers: Record<string, string> = {}) =>
    new ApiError(
      'AccessForbidden',
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      403,
      {},
      headers,
    ),
};

const invalid = (name: string, value: string, message: string) => OssErrors.invalidArgument(message, name, value);
const stars = (s: string) => s.split('*').length - 1;

/** One rule; every refusal is InvalidArgument naming the element, except a missing required one (MalformedXML [U]). */
function parseRule(node: XmlNode): CorsRule {
  const known = new Set(['AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader', 'MaxAgeSeconds']);
  // Fail closed: an element we do not know is not silently dropped. [U] what OSS does with one.
  if (node.children.some((c) => !known.has(c.name))) throw OssErrors.malformedXml();
  const texts = (name: string) => children(node, name).map((c) => c.text.trim());
  const allowedOrigins = texts('AllowedOrigin');
  const allowedMethods = texts('AllowedMethod');
  const allowedHeaders = texts('AllowedHeader');
  const exposeHeaders = texts('ExposeHeader');
  if (allowedOrigins.length === 0 || allowedMethods.length === 0) throw OssErrors.malformedXml();
  for (const o of allowedOrigins) {
    // [U] the wording; the rule ("only one * per origin") is documented.
    if (o === '' || stars(o) > 1) throw invalid('AllowedOrigin', o, 'An AllowedOrigin must be non-empty and may contain at most one wildcard (*).');
  }
  // An empty or unknown method is refused (EC 0034-00000011); methods are case-sensitive, as the SDKs check them.
  for (const m of allowedMethods) if (!METHODS.has(m)) throw invalid('AllowedMethod', m, `Unsupported method ${m}, (GET,PUT,DELETE,POST,HEAD).`);
  for (const h of allowedHeaders) if (stars(h) > 1) throw invalid('AllowedHeader', h, 'An AllowedHeader may contain at most one wildcard (*).');
  // EC 0034-00000013: no * < > & ' " in an ExposeHeader.
  for (const h of exposeHeaders) if (/[*<>&'"]/.test(h)) throw invalid('ExposeHeader', h, 'An ExposeHeader may not contain * < > & \' or ".');
  const ages = texts('MaxAgeSeconds');
  // "You can specify only one MaxAgeSeconds element in a CORS rule." [U] the refusal for two.
  if (ages.length > 1) throw OssErrors.malformedXml();
  const age = ages[0];
  // The SDKs' own tests expect InvalidArgument naming MaxAgeSeconds (oss2 test_invalid_argument: -1). [U] the upper bound.
  if (age !== undefined && (!/^\d{1,10}$/.test(age) || Number(age) > 2 ** 31 - 1)) throw invalid('MaxAgeSeconds', age, 'MaxAgeSeconds must be a non-negative integer.');
  return { allowedOrigins, allowedMethods, allowedHeaders, exposeHeaders, ...(age !== undefined ? { maxAgeSeconds: Number(age) } : {}) };
}

/** A PutBucketCors body, parsed and checked as OSS checks it. */
export function parseCorsConfiguration(text: string): CorsConfiguration {
  const doc = readDocument(text, 'CORSConfiguration');
  if (doc.children.some((c) => c.name !== 'CORSRule' && c.name !== 'ResponseVary')) throw OssErrors.malformedXml();
  const ruleNodes = children(doc, 'CORSRule');
  // EC 0034-00000002: a configuration without a rule. [U] its code.
  if (ruleNodes.length === 0) throw OssErrors.malformedXml();
  // [U] the code and words past the documented limit.
  if (ruleNodes.length > MAX_RULES) throw invalid('CORSRule', String(ruleNodes.length), `A bucket may have at most ${MAX_RULES} CORS rules.`);
  const vary = children(doc, 'ResponseVary').map((c) => c.text.trim());
  if (vary.length > 1) throw OssErrors.malformedXml();
  const v = vary[0];
  if (v !== undefined && v !== 'true' && v !== 'false') throw invalid('ResponseVary', v, 'ResponseVary must be true or false.');
  return { rules: ruleNodes.map(parseRule), responseVary: v === 'true' };
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isRule = (r: Partial<CorsRule>): r is CorsRule =>
  strings(r.allowedOrigins) && strings(r.allowedMethods) && strings(r.allowedHeaders) && strings(r.exposeHeaders) && (r.maxAgeSeconds === undefined || typeof r.maxAgeSeconds === 'number');

/** The stored document (the normalized JSON PutBucketCors writes); anything else is no rules at all. */
export function readCors(stored: string | undefined): CorsConfiguration | undefined {
  if (stored === undefined) return undefined;
  try {
    const doc = JSON.parse(stored) as { rules?: unknown; responseVary?: unknown };
    const rules = Array.isArray(doc.rules) ? (doc.rules as Partial<CorsRule>[]).filter(isRule) : [];
    return rules.length > 0 ? { rules, responseVary: doc.responseVary === true } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * At most one "*" (PutBucketCors refuses more), so a pattern is a prefix and a suffix: one
 * comparison of each, linear in the text, whatever the input.
 */
export function matchesWildcard(pattern: string, text: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === text;
  if (pattern.indexOf('*', star + 1) >= 0) return false;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return text.length >= prefix.length + suffix.length && text.startsWith(prefix) && text.endsWith(suffix);
}

/**
 * The first rule that allows a request from `origin` with `method` (the request's, or a preflight's
 * Access-Control-Request-Method) and every one of `requestHeaders` (a preflight's
 * Access-Control-Request-Headers; header names match case-insensitively). Origins match as sent. [U]
 * OSS's case rule for origins.
 */
export function matchCorsRule(rules: readonly CorsRule[], origin: string, method: string, requestHeaders: readonly string[] = []): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.allowedOrigins.some((o) => matchesWildcard(o, origin)) &&
      r.allowedMethods.includes(method) &&
      requestHeaders.every((h) => r.allowedHeaders.some((a) => matchesWildcard(a.toLowerCase(), h.toLowerCase()))),
  );
}

/**
 * What a matching rule adds to an answer. The Options reference gives the request's Origin as
 * Access-Control-Allow-Origin, so it is echoed even for a "*" rule [U: a real "*" rule may answer
 * "*"]; the methods are the rule's [U]. OSS documents no Access-Control-Allow-Credentials, so none is sent.
 */
function ruleHeaders(rule: CorsRule, origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': rule.allowedMethods.join(', '),
    ...(rule.exposeHeaders.length > 0 ? { 'access-control-expose-headers': rule.exposeHeaders.join(', ') } : {}),
    ...(rule.maxAgeSeconds !== undefined ? { 'access-control-max-age': String(rule.maxAgeSeconds) } : {}),
  };
}

const vary = (config: CorsConfiguration | undefined): Record<string, string> => (config?.responseVary ? { vary: 'Origin' } : {});

/**
 * The CORS headers of any answer (success or error) to a request for a bucket: the first matching
 * rule's for a request with an Origin, and Vary: Origin whenever the bucket's ResponseVary says so.
 * No match: no CORS headers, and the browser keeps the answer from the page.
 */
export function corsHeaders(stored: string | undefined, origin: string | undefined, method: string): Record<string, string> {
  const config = readCors(stored);
  const rule = config && origin !== undefined ? matchCorsRule(config.rules, origin, method) : undefined;
  return { ...(rule && origin !== undefined ? ruleHeaders(rule, origin) : {}), ...vary(config) };
}

/** Access-Control-Request-Headers: comma-separated names, as sent. */
const requestedHeaders = (value: string | undefined): string[] => (value ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');

/**
 * A preflight (OPTIONS /<bucket>[/<key>]), answered from the bucket's rules: 200 with the rule's
 * headers and the requested headers allowed, or 403 AccessForbidden (no rules, no match, or no
 * Origin / Access-Control-Request-Method [U]). It needs no signature and reads no object.
 */
export function preflight(bucket: BucketRecord, headers: ReadonlyMap<string, string>): OssResult {
  const config = readCors(bucket.cors);
  const origin = headers.get('origin');
  // [U] a lower-case method is matched as its upper-case form (ossutil's examples send "put").
  const method = headers.get('access-control-request-method')?.toUpperCase();
  const asked = requestedHeaders(headers.get('access-control-request-headers'));
  const rule = config && origin !== undefined && method !== undefined ? matchCorsRule(config.rules, origin, method, asked) : undefined;
  if (rule === undefined || origin === undefined) throw CorsErrors.notAllowed(vary(config));
  return {
    status: 200,
    headers: {
      ...ruleHeaders(rule, origin),
      ...(asked.length > 0 ? { 'access-control-allow-headers': asked.join(', ') } : {}),
      ...vary(config),
    },
  };
}

/** GetBucketCors's document; ResponseVary is always written (false when never set), as OSS answers. */
function renderCors(config: CorsConfiguration) {
  return xmlAnswer('CORSConfiguration', {
    CORSRule: config.rules.map((r) => ({
      AllowedOrigin: r.allowedOrigins,
      AllowedMethod: r.allowedMethods,
      AllowedHeader: r.allowedHeaders,
      ExposeHeader: r.exposeHeaders,
      MaxAgeSeconds: r.maxAgeSeconds,
    })),
    ResponseVary: config.responseVary,
  });
}

export const PutBucketCors: OssOperation = {
  name: 'PutBucketCors',
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:PutBucketCors', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    const md5 = expectedMd5(req);
    const body = await req.body(MAX_DOCUMENT_BYTES);
    if (md5 !== undefined && !md5.equals(createHash('md5').update(body).digest())) throw OssErrors.badDigest();
    const config = parseCorsConfiguration(body.toString('utf8'));
    // The new rules replace the old ones whole.
    await ctx.store.oss.putBucketConfig(req.bucket, 'cors', JSON.stringify(config));
    return { status: 200 };
  },
};

export const GetBucketCors: OssOperation = {
  name: 'GetBucketCors',
  rw: 'Read',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:GetBucketCors', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    const config = readCors(await ctx.store.oss.getBucketConfig(req.bucket, 'cors'));
    if (config === undefined) throw CorsErrors.noSuchCorsConfiguration();
    return renderCors(config);
  },
};

/** 204 whether or not there were rules (the SDKs' live tests delete twice). */
export const DeleteBucketCors: OssOperation = {
  name: 'DeleteBucketCors',
  readsBody: false,
  rw: 'Write',
  needsBucket: true,
  checks: (_req, { bucket }) => [{ permission: 'oss:DeleteBucketCors', resource: bucketArn(bucket) }],
  handle: async (req, ctx) => {
    await ctx.store.oss.deleteBucketConfig(req.bucket, 'cors');
    return { status: 204 };
  },
};
