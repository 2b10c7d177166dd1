/**
 * Runs: the record of every collection, as the contract shows it. A run row is written when the
 * run starts (so a run that dies leaves a trace, `finishedAt: null`) and completed when it ends.
 */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { formatOptionalTime, formatTime } from "../time";
import { type GcRunRow, gcRuns } from "./schema";

/** Trigger says what started a run. */
export type Trigger = "cron" | "manual" | "sync";

/** Counts are what a run removed (or, dry, would remove). */
export interface Counts {
  leasesExpired: number;
  contentDeleted: number;
  ingestsAborted: number;
  objectsDeleted: number;
  orphansDeleted: number;
  bytesFreed: number;
}

/** Run is the contract's run object. */
export interface Run extends Counts {
  id: string;
  trigger: Trigger;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string | null;
  complete: boolean;
  durationMs: number | null;
}

/** zeroCounts is a run's tally before it removed anything. */
export const zeroCounts = (): Counts => ({
  leasesExpired: 0,
  contentDeleted: 0,
  ingestsAborted: 0,
  objectsDeleted: 0,
  orphansDeleted: 0,
  bytesFreed: 0,
});

/** toRun renders a run row. */
export const toRun = (row: GcRunRow): Run => ({
  id: row.id,
  trigger: row.trigger as Trigger,
  dryRun: row.dryRun === 1,
  startedAt: formatTime(row.startedAt),
  finishedAt: formatOptionalTime(row.finishedAt),
  complete: row.complete === 1,
  leasesExpired: row.leasesExpired,
  contentDeleted: row.contentDeleted,
  ingestsAborted: row.ingestsAborted,
  objectsDeleted: row.objectsDeleted,
  orphansDeleted: row.orphansDeleted,
  bytesFreed: row.bytesFreed,
  durationMs: row.finishedAt === null ? null : row.finishedAt - row.startedAt,
});

/** startRun records a run that begins now. */
export async function startRun(
  db: Db,
  run: { id: string; trigger: Trigger; dryRun: boolean; namespace: string | null; startedAt: number },
): Promise<void> {
  await db.insert(gcRuns).values({ ...run, dryRun: run.dryRun ? 1 : 0 });
}

/** finishRun records a run's outcome and returns it as the contract shows it. */
export async function finishRun(
  db: Db,
  id: string,
  outcome: Counts & { complete: boolean; finishedAt: number },
): Promise<Run> {
  const [row] = await db
    .update(gcRuns)
    .set({ ...outcome, complete: outcome.complete ? 1 : 0 })
    .where(eq(gcRuns.id, id))
    .returning();
  if (!row) throw new Error(`gc run ${id} vanished`);
  return toRun(row);
}

/** listRuns returns the latest runs, newest first. */
export async function listRuns(db: Db, limit: number): Promise<Run[]> {
  const rows = await db.select().from(gcRuns).orderBy(desc(gcRuns.startedAt), desc(gcRuns.id)).limit(limit);
  return rows.map(toRun);
}
