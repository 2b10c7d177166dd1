import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Apply every migration before each test file. applyD1Migrations skips those already applied.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
