/**
 * The project's own Worker for end-to-end tests: a fresh temporary state directory with every
 * migration applied, `.dev.vars` created as `npm run dev` does, then `wrangler dev --test-scheduled`
 * on a free port (never 8787 or 8801). `stop()` ends the process group and removes the state.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, ROOT, startWrangler, stopWrangler } from "../../scripts/lib/wrangler-dev.mjs";

/** TOKEN is the admin token of `.dev.vars.example`. */
export const TOKEN = "dev-admin-token";

/**
 * startDevServer resolves once the Worker answers `/healthz`.
 * @returns {Promise<{ base: string, token: string, stop(): Promise<void> }>}
 */
export async function startDevServer() {
  if (!existsSync(join(ROOT, ".dev.vars"))) copyFileSync(join(ROOT, ".dev.vars.example"), join(ROOT, ".dev.vars"));
  const persistTo = mkdtempSync(join(tmpdir(), "leasehold-e2e-"));
  try {
    applyMigrations({ persistTo });
    const { base, child } = await startWrangler({
      persistTo,
      extraArgs: ["--test-scheduled"],
      label: "the dev server",
    });
    const forget = killOnExit(child, persistTo);
    let stopped;
    const stop = () => {
      stopped ??= stopWrangler(child).finally(() => {
        forget();
        rmSync(persistTo, { recursive: true, force: true });
      });
      return stopped;
    };
    return { base, token: TOKEN, stop };
  } catch (err) {
    rmSync(persistTo, { recursive: true, force: true });
    throw err;
  }
}

/**
 * killOnExit covers the exits `stop()` never sees (an uncaught error, ^C, the runner's SIGTERM):
 * wrangler leads its own process group, so without this it would outlive the tests. It returns
 * the function that removes the hooks again.
 */
function killOnExit(child, persistTo) {
  const kill = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    rmSync(persistTo, { recursive: true, force: true });
  };
  const onSignal = (name) => {
    kill();
    process.exit(128 + constants.signals[name]);
  };
  process.once("exit", kill);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("exit", kill);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
