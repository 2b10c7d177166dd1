/**
 * The orphans phase: delete R2 objects under the service's prefixes that no content or ingest
 * row points at and that are older than the grace period. Such objects are left by a writer that
 * died between its R2 write and its D1 row (writers write R2 first). The grace period covers the
 * writers still between those two steps. The listing resumes from a cursor saved in gc_state and
 * follows `truncated`, never the page length (R2 may return short pages).
 */
import { OBJECT_PREFIXES } from "../content/keys";
import { log } from "../log";
import type { Budget } from "./budget";
import type { GcStore, Scope } from "./d1";
import type { Freed } from "./objects";

/** OrphanOptions: `graceMs` is how old an unreferenced object must be; `dryRun` deletes nothing. */
export interface OrphanOptions {
  graceMs: number;
  dryRun: boolean;
  at: number;
}

/** Position is where a pass over the bucket stands: which prefix, and the listing cursor in it. */
interface Position {
  prefix: number;
  cursor?: string | undefined;
}

const prefixesOf = (scope: Scope): string[] => OBJECT_PREFIXES.map((p) => (scope === null ? p : `${p}${scope}/`));

const stateName = (scope: Scope): string => (scope === null ? "orphans" : `orphans:${scope}`);

/**
 * sweepOrphans lists the bucket from the saved position, deleting what qualifies, until the pass
 * ends (the position is cleared: the next run starts a new pass) or the budget is spent (the
 * position is saved). A dry run starts from the beginning and saves nothing.
 */
export async function sweepOrphans(
  store: GcStore,
  bucket: R2Bucket,
  budget: Budget,
  scope: Scope,
  options: OrphanOptions,
): Promise<Freed> {
  const prefixes = prefixesOf(scope);
  const freed: Freed = { objects: 0, bytes: 0, complete: false };
  let at: Position = (options.dryRun ? undefined : await store.getState<Position>(stateName(scope))) ?? { prefix: 0 };
  const save = async (position: Position | undefined) => {
    if (!options.dryRun) await store.putState(stateName(scope), position);
  };

  while (at.prefix < prefixes.length) {
    if (!budget.allows({ statements: 2, r2Calls: 2 })) {
      await save(at);
      return freed;
    }
    budget.spendR2();
    const page = await bucket.list({ prefix: prefixes[at.prefix], cursor: at.cursor, limit: 1000 });
    const old = page.objects.filter((o) => o.uploaded.getTime() < options.at - options.graceMs);
    const orphans = await store.unreferenced(old.map((o) => o.key));
    const doomed = old.filter((o) => orphans.has(o.key));

    if (doomed.length > 0 && !options.dryRun) {
      budget.spendR2();
      try {
        await bucket.delete(doomed.map((o) => o.key));
      } catch (err) {
        const keys = doomed.map((o) => o.key);
        log.error("gc orphan delete failed", {
          key: keys[0],
          lastKey: keys.at(-1),
          keys: keys.length,
          error: String(err),
        });
        await save(at);
        return freed;
      }
    }
    freed.objects += doomed.length;
    freed.bytes += doomed.reduce((sum, o) => sum + o.size, 0);
    at = page.truncated ? { prefix: at.prefix, cursor: page.cursor } : { prefix: at.prefix + 1 };
  }
  await save(undefined);
  return { ...freed, complete: true };
}
