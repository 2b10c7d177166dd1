/** Ingest routes: resumable uploads. */
import type { App } from "../context";

/** registerIngestRoutes adds the ingest routes to the app. */
export function registerIngestRoutes(_app: App): void {}
