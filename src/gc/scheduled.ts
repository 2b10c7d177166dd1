/** The cron entry: every tick expires leases and collects, whether or not anything was written. */
import { describeError, log } from "../log";
import { collect } from "./collector";
import { collectorDeps } from "./config";

/**
 * collectOnSchedule runs one collection of every namespace. A tick that finds another run holding
 * the lock skips (that run is doing the work); failures are logged, never thrown to the runtime.
 */
export async function collectOnSchedule(env: Env): Promise<void> {
  try {
    await collect(collectorDeps(env), { trigger: "cron" });
  } catch (err) {
    log.warn("gc cron run did not finish", describeError(err));
  }
}
