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

/**
 * abortUploads aborts the chunk's multipart uploads and returns the entries whose abort failed
 * (an upload already gone counts as aborted); undefined when the budget ran out first.
 */
async function abortUploads(
  bucket: R2Bucket,
  budget: Budget,
  chunk: QueuedDeletion[],
): Promise<QueuedDeletion[] | undefined> {
  const failed: QueuedDeletion[] = [];
  for (const entry of chunk) {
    if (entry.uploadId === null) continue;
    if (!budget.allows({ r2Calls: 2 })) return undefined;
    budget.spendR2();
    try {
      await bucket.resumeMultipartUpload(entry.key, entry.uploadId).abort();
    } catch (err) {
      if (isGone(err)) continue;
      log.error("gc abort failed", { key: entry.key, uploadId: entry.uploadId, error: String(err) });
      failed.push(entry);
    }
  }
  return failed;
}

/**
 * deleteObjects drains the deletion queue of the scope in chunks of at most R2_DELETE_MAX keys.
 * Multipart entries are aborted first; their key is deleted too, in case the upload had been
 * completed. A key already missing in R2 counts as deleted (R2's delete is idempotent).
 *
 * An entry whose R2 call fails is postponed with a growing backoff (see `postponeSql`), so one key
 * R2 keeps refusing cannot stop the queue: a failed abort sets that entry aside and the chunk goes
 * on; a failed delete call sets its whole chunk aside and ends the phase (R2 is likely failing).
 */
export async function deleteObjects(
  store: GcStore,
  bucket: R2Bucket,
  budget: Budget,
  scope: Scope,
  at: number,
): Promise<Freed> {
  const freed: Freed = { objects: 0, bytes: 0, complete: false };
  while (budget.allows({ statements: 3, r2Calls: 1 })) {
    const chunk = await store.queued(scope, R2_DELETE_MAX, at);
    if (chunk.length === 0) return { ...freed, complete: true };

    // A key a row points at again must not be deleted; it can only be a bug elsewhere.
    const pointed = chunk.filter((e) => e.pointed);
    for (const e of pointed) log.error("gc queued key is referenced, dropped from the queue", { key: e.key });
    const failed = await abortUploads(
      bucket,
      budget,
      chunk.filter((e) => !e.pointed),
    );
    if (failed === undefined || !budget.allows({ r2Calls: 1 })) {
      await store.dequeue(pointed);
      return freed;
    }
    await store.postpone(failed, at);

    const owed = chunk.filter((e) => !e.pointed && !failed.includes(e));
    const keys = owed.map((e) => e.key);
    budget.spendR2();
    try {
      if (keys.length > 0) await bucket.delete(keys);
    } catch (err) {
      // One line per failed call: its first key, its last key and how many it carried.
      log.error("gc delete failed", { key: keys[0], lastKey: keys.at(-1), keys: keys.length, error: String(err) });
      await store.dequeue(pointed);
      await store.postpone(owed, at);
      return freed;
    }
    await store.dequeue([...pointed, ...owed]);
    freed.objects += keys.length;
    freed.bytes += owed.reduce((sum, e) => sum + e.size, 0);
  }
  return freed;
}
