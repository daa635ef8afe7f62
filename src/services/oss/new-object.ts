// What every request that creates an object may ask for besides its bytes (PutObject, CopyObject,
// PostObject, AppendObject's first append, InitiateMultipartUpload → CompleteMultipartUpload):
// its ACL (x-oss-object-acl), its tags (x-oss-tagging) and that it must not replace an object
// already there (x-oss-forbid-overwrite). Setting an ACL or tags takes the permission to set them
// (oss:PutObjectAcl, oss:PutObjectTagging) besides oss:PutObject: a device allowed only to upload
// cannot make its upload public.
import type { Check } from '../action.js';
import type { ObjectAcl, ObjectRecord } from '../../store/index.js';
import { OBJECT_ACLS } from './access/bucket-access.js';
import { OssErrors } from './errors.js';
import type { OssContext } from './operation.js';
import { parseTaggingHeader } from './tagging/rules.js';

export const NEW_OBJECT_HEADERS = ['x-oss-object-acl', 'x-oss-tagging', 'x-oss-forbid-overwrite'] as const;

export interface NewObjectOptions {
  acl?: ObjectAcl;
  tags?: Record<string, string>;
  forbidOverwrite: boolean;
}

export function checkObjectAcl(value: string, name = 'x-oss-object-acl'): ObjectAcl {
  if (!(OBJECT_ACLS as readonly string[]).includes(value)) throw OssErrors.invalidArgument('no such object access control exists', name, value);
  return value as ObjectAcl;
}

/** From request headers or PostObject form fields (lower-case names). */
export function newObjectOptions(fields: ReadonlyMap<string, string>): NewObjectOptions {
  const acl = fields.get('x-oss-object-acl');
  const tagging = fields.get('x-oss-tagging');
  const forbid = fields.get('x-oss-forbid-overwrite');
  if (forbid !== undefined && forbid !== 'true' && forbid !== 'false') throw OssErrors.invalidArgument('x-oss-forbid-overwrite must be true or false.', 'x-oss-forbid-overwrite', forbid);
  return {
    ...(acl !== undefined ? { acl: checkObjectAcl(acl) } : {}),
    ...(tagging !== undefined ? { tags: parseTaggingHeader(tagging) } : {}),
    forbidOverwrite: forbid === 'true',
  };
}

/** The permissions the options take on the object besides writing it. */
export function newObjectChecks(options: NewObjectOptions, resource: string): Check[] {
  return [
    ...(options.acl !== undefined ? [{ permission: 'oss:PutObjectAcl', resource }] : []),
    ...(options.tags !== undefined ? [{ permission: 'oss:PutObjectTagging', resource }] : []),
  ];
}

/**
 * Stores the object's record: replacing what was there (whose bytes are then let go), or with
 * forbid-overwrite only if nothing was, in one statement, so of two such writers one wins and
 * the other is told FileAlreadyExists (its bytes let go).
 */
export async function writeObject(ctx: OssContext, record: ObjectRecord, forbidOverwrite: boolean): Promise<void> {
  if (forbidOverwrite) {
    if (await ctx.store.oss.putObjectIf(record, undefined)) return;
    await ctx.blobs.delete(record.blobId);
    throw OssErrors.fileAlreadyExists();
  }
  const previous = await ctx.store.oss.putObject(record);
  if (previous !== undefined && previous !== record.blobId) await ctx.blobs.delete(previous);
}
