/** Synchronous lease deletion: delete a lease, then collect and wait for the collection. */
import { openDb } from "../db/client";
import { deleteLease } from "../leases/manager";
import { type CollectorDeps, collect } from "./collector";
import type { Run } from "./runs";

/**
 * SYNC_WAIT_MS bounds how long a sync delete waits for another run to release the lock. When it
 * passes, the lease is already deleted and the request fails with `unavailable`; the next run
 * (cron or manual) collects what the lease held.
 */
export const SYNC_WAIT_MS = 30_000;

/**
 * deleteLeaseAndCollect deletes the lease, then runs a collection of its namespace that starts
 * after the delete committed, and returns that run once its R2 deletions are done (the orphans
 * phase is skipped: it is not what the caller waits for). `complete: false` in the run means the
 * budget ran out before the queue drained; the next run finishes it.
 */
export async function deleteLeaseAndCollect(deps: CollectorDeps, namespace: string, id: string): Promise<Run> {
  await deleteLease(openDb(deps.db), namespace, id);
  const { run } = await collect(deps, { trigger: "sync", namespace, waitMs: SYNC_WAIT_MS, orphans: false });
  return run;
}
