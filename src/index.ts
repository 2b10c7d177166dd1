/**
 * Leasehold's Worker entry point: `fetch` serves the HTTP API, `scheduled` runs the collector.
 */
import { createApp } from "./http/app";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
