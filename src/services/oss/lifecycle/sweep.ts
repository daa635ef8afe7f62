// The lifecycle sweep: applies buckets' Enabled lifecycle rules in the background. It expires the
// objects a rule's prefix and tags select once they are due, and aborts incomplete multipart
// uploads (their parts' bytes let go) once they are due (rules.ts says when).
//
// A pass does a bounded amount of work (objects and uploads looked at, buckets entered) and leaves
// its cursor (bucket, phase, rule, key) in the store's settings, so the next pass, on this node
// after a restart or on another node, goes on where it stopped. When every bucket with rules has
// been walked the round is done and the next pass begins another.
//
// Every node sweeps, as every node keeps the audit trail's retention: no lock is needed, because
// every change is conditional. An object is deleted only if it still holds the blob the sweep read
// (one rewritten meanwhile is a new object, and stays), and an upload is ended through the same
// claim CompleteMultipartUpload and AbortMultipartUpload make, so of two sweepers (or a sweeper and
// a client) only one ever gets its parts. Two nodes sweeping at once repeat reads, never a deletion.
import type { Logger } from '../../../log.js';
import type { BlobStore, BucketRecord, Store, UploadRecord } from '../../../store/index.js';
import { isDue, readLifecycle, ruleMatches, type LifecycleRule, type LifecycleTime } from './rules.js';

/** What the sweep did to one object or upload, for the audit trail. */
export interface LifecycleEvent {
  action: 'ExpireObject' | 'AbortMultipartUpload';
  /** The bucket's owner: the rule was theirs. */
  accountId: string;
  bucket: string;
  key: string;
  uploadId?: string;
  ruleId: string;
  at: Date;
}

export interface LifecycleSweepDeps {
  store: Store;
  blobs: BlobStore;
  now: () => number;
  log: Logger;
  /** Records what the sweep did (the server hands it to the audit trail); a failure stops the pass. */
  record(event: LifecycleEvent): Promise<void>;
}

export interface SweepResult {
  /** Objects and uploads looked at, and buckets entered: at most the pass's limit. */
  examined: number;
  expired: number;
  aborted: number;
  /** Every bucket with rules has been walked; the next pass starts a new round. */
  roundDone: boolean;
}

/** Where a pass stopped. `prefix` names the rule being walked; `after` the last key (and upload) looked at. */
interface Cursor {
  bucket: string;
  phase: 'objects' | 'uploads';
  prefix?: string;
  after?: string;
  uploadId?: string;
}

export const SWEEP_CURSOR_SETTING = 'oss.lifecycle-sweep.cursor';
export const DEFAULT_SWEEP_LIMIT = 1000;
const PAGE = 200;

function readCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    const c = JSON.parse(text) as Partial<Cursor>;
    if (typeof c.bucket !== 'string' || (c.phase !== 'objects' && c.phase !== 'uploads')) return undefined;
    const opt = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const prefix = opt(c.prefix);
    const after = opt(c.after);
    const uploadId = opt(c.uploadId);
    return { bucket: c.bucket, phase: c.phase, ...(prefix !== undefined ? { prefix } : {}), ...(after !== undefined ? { after } : {}), ...(uploadId !== undefined ? { uploadId } : {}) };
  } catch {
    return undefined;
  }
}

const byPrefix = (a: LifecycleRule, b: LifecycleRule) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0);

export class LifecycleSweep {
  /** Passes of one process run one at a time (the timer's and any asked for directly). */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: LifecycleSweepDeps,
    private readonly limit = DEFAULT_SWEEP_LIMIT,
  ) {}

  /** Resolves once no pass is running. */
  settled(): Promise<void> {
    return this.#queue.then(() => undefined);
  }

  /** One bounded pass, from where the last one stopped. */
  pass(limit = this.limit): Promise<SweepResult> {
    // Entering a bucket takes one of the budget: a pass of one would never get past it.
    const run = this.#queue.then(() => this.#pass(Math.max(2, limit)));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #pass(limit: number): Promise<SweepResult> {
    const { store } = this.deps;
    const now = this.deps.now();
    const result: SweepResult = { examined: 0, expired: 0, aborted: 0, roundDone: false };
    const saved = (await store.settings.get(SWEEP_CURSOR_SETTING)) ?? '';
    let cursor = readCursor(saved);
    const budget = () => limit - result.examined;
    try {
      while (budget() > 0) {
        if (cursor === undefined) {
          const first = await this.#bucketAfter('');
          if (first === undefined) {
            result.roundDone = true;
            break;
          }
          cursor = { bucket: first, phase: 'objects' };
        }
        result.examined++;
        const bucket = await store.oss.getBucket(cursor.bucket);
        const rules = (readLifecycle(await store.oss.getBucketConfig(cursor.bucket, 'lifecycle'))?.rules ?? []).filter((r) => r.status === 'Enabled');
        let finished = bucket === undefined || rules.length === 0;
        if (!finished && bucket !== undefined && cursor.phase === 'objects') {
          if (await this.#expireObjects(bucket, rules, cursor, budget, now, result)) cursor = { bucket: cursor.bucket, phase: 'uploads' };
        }
        if (!finished && bucket !== undefined && cursor.phase === 'uploads') finished = await this.#abortUploads(bucket, rules, cursor, budget, now, result);
        if (!finished) continue;
        const next = await this.#bucketAfter(cursor.bucket);
        if (next === undefined) {
          cursor = undefined;
          result.roundDone = true;
          break;
        }
        cursor = { bucket: next, phase: 'objects' };
      }
    } finally {
      // Saved even when a step failed: what was done before it need not be looked at again.
      const text = cursor === undefined ? '' : JSON.stringify(cursor);
      if (text !== saved) await store.settings.set(SWEEP_CURSOR_SETTING, text);
    }
    return result;
  }

  async #bucketAfter(after: string): Promise<string | undefined> {
    return (await this.deps.store.oss.bucketsWithConfig('lifecycle', after, 1))[0]?.bucket;
  }

  /**
   * Walks the objects under each expiring rule's prefix, rule by rule (their prefixes do not
   * overlap: PutBucketLifecycle refuses that). True when every rule's objects have been looked at.
   */
  async #expireObjects(bucket: BucketRecord, rules: LifecycleRule[], cursor: Cursor, budget: () => number, now: number, result: SweepResult): Promise<boolean> {
    const expiring = rules.filter((r) => r.expiration !== undefined).sort(byPrefix);
    let i = cursor.prefix === undefined ? 0 : expiring.findIndex((r) => r.prefix === cursor.prefix);
    // The rules changed since the cursor was left: this bucket's objects are walked again from the start.
    if (i < 0) {
      i = 0;
      delete cursor.after;
    }
    while (i < expiring.length) {
      const rule = expiring[i];
      if (rule === undefined || rule.expiration === undefined) break;
      cursor.prefix = rule.prefix;
      if (budget() <= 0) return false;
      const asked = Math.min(budget(), PAGE);
      const page = await this.deps.store.oss.listObjects(bucket.bucket, rule.prefix, cursor.after, asked);
      for (const o of page) {
        result.examined++;
        cursor.after = o.key;
        if (!ruleMatches(rule, o.key, o.tags) || !isDue(rule.expiration, o.lastModified, now)) continue;
        // Only the object as read: one written again since is a new object, with its own age, and
        // one whose tags changed since may no longer match the rule.
        if (!(await this.deps.store.oss.deleteObjectIf(bucket.bucket, o.key, o.blobId, o.tags ?? {}))) continue;
        await this.deps.blobs.delete(o.blobId);
        result.expired++;
        await this.#record({ action: 'ExpireObject', accountId: bucket.accountId, bucket: bucket.bucket, key: o.key, ruleId: rule.id, at: new Date(now) });
      }
      if (page.length < asked) {
        i++;
        delete cursor.after;
      }
    }
    delete cursor.prefix;
    delete cursor.after;
    return true;
  }

  /** Aborts the bucket's incomplete uploads whose time has come. True when all have been looked at. */
  async #abortUploads(bucket: BucketRecord, rules: LifecycleRule[], cursor: Cursor, budget: () => number, now: number, result: SweepResult): Promise<boolean> {
    const aborting = rules.filter((r) => r.abortMultipartUpload !== undefined);
    if (aborting.length === 0) return true;
    // The store lists a bucket's uploads whole (in key, then upload-id order); the work on them is what the budget bounds.
    const uploads = await this.deps.store.oss.listUploads(bucket.bucket);
    let start = 0;
    if (cursor.uploadId !== undefined) {
      const at = uploads.findIndex((u) => u.uploadId === cursor.uploadId);
      // The upload last looked at is gone: go on from the first one after it.
      start = at >= 0 ? at + 1 : uploads.findIndex((u) => u.key > (cursor.after ?? '') || (u.key === cursor.after && u.uploadId > (cursor.uploadId ?? '')));
      if (start < 0) start = uploads.length;
    }
    for (let i = start; i < uploads.length; i++) {
      const u = uploads[i];
      if (u === undefined) break;
      if (budget() <= 0) return false;
      result.examined++;
      cursor.after = u.key;
      cursor.uploadId = u.uploadId;
      const rule = aborting.find((r) => ruleMatches(r, u.key, undefined));
      if (rule?.abortMultipartUpload === undefined || !(await this.#uploadDue(u, rule.abortMultipartUpload, now))) continue;
      const parts = await this.deps.store.transaction((tx) => tx.oss.claimUpload(u.uploadId));
      // Completed or aborted meanwhile: not ours to end.
      if (parts === undefined) continue;
      for (const p of parts) await this.deps.blobs.delete(p.blobId);
      result.aborted++;
      await this.#record({ action: 'AbortMultipartUpload', accountId: bucket.accountId, bucket: bucket.bucket, key: u.key, uploadId: u.uploadId, ruleId: rule.id, at: new Date(now) });
    }
    delete cursor.after;
    delete cursor.uploadId;
    return true;
  }

  /**
   * Due by its last change: the latest of its initiation and its parts ("the number of days after
   * the parts are last modified" [U] whether OSS counts from the first part or the last), so an
   * upload still being written to is not taken from under its writer.
   */
  async #uploadDue(u: UploadRecord, time: LifecycleTime, now: number): Promise<boolean> {
    if (!isDue(time, u.initiated, now)) return false;
    const parts = await this.deps.store.oss.listParts(u.uploadId);
    const last = parts.reduce((t, p) => Math.max(t, p.lastModified.getTime()), u.initiated.getTime());
    return isDue(time, new Date(last), now);
  }

  async #record(event: LifecycleEvent): Promise<void> {
    try {
      await this.deps.record(event);
    } catch (e) {
      // Done and not recorded: at least the log has it, and the pass stops rather than go on unrecorded.
      this.deps.log.error({ err: e, lifecycle: event }, 'recording a lifecycle action failed');
      throw e;
    }
  }
}

export interface RunningSweep {
  /** One bounded pass now (after any in progress). */
  pass(limit?: number): Promise<SweepResult>;
  /** Stops the timer, once a pass in progress has ended. */
  stop(): Promise<void>;
}

/**
 * Sweeps at start and then every `everyMs` (0: only when asked, through pass()). Each time, passes
 * follow one another until the round is done, each bounded, so a large bucket is walked in steps.
 */
export function startLifecycleSweep(deps: LifecycleSweepDeps, everyMs: number, limit = DEFAULT_SWEEP_LIMIT): RunningSweep {
  const sweep = new LifecycleSweep(deps, limit);
  let stopped = false;
  let busy = false;
  let running: Promise<void> = Promise.resolve();
  // A round still going on when the next is due goes on; none starts beside it.
  const round = () => {
    if (busy || stopped) return;
    busy = true;
    running = (async () => {
      try {
        const total = { expired: 0, aborted: 0 };
        while (!stopped) {
          const r = await sweep.pass();
          total.expired += r.expired;
          total.aborted += r.aborted;
          if (r.roundDone) break;
        }
        if (total.expired > 0 || total.aborted > 0) deps.log.info(total, 'lifecycle rules applied');
      } catch (e) {
        deps.log.error({ err: e }, 'applying lifecycle rules failed');
      } finally {
        busy = false;
      }
    })();
  };
  let timer: NodeJS.Timeout | undefined;
  if (everyMs > 0) {
    round();
    timer = setInterval(round, everyMs);
    timer.unref();
  }
  return {
    pass: (n) => sweep.pass(n),
    stop: async () => {
      stopped = true;
      if (timer !== undefined) clearInterval(timer);
      await running;
      await sweep.settled();
    },
  };
}
