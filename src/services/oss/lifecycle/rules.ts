// A bucket's lifecycle rules: read from a PutBucketLifecycle document and checked as OSS checks
// them, kept as normalized JSON, written back as GetBucketLifecycle answers, and asked when an
// object or an upload is due. Pure: no store, no clock (the caller gives "now" and new rule IDs).
// Docs: https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketlifecycle and the
// PutBucketLifecycle error pages (EC 0014-000000xx). "[U]": guessed, not documented.
import { ApiError } from '../../../model/index.js';
import { OssErrors } from '../errors.js';
import { checkTags } from '../tagging/rules.js';
import { children, readDocument, type XmlNode } from '../xml.js';

/** When an action is due: so many days after the last change, or for anything changed before a date (midnight UTC). */
export type LifecycleTime = { days: number } | { createdBeforeDate: string };

export interface LifecycleRule {
  id: string;
  prefix: string;
  status: 'Enabled' | 'Disabled';
  expiration?: LifecycleTime;
  abortMultipartUpload?: LifecycleTime;
  /** Tags an object must all carry for the rule to apply to it, in the order given. */
  tags: [string, string][];
}

export interface LifecycleConfiguration {
  rules: LifecycleRule[];
}

/** "The container can store the configurations of up to 1,000 lifecycle rules." */
export const MAX_LIFECYCLE_RULES = 1000;
const MAX_ID_BYTES = 255;
/** [U] no documented bound: a prefix longer than the longest key matches nothing. */
const MAX_PREFIX_BYTES = 1023;
const DAY_MS = 24 * 3600 * 1000;

/** Elements OSS knows in a rule that Rampart does not implement: refused, never dropped (fail closed). */
const NOT_IMPLEMENTED = new Set(['Transition', 'NoncurrentVersionExpiration', 'NoncurrentVersionTransition', 'AtimeBase']);
const SINGLE = ['ID', 'Prefix', 'Status', 'Expiration', 'AbortMultipartUpload', 'Filter'];
const ACTIONS = ['Expiration', 'AbortMultipartUpload'] as const;

const invalid = (message: string, name: string, value: string) => OssErrors.invalidArgument(message, name, value);

/**
 * Rules whose prefixes overlap may not share an action (EC 0014-00000084; the real service says
 * "Overlap for same action type Expiration." with code InvalidRequest), nor have the same prefix
 * at all (EC 0014-00000085 [U] its words). x-oss-allow-same-action-overlap is not implemented.
 */
const overlap = (message: string) => new ApiError('InvalidRequest', message, 400);

/** Days (a positive whole number) or CreatedBeforeDate (midnight UTC, ISO 8601 with milliseconds), one of the two. */
function parseTime(node: XmlNode, parent: 'Expiration' | 'AbortMultipartUpload'): LifecycleTime {
  const known = parent === 'Expiration' ? ['Days', 'CreatedBeforeDate', 'ExpiredObjectDeleteMarker'] : ['Days', 'CreatedBeforeDate'];
  // Expiration's <Date> (the older API's absolute expiry; aliyun-sdk's only absolute form,
  // aliyun-oss-go-sdk's "not recommended" one) is known to OSS and not implemented here.
  if (parent === 'Expiration' && children(node, 'Date').length > 0) throw OssErrors.notImplemented();
  if (node.children.some((c) => !known.includes(c.name))) throw OssErrors.malformedXml();
  for (const name of known) if (children(node, name).length > 1) throw OssErrors.malformedXml();
  const marker = children(node, 'ExpiredObjectDeleteMarker')[0]?.text.trim();
  // Removing delete markers belongs to versioning, which Rampart does not have; "false" asks for nothing.
  if (marker === 'true') throw OssErrors.notImplemented();
  if (marker !== undefined && marker !== 'false') throw invalid('ExpiredObjectDeleteMarker must be true or false.', 'ExpiredObjectDeleteMarker', marker);
  const days = children(node, 'Days')[0]?.text.trim();
  const date = children(node, 'CreatedBeforeDate')[0]?.text.trim();
  // EC 0014-00000061/74 (both) and 0014-00000060/73 (neither). [U] their codes and words.
  if (days !== undefined && date !== undefined) throw invalid(`${parent} may have Days or CreatedBeforeDate, not both.`, parent, '');
  if (days === undefined && date === undefined) throw invalid(`${parent} must have Days or CreatedBeforeDate.`, parent, '');
  if (days !== undefined) {
    // [U] the upper bound: a 32-bit count, as the SDKs hold it.
    if (!/^[1-9]\d{0,9}$/.test(days) || Number(days) > 2 ** 31 - 1) throw invalid('Days must be a positive integer.', 'Days', days);
    return { days: Number(days) };
  }
  const text = date ?? '';
  const valid = /^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/.test(text) && !Number.isNaN(Date.parse(text)) && new Date(text).toISOString() === text;
  if (!valid) throw invalid('CreatedBeforeDate must be midnight UTC in ISO 8601, as 2002-10-11T00:00:00.000Z.', 'CreatedBeforeDate', text);
  return { createdBeforeDate: text };
}

function parseTag(node: XmlNode): [string, string] {
  if (node.children.some((c) => c.name !== 'Key' && c.name !== 'Value')) throw OssErrors.malformedXml();
  const keys = children(node, 'Key');
  const values = children(node, 'Value');
  if (keys.length !== 1 || values.length > 1) throw OssErrors.malformedXml();
  return [keys[0]?.text ?? '', values[0]?.text ?? ''];
}

function parseRule(node: XmlNode, newId: () => string): LifecycleRule {
  for (const c of node.children) {
    if (NOT_IMPLEMENTED.has(c.name)) throw OssErrors.notImplemented();
    // [U] what OSS answers for an element it does not know; it is not silently dropped here.
    if (!SINGLE.includes(c.name) && c.name !== 'Tag') throw OssErrors.malformedXml();
  }
  // EC 0014-00000089: a node given twice.
  for (const name of SINGLE) if (children(node, name).length > 1) throw OssErrors.malformedXml();
  // An empty <Filter/> asks for nothing; its Not, ObjectSizeGreaterThan and ObjectSizeLessThan are not implemented.
  const filter = children(node, 'Filter')[0];
  if (filter !== undefined && (filter.children.length > 0 || filter.text.trim() !== '')) throw OssErrors.notImplemented();

  const idText = children(node, 'ID')[0]?.text ?? '';
  // "If you do not specify this element or if you leave this element empty, OSS automatically generates a unique ID."
  const id = idText === '' ? newId() : idText;
  if (Buffer.byteLength(id) > MAX_ID_BYTES) throw invalid(`The ID of a rule can be up to ${MAX_ID_BYTES} bytes long.`, 'ID', id);
  // No Prefix: the rule applies to the whole bucket.
  const prefix = children(node, 'Prefix')[0]?.text ?? '';
  if (Buffer.byteLength(prefix) > MAX_PREFIX_BYTES) throw invalid(`A prefix can be up to ${MAX_PREFIX_BYTES} bytes long.`, 'Prefix', prefix);
  const statusNode = children(node, 'Status')[0];
  // EC 0014-00000025 (missing) and 0014-00000024 (not Enabled or Disabled). [U] their codes.
  if (statusNode === undefined) throw OssErrors.malformedXml();
  const status = statusNode.text.trim();
  if (status !== 'Enabled' && status !== 'Disabled') throw invalid('Status must be Enabled or Disabled.', 'Status', status);

  const expirationNode = children(node, 'Expiration')[0];
  const abortNode = children(node, 'AbortMultipartUpload')[0];
  const expiration = expirationNode && parseTime(expirationNode, 'Expiration');
  const abortMultipartUpload = abortNode && parseTime(abortNode, 'AbortMultipartUpload');
  // [U] the code and words: a rule with nothing to do.
  if (expiration === undefined && abortMultipartUpload === undefined) throw invalid('A rule must have at least one action: Expiration or AbortMultipartUpload.', 'Rule', id);

  const pairs = children(node, 'Tag').map(parseTag);
  // A tag filter selects objects, not uploads (the SDKs refuse the pair before sending it). [U] the code.
  if (pairs.length > 0 && abortMultipartUpload !== undefined) throw invalid('Tag cannot be used with AbortMultipartUpload.', 'Tag', '');
  let tags: Record<string, string>;
  try {
    tags = checkTags(pairs);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'InvalidArgument') throw invalid(e.message, 'Tag', '');
    throw e;
  }
  return {
    id,
    prefix,
    status,
    ...(expiration !== undefined ? { expiration } : {}),
    ...(abortMultipartUpload !== undefined ? { abortMultipartUpload } : {}),
    tags: Object.entries(tags),
  };
}

/** No two rules with one ID (EC 0014-00000020), and no overlap of prefixes for one action. */
function checkRuleSet(rules: readonly LifecycleRule[]): void {
  const ids = new Set<string>();
  for (const r of rules) {
    // [U] the code and words.
    if (ids.has(r.id)) throw invalid('Rule IDs must be unique.', 'ID', r.id);
    ids.add(r.id);
  }
  // At most 1000 rules: under half a million comparisons.
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i];
      const b = rules[j];
      if (a === undefined || b === undefined || !(a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))) continue;
      for (const action of ACTIONS) {
        const key = action === 'Expiration' ? 'expiration' : 'abortMultipartUpload';
        if (a[key] !== undefined && b[key] !== undefined) throw overlap(`Overlap for same action type ${action}.`);
      }
      if (a.prefix === b.prefix) throw overlap('Rules may not have the same prefix.');
    }
  }
}

/** A PutBucketLifecycle body, parsed and checked; rules without an ID get newId(). */
export function parseLifecycleConfiguration(text: string, newId: () => string): LifecycleConfiguration {
  const doc = readDocument(text, 'LifecycleConfiguration');
  if (doc.children.some((c) => c.name !== 'Rule')) throw OssErrors.malformedXml();
  const nodes = children(doc, 'Rule');
  // [U] the codes: no rule at all, and past the documented limit.
  if (nodes.length === 0) throw OssErrors.malformedXml();
  if (nodes.length > MAX_LIFECYCLE_RULES) throw invalid(`A bucket can have at most ${MAX_LIFECYCLE_RULES} lifecycle rules.`, 'Rule', String(nodes.length));
  const rules = nodes.map((n) => parseRule(n, newId));
  checkRuleSet(rules);
  return { rules };
}

const isTime = (t: unknown): t is LifecycleTime =>
  typeof t === 'object' && t !== null && (typeof (t as { days?: unknown }).days === 'number' || typeof (t as { createdBeforeDate?: unknown }).createdBeforeDate === 'string');

const isRule = (r: Partial<LifecycleRule>): r is LifecycleRule =>
  typeof r.id === 'string' &&
  typeof r.prefix === 'string' &&
  (r.status === 'Enabled' || r.status === 'Disabled') &&
  (r.expiration === undefined || isTime(r.expiration)) &&
  (r.abortMultipartUpload === undefined || isTime(r.abortMultipartUpload)) &&
  Array.isArray(r.tags) &&
  r.tags.every((t) => Array.isArray(t) && t.length === 2 && typeof t[0] === 'string' && typeof t[1] === 'string');

/** The stored document (the JSON PutBucketLifecycle writes); undefined when there is none. A rule not of that shape is left out. */
export function readLifecycle(stored: string | undefined): LifecycleConfiguration | undefined {
  if (stored === undefined) return undefined;
  try {
    const doc = JSON.parse(stored) as { rules?: unknown };
    const rules = Array.isArray(doc.rules) ? (doc.rules as Partial<LifecycleRule>[]).filter(isRule) : [];
    return rules.length > 0 ? { rules } : undefined;
  } catch {
    return undefined;
  }
}

const timeXml = (t: LifecycleTime | undefined) => (t === undefined ? undefined : 'days' in t ? { Days: t.days } : { CreatedBeforeDate: t.createdBeforeDate });

/** GetBucketLifecycle's document body. [U] the order of a rule's elements (the SDKs read them by name). */
export function lifecycleXml(config: LifecycleConfiguration) {
  return {
    Rule: config.rules.map((r) => ({
      ID: r.id,
      Prefix: r.prefix,
      Status: r.status,
      Expiration: timeXml(r.expiration),
      AbortMultipartUpload: timeXml(r.abortMultipartUpload),
      Tag: r.tags.map(([Key, Value]) => ({ Key, Value })),
    })),
  };
}

/**
 * Whether an action is due for something last changed at `changed` (an object's Last-Modified, an
 * upload's last part). Days count from that time rounded up to the next midnight UTC: an object
 * last modified 2022-10-27 15:00 UTC is 30 days old from 2022-11-28 00:00 UTC ("the reason why
 * objects in a bucket are not deleted", OSS user guide). CreatedBeforeDate covers whatever was last
 * changed before that midnight, at once. [U] whether a date still to come waits for that day.
 */
export function isDue(time: LifecycleTime, changed: Date, nowMs: number): boolean {
  if ('days' in time) return Math.ceil(changed.getTime() / DAY_MS) * DAY_MS + time.days * DAY_MS <= nowMs;
  return changed.getTime() < Date.parse(time.createdBeforeDate);
}

/** Whether a rule applies to a key with these tags: its prefix, and every one of its tags. */
export function ruleMatches(rule: LifecycleRule, key: string, tags: Readonly<Record<string, string>> | undefined): boolean {
  return key.startsWith(rule.prefix) && rule.tags.every(([k, v]) => tags !== undefined && Object.hasOwn(tags, k) && tags[k] === v);
}
