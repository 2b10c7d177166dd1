/**
 * The collector. One run goes through the phases in this order:
 *
 *   expire, mark, sweep   one D1 batch (a transaction): delete expired leases and their resource
 *                         entries, mark the live content into gc_marks (roots, then references,
 *                         transitively), delete the dead content, references and ingests, and
 *                         queue their R2 keys in gc_deletions;
 *   delete objects        drain gc_deletions into R2 (<= 1000 keys a call, multipart aborts);
 *   orphans               delete old R2 objects that no row points at.
 *
 * Only the holder of the D1 lock row sweeps; runs are bounded by a budget and resume where the
 * last one stopped. Why every writer/collector interleaving is safe: docs/gc.md.
 */
import { openDb } from "../db/client";
import { LeaseholdError } from "../errors";
import { describeError, enabled, log } from "../log";
import { now } from "../time";
import { Budget, DEFAULT_LIMITS, type Limits } from "./budget";
import { type Cost, GcStore, type Scope } from "./d1";
import { takeLock } from "./lock";
import { deleteObjects } from "./objects";
import { sweepOrphans } from "./orphans";
import { type Counts, finishRun, type Run, startRun, type Trigger, zeroCounts } from "./runs";

/** CollectorDeps are what a run works on; tests pass a counting wrapper as `bucket`. */
export interface CollectorDeps {
  db: D1Database;
  bucket: R2Bucket;
  /** Milliseconds an unreferenced R2 object must have existed before the orphan sweep deletes it. */
  orphanGraceMs: number;
  limits?: Limits | undefined;
  clock?: (() => number) | undefined;
  /** LOG_LEVEL of the deployment; the per-run summary is an info line. */
  logLevel?: string | undefined;
}

/** CollectOptions choose what one run does. */
export interface CollectOptions {
  trigger: Trigger;
  dryRun?: boolean | undefined;
  /** Collect this namespace only; absent: every namespace. */
  namespace?: string | undefined;
  /** Milliseconds to wait while another run holds the lock; 0 (default): give up at once. */
  waitMs?: number | undefined;
  /** Whether to run the orphans phase (default true; a sync delete skips it). */
  orphans?: boolean | undefined;
}

/** Collection is a finished run and what its D1 statements cost. */
export interface Collection {
  run: Run;
  cost: Cost;
}

/** collectorBusy: another run held the lock for longer than the caller would wait. */
export const collectorBusy = () =>
  new LeaseholdError("unavailable", "the garbage collector is busy with another run, retry later");

/** phases runs expire, mark, sweep, delete objects and orphans, adding to `counts`; true if all finished. */
async function phases(store: GcStore, deps: CollectorDeps, options: CollectOptions, id: string, at: number) {
  const scope: Scope = options.namespace ?? null;
  const dryRun = options.dryRun ?? false;
  const budget = new Budget(deps.limits ?? DEFAULT_LIMITS, () => store.cost.statements, deps.clock);
  const counts = zeroCounts();

  const swept = dryRun ? await store.drySweep(scope, at) : await store.sweep(scope, id, at);
  counts.leasesExpired = swept.leasesExpired;
  counts.contentDeleted = swept.contentDeleted;
  counts.ingestsAborted = swept.ingestsAborted;
  counts.objectsDeleted = swept.objectsDeleted;
  counts.bytesFreed = swept.bytesFreed;

  let complete = true;
  if (!dryRun) {
    const freed = await deleteObjects(store, deps.bucket, budget, scope, at);
    counts.objectsDeleted += freed.objects;
    counts.bytesFreed += freed.bytes;
    complete = freed.complete;
  }
  if (options.orphans !== false && complete) {
    const orphans = await sweepOrphans(store, deps.bucket, budget, scope, { graceMs: deps.orphanGraceMs, dryRun, at });
    counts.orphansDeleted = orphans.objects;
    counts.bytesFreed += orphans.bytes;
    complete = orphans.complete;
  }
  return { counts, complete };
}

/**
 * collect runs one collection and records it. A real run first takes the lock (waiting up to
 * `waitMs`) and throws `collectorBusy` if it cannot; a dry run takes no lock and changes nothing.
 * A storage failure is logged, recorded as an incomplete run, then rethrown as `unavailable`.
 */
export async function collect(deps: CollectorDeps, options: CollectOptions): Promise<Collection> {
  const clock = deps.clock ?? now;
  const store = new GcStore(deps.db);
  const db = openDb(deps.db);
  const id = crypto.randomUUID();
  const dryRun = options.dryRun ?? false;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  if (!dryRun && !(await takeLock(store, id, { ttlMs: limits.timeMs + 60_000, waitMs: options.waitMs ?? 0, clock }))) {
    throw collectorBusy();
  }

  try {
    const startedAt = clock();
    await startRun(db, { id, trigger: options.trigger, dryRun, namespace: options.namespace ?? null, startedAt });
    let outcome: { counts: Counts; complete: boolean } = { counts: zeroCounts(), complete: false };
    let failure: unknown;
    try {
      outcome = await phases(store, deps, options, id, startedAt);
    } catch (err) {
      failure = err;
      log.error("gc run failed", { run: id, ...describeError(err) });
    }
    const run = await finishRun(db, id, { ...outcome.counts, complete: outcome.complete, finishedAt: clock() });
    if (enabled(deps.logLevel, "info"))
      log.info("gc run", { ...run, namespace: options.namespace ?? null, ...store.cost });
    if (failure !== undefined) {
      throw new LeaseholdError("unavailable", "the garbage collector's storage failed, retry later", {
        cause: failure,
      });
    }
    return { run, cost: store.cost };
  } finally {
    if (!dryRun) await store.releaseLock(id);
  }
}
