/** The collector's configuration, read from the Worker's environment. */
import type { CollectorDeps } from "./collector";

/** DEFAULT_ORPHAN_GRACE_SECONDS: an unreferenced R2 object younger than this (1 h) is kept. */
export const DEFAULT_ORPHAN_GRACE_SECONDS = 3600;

/**
 * orphanGraceMs reads `ORPHAN_GRACE_SECONDS` (seconds, a non-negative integer; 0 deletes an
 * unreferenced object at once, which is only safe when no writer is running). Anything else
 * falls back to the default.
 */
export function orphanGraceMs(value: string | undefined): number {
  const seconds = value === undefined || !/^\d+$/.test(value.trim()) ? DEFAULT_ORPHAN_GRACE_SECONDS : Number(value);
  return seconds * 1000;
}

/** collectorDeps wires a run to the Worker's bindings. */
export const collectorDeps = (env: Env): CollectorDeps => ({
  db: env.DB,
  bucket: env.BLOBS,
  orphanGraceMs: orphanGraceMs(env.ORPHAN_GRACE_SECONDS),
  logLevel: env.LOG_LEVEL,
});
