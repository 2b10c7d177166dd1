/**
 * Starting and stopping the bench Worker: migrations on a fresh local state directory, then
 * `wrangler dev` on a free port. Telemetry and the live `request.cf` fetch are off (the machine
 * may be offline).
 */
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { createServer } from "node:net";

export const CONFIG = "bench/wrangler.toml";
export const STATE = "bench/.state";

/** WRANGLER runs the project's own wrangler on the Node running this script (no npx layers). */
const WRANGLER = [process.execPath, "node_modules/wrangler/bin/wrangler.js"];

const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1" };

/** freePort asks the OS for a free TCP port on loopback. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** migrate wipes the bench state and applies every migration to its local D1. */
export function migrate() {
  rmSync(STATE, { recursive: true, force: true });
  const args = [
    ...WRANGLER.slice(1),
    "d1",
    "migrations",
    "apply",
    "DB",
    "--local",
    "-c",
    CONFIG,
    "--persist-to",
    STATE,
  ];
  const result = spawnSync(WRANGLER[0], args, { env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status !== 0) throw new Error(`migrations failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * start runs `wrangler dev` with the bench config and resolves once /healthz answers.
 * The child gets its own process group, so `stop` ends it and everything it started.
 */
export async function start() {
  const port = await freePort();
  const args = [
    ...WRANGLER.slice(1),
    "dev",
    "-c",
    CONFIG,
    "--persist-to",
    STATE,
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
  ];
  const child = spawn(WRANGLER[0], [...args, "--show-interactive-dev-session=false", "--log-level", "log"], {
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
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
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
    if (output.includes("Build failed")) {
      await stop(child);
      throw new Error(`the bench Worker did not build:\n${output}`);
    }
    try {
      if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`wrangler dev did not answer within 120 s:\n${output}`);
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

/** stop ends the wrangler process group started by `start` (SIGKILL after 5 s if it lingers). */
export async function stop(child) {
  if (child.pid === undefined) return;
  const pid = child.pid;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + 5_000;
  while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
  }
  signal(pid, "SIGKILL");
}
