/**
 * The delete objects phase: drain gc_deletions, the R2 work owed by metadata already removed
 * (by this run's sweep, by content DELETE, by ingest abort). A queue entry leaves only after R2
 * confirmed, so a failed or interrupted run leaves the rest for the next one.
 */
import { log } from "../log";
import type { Budget } from "./budget";
import type { GcStore, QueuedDeletion, Scope } from "./d1";

/** R2_DELETE_MAX is the most keys one `R2Bucket.delete(keys)` call accepts. */
export const R2_DELETE_MAX = 1000;

/** Freed is what a phase deleted from R2; `complete` is false when work remains. */
export interface Freed {
  objects: number;
  bytes: number;
  complete: boolean;
}

/** isGone tells whether an R2 error says the multipart upload no longer exists (counts as done). */
const isGone = (err: unknown): boolean =>
  /NoSuchUpload|does not exist|not found|10024|10007/i.test(err instanceof Error ? err.message : String(err));

// TODO(soon): an entry whose R2 call keeps failing (not "already gone") stops this phase on every
// run; move it aside after a few attempts so the rest of the queue still drains.

/** abortUploads aborts the chunk's multipart uploads; returns false after the first real failure. */
async function abortUploads(bucket: R2Bucket, budget: Budget, chunk: QueuedDeletion[]): Promise<boolean> {
  for (const entry of chunk) {
    if (entry.uploadId === null) continue;
    if (!budget.allows({ r2Calls: 2 })) return false;
    budget.spendR2();
    try {
      await bucket.resumeMultipartUpload(entry.key, entry.uploadId).abort();
    } catch (err) {
      if (isGone(err)) continue;
      log.error("gc abort failed", { key: entry.key, uploadId: entry.uploadId, error: String(err) });
      return false;
    }
  }
  return true;
}

/**
 * deleteObjects drains the deletion queue of the scope in chunks of at most R2_DELETE_MAX keys.
 * Multipart entries are aborted first; their key is deleted too, in case the upload had been
 * completed. A key already missing in R2 counts as deleted (R2's delete is idempotent).
 */
export async function deleteObjects(store: GcStore, bucket: R2Bucket, budget: Budget, scope: Scope): Promise<Freed> {
  const freed: Freed = { objects: 0, bytes: 0, complete: false };
  while (budget.allows({ statements: 2, r2Calls: 1 })) {
    const chunk = await store.queued(scope, R2_DELETE_MAX);
    if (chunk.length === 0) return { ...freed, complete: true };

    // A key a row points at again must not be deleted; it can only be a bug elsewhere.
    const pointed = chunk.filter((e) => e.pointed);
    for (const e of pointed) log.error("gc queued key is referenced, dropped from the queue", { key: e.key });
    const owed = chunk.filter((e) => !e.pointed);
    if (!(await abortUploads(bucket, budget, owed)) || !budget.allows({ r2Calls: 1 })) {
      await store.dequeue(pointed);
      return freed;
    }

    const keys = owed.map((e) => e.key);
    budget.spendR2();
    try {
      if (keys.length > 0) await bucket.delete(keys);
    } catch (err) {
      // One line per failed call: its first key, its last key and how many it carried.
      log.error("gc delete failed", { key: keys[0], lastKey: keys.at(-1), keys: keys.length, error: String(err) });
      await store.dequeue(pointed);
      return freed;
    }
    await store.dequeue(chunk);
    freed.objects += keys.length;
    freed.bytes += owed.reduce((sum, e) => sum + e.size, 0);
  }
  return freed;
}
