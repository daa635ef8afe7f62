// Archived objects (Archive, ColdArchive, DeepColdArchive): their bytes are read only through a
// restored copy, which RestoreObject makes after the time OSS takes for the class and tier, for the
// number of days asked. What a restore's state looks like to clients lives here too.
import type { ObjectRecord } from '../../store/index.js';
import { OssErrors } from './errors.js';
import { ARCHIVE_CLASSES } from './names.js';
import { httpDate, onObject, requireObject, type OssHttpRequest, type OssOperation } from './operation.js';
import { child, readDocument } from './xml.js';

/** x-oss-restore (and a listing's RestoreInfo), as OSS reports a restore: under way, or done with the copy's expiry. */
export function restoreState(r: { readyAt: Date; expiresAt: Date }, now: Date): string {
  return now < r.readyAt ? 'ongoing-request="true"' : `ongoing-request="false", expiry-date="${httpDate(r.expiresAt)}"`;
}

/** An archived object's bytes can be read only while a finished restore's copy lasts. */
export function requireReadable(o: ObjectRecord, now: Date): void {
  if (!ARCHIVE_CLASSES.has(o.storageClass)) return;
  if (o.restore === undefined || now < o.restore.readyAt || now >= o.restore.expiresAt) throw OssErrors.invalidObjectState();
}

/** How long a restore takes before the copy can be read, by class and tier (as OSS documents them, at their shortest). */
const RESTORE_MS: Record<string, Record<string, number>> = {
  Archive: { Standard: 60_000 },
  ColdArchive: { Expedited: 3_600_000, Standard: 2 * 3_600_000, Bulk: 5 * 3_600_000 },
  DeepColdArchive: { Expedited: 12 * 3_600_000, Standard: 48 * 3_600_000 },
};
const DAY_MS = 24 * 3_600_000;

/** <RestoreRequest><Days>N</Days>[<JobParameters><Tier>T</Tier></JobParameters>]</RestoreRequest>, or no body. */
async function restoreRequest(req: OssHttpRequest, storageClass: string): Promise<{ days: number; tier: string }> {
  const text = (await req.body(64 * 1024)).toString('utf8');
  let days = 1;
  let tier = 'Standard';
  if (text.trim() !== '') {
    const doc = readDocument(text, 'RestoreRequest');
    const daysText = child(doc, 'Days')?.text.trim();
    if (daysText !== undefined) {
      if (!/^\d{1,3}$/.test(daysText)) throw OssErrors.malformedXml();
      days = Number(daysText);
    }
    const job = child(doc, 'JobParameters');
    if (job !== undefined) {
      // Archive objects are restored at one speed: a tier is for the cold classes only.
      if (storageClass === 'Archive') throw OssErrors.malformedXml();
      tier = child(job, 'Tier')?.text.trim() ?? '';
    }
  }
  const maxDays = storageClass === 'Archive' ? 7 : 365;
  if (days < 1 || days > maxDays || RESTORE_MS[storageClass]?.[tier] === undefined) throw OssErrors.malformedXml();
  return { days, tier };
}

/**
 * POST ?restore: makes an archived object's copy readable for Days, once the restore has run
 * (its time by class and tier). Asked again while it runs: RestoreAlreadyInProgress; once done:
 * the copy's days start again.
 */
export const RestoreObject: OssOperation = {
  name: 'RestoreObject',
  rw: 'Write',
  needsBucket: true,
  checks: onObject('oss:RestoreObject'),
  handle: async (req, ctx) => {
    const o = await requireObject(req, ctx);
    if (!ARCHIVE_CLASSES.has(o.storageClass)) throw OssErrors.operationNotSupported();
    const { days, tier } = await restoreRequest(req, o.storageClass);
    const now = ctx.now.getTime();
    const priority: Record<string, string> = o.storageClass === 'Archive' ? {} : { 'x-oss-object-restore-priority': tier };
    if (o.restore !== undefined && now < o.restore.readyAt.getTime()) throw OssErrors.restoreAlreadyInProgress();
    const done = o.restore !== undefined && now < o.restore.expiresAt.getTime();
    const readyAt = done ? now : now + (RESTORE_MS[o.storageClass]?.[tier] ?? 0);
    if (!(await ctx.store.oss.setRestore(o.bucket, o.key, o.blobId, { readyAt: new Date(readyAt), expiresAt: new Date(readyAt + days * DAY_MS) }))) throw OssErrors.noSuchKey(o.key);
    return { status: done ? 200 : 202, headers: priority };
  },
};
