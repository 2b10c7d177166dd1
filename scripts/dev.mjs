// `npm run dev`: prepare local state, then start the Worker on embedded D1 and R2.
//  1. create .dev.vars from .dev.vars.example when absent (local secrets, git-ignored);
//  2. apply every migration to the local D1 database;
//  3. start `wrangler dev` with the cron test endpoint (/__scheduled) enabled.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example");
}

// The machine may be offline: skip wrangler's telemetry and its fetch of a live `request.cf`.
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" };

const run = (args) => {
  const result = spawnSync("wrangler", args, { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(["d1", "migrations", "apply", "DB", "--local"]);
run(["dev", "--test-scheduled", ...process.argv.slice(2)]);
