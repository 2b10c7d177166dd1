/**
 * Leasehold's Worker entry point: `fetch` serves the HTTP API, `scheduled` runs the collector.
 */
import { collectOnSchedule } from "./gc/scheduled";
import { createApp } from "./http/app";

const app = createApp();

export default {
  fetch: app.fetch,
  // Every cron tick collects, even when nothing was written since the last one.
  scheduled(_controller, env, ctx) {
    ctx.waitUntil(collectOnSchedule(env));
  },
} satisfies ExportedHandler<Env>;
