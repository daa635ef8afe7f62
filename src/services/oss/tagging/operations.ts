// An object's tags: PutObjectTagging, GetObjectTagging, DeleteObjectTagging. What a tag may hold is
// rules.ts; tags given with the object itself (x-oss-tagging) are new-object.ts's.
// Docs: https://www.alibabacloud.com/help/en/oss/developer-reference/putobjecttagging (and
// getobjecttagging, deleteobjecttagging). Changing tags leaves Last-Modified as it was.
import { createHash } from 'node:crypto';
import { ApiError } from '../../../model/index.js';
import { OssErrors } from '../errors.js';
import { expectedMd5 } from '../objects.js';
import { onObject, requireObject, type BucketRequest, type OssContext, type OssOperation } from '../operation.js';
import { checkTags, MAX_TAGS } from './rules.js';
import { children, readDocument, xmlAnswer } from '../xml.js';

/** [U] OSS documents no size; ten tags of the longest keys and values fit many times over. */
const MAX_DOCUMENT_BYTES = 64 * 1024;

/** <Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>: anything else is MalformedXML (EC 0010-00000101/102). */
export function parseTagging(text: string): Record<string, string> {
  const doc = readDocument(text, 'Tagging');
  const sets = children(doc, 'TagSet');
  if (doc.children.length !== 1 || sets.length !== 1) throw OssErrors.malformedXml();
  const tagNodes = sets[0]?.children ?? [];
  if (tagNodes.some((t) => t.name !== 'Tag')) throw OssErrors.malformedXml();
  // Counted before each tag is read: a document of many tags is refused without reading them.
  if (tagNodes.length > MAX_TAGS) throw OssErrors.invalidArgument(`The tag you have provided is invalid: an object can have at most ${MAX_TAGS} tags.`, 'Tagging');
  const pairs = tagNodes.map((t): [string, string] => {
    const keys = children(t, 'Key');
    const values = children(t, 'Value');
    // Value may be left out (an empty value); Key may not.
    if (t.children.some((c) => c.name !== 'Key' && c.name !== 'Value') || keys.length !== 1 || values.length > 1) throw OssErrors.malformedXml();
    return [keys[0]?.text ?? '', values[0]?.text ?? ''];
  });
  try {
    return checkTags(pairs);
  } catch (e) {
    // The same checks as x-oss-tagging's, naming the document rather than the header.
    if (e instanceof ApiError && e.code === 'InvalidArgument') throw OssErrors.invalidArgument(e.message, 'Tagging');
    throw e;
  }
}

/**
 * Sets the tags of the object as read. If it is rewritten meanwhile, the write carries its own
 * tags and came after ours: the request still succeeded (its tags were replaced), so it is not
 * told NoSuchKey, which would say the object was never there.
 */
async function setTags(req: BucketRequest, ctx: OssContext, tags: Record<string, string>): Promise<void> {
  const o = await requireObject(req, ctx);
  await ctx.store.oss.setObjectTags(req.bucket, o.key, o.blobId, tags);
}

export const PutObjectTagging: OssOperation = {
  name: 'PutObjectTagging',
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:PutObjectTagging'),
  handle: async (req, ctx) => {
    const md5 = expectedMd5(req);
    const body = await req.body(MAX_DOCUMENT_BYTES);
    if (md5 !== undefined && !md5.equals(createHash('md5').update(body).digest())) throw OssErrors.badDigest();
    await setTags(req, ctx, parseTagging(body.toString('utf8')));
    return { status: 200 };
  },
};

/** An object without tags has an empty TagSet. */
export const GetObjectTagging: OssOperation = {
  name: 'GetObjectTagging',
  rw: 'Read',
  needsBucket: true,
  checks: onObject('oss:GetObjectTagging'),
  handle: async (req, ctx) => {
    const o = await requireObject(req, ctx);
    return xmlAnswer('Tagging', { TagSet: { Tag: Object.entries(o.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) } });
  },
};

export const DeleteObjectTagging: OssOperation = {
  name: 'DeleteObjectTagging',
  readsBody: false,
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:DeleteObjectTagging'),
  handle: async (req, ctx) => {
    await setTags(req, ctx, {});
    return { status: 204 };
  },
};
