/**
 * Starting and stopping the bench Worker: migrations on a fresh local state directory, then
 * `wrangler dev` on a free port (scripts/lib/wrangler-dev.mjs does the work).
 */
import { rmSync } from "node:fs";
import { applyMigrations, startWrangler, stopWrangler } from "../../scripts/lib/wrangler-dev.mjs";

export const CONFIG = "bench/wrangler.toml";
export const STATE = "bench/.state";

/** migrate wipes the bench state and applies every migration to its local D1. */
export function migrate() {
  rmSync(STATE, { recursive: true, force: true });
  applyMigrations({ config: CONFIG, persistTo: STATE });
}

/**
 * start runs `wrangler dev` with the bench config and resolves once /healthz answers.
 * The child gets its own process group, so `stop` ends it and everything it started.
 */
export function start() {
  return startWrangler({ config: CONFIG, persistTo: STATE, label: "the bench Worker" });
}

/** stop ends the wrangler process group started by `start` (SIGKILL after 5 s if it lingers). */
export function stop(child) {
  return stopWrangler(child);
}
