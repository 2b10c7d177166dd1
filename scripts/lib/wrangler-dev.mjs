/**
 * Local Workers for scripts and tests: migrations applied to a local state directory, then
 * `wrangler dev` on a free loopback port, stopped by process group. bench/lib/server.mjs and
 * e2e/lib/dev-server.mjs are thin wrappers over this module. Telemetry and the live `request.cf`
 * fetch are off (the machine may be offline).
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** ROOT is the repository root; wrangler runs there, so relative config paths start from it. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** WRANGLER runs the project's own wrangler on the Node running this script (no npx layers). */
const WRANGLER = [process.execPath, `${ROOT}node_modules/wrangler/bin/wrangler.js`];

const ENV = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1" };

/** RESERVED are ports other local servers use by convention (`npm run dev`, the docs server). */
const RESERVED = new Set([8787, 8801]);

/** freePort asks the OS for a free TCP port on loopback, never one of RESERVED. */
export async function freePort() {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const server = createServer();
      server.on("error", reject);
      server.listen(0, "127.0.0.1", () => {
        const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
        server.close(() => resolve(port));
      });
    });
    if (!RESERVED.has(port)) return port;
  }
}

/**
 * applyMigrations applies every migration to the local D1 of `config` (a wrangler.toml path, or
 * undefined for the project's own) stored under `persistTo`.
 */
export function applyMigrations({ config, persistTo }) {
  const args = [...WRANGLER.slice(1), "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo];
  if (config !== undefined) args.push("-c", config);
  const result = spawnSync(WRANGLER[0], args, {
    cwd: ROOT,
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * startWrangler runs `wrangler dev` (with `config`, `persistTo` and any `extraArgs`) on a free
 * port and resolves once `/healthz` answers. The child leads its own process group, so
 * `stopWrangler` ends it and everything it started. `output()` is what it printed so far.
 */
export async function startWrangler({ config, persistTo, extraArgs = [], label = "wrangler dev" }) {
  const port = await freePort();
  const args = [...WRANGLER.slice(1), "dev", "--persist-to", persistTo, "--ip", "127.0.0.1", "--port", String(port)];
  if (config !== undefined) args.push("-c", config);
  args.push(...extraArgs, "--show-interactive-dev-session=false", "--log-level", "log");
  const child = spawn(WRANGLER[0], args, { cwd: ROOT, env: ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => {
    output += d;
  });
  child.stderr.on("data", (d) => {
    output += d;
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${label} exited:\n${output}`);
    if (output.includes("Build failed")) {
      await stopWrangler(child);
      throw new Error(`${label}: the Worker did not build:\n${output}`);
    }
    try {
      if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopWrangler(child);
      throw new Error(`${label} did not answer within 120 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, child, output: () => output };
}

/** signal sends a signal to the process group led by `pid`, if it still exists. */
function signal(pid, name) {
  try {
    process.kill(-pid, name);
  } catch {
    // already gone
  }
}

/** stopWrangler ends the process group started by `startWrangler` (SIGKILL after 5 s if it lingers). */
export async function stopWrangler(child) {
  if (child.pid === undefined) return;
  const pid = child.pid;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  signal(pid, "SIGKILL");
}
