// The `leasehold` CLI as a user runs it: `node bin/leasehold.mjs …` in its own process, against the
// dev server, configured by flags or by environment variables. Output is checked as JSON (--json)
// and as tables; errors must exit non-zero with the contract's code on stderr.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { describeError } from "../cli/main.ts";
import { freePort } from "../scripts/lib/wrangler-dev.mjs";
import { startDevServer } from "./lib/dev-server.mjs";

const BIN = fileURLToPath(new URL("../bin/leasehold.mjs", import.meta.url));
const MiB = 1024 * 1024;

/** BASE_ENV is this process's environment without LEASEHOLD_* (a developer's own settings). */
const BASE_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("LEASEHOLD_")));

let server;
let dir;
before(async () => {
  server = await startDevServer();
  dir = mkdtempSync(join(tmpdir(), "leasehold-cli-"));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * spawnCli starts the CLI. `auth: "flags"` passes --url and --token, `"env"` sets LEASEHOLD_URL and
 * LEASEHOLD_TOKEN, `"none"` neither.
 */
function spawnCli(args, { auth = "flags", env = {} } = {}) {
  const flags = auth === "flags" ? ["--url", server.base, "--token", server.token] : [];
  const authEnv = auth === "env" ? { LEASEHOLD_URL: server.base, LEASEHOLD_TOKEN: server.token } : {};
  return spawn(process.execPath, [BIN, ...flags, ...args], {
    env: { ...BASE_ENV, ...authEnv, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** leasehold runs the CLI to its end: `{ code, stdout, stderr, bytes }` (`bytes`: stdout raw). */
function leasehold(args, { input, ...options } = {}) {
  const child = spawnCli(args, options);
  const out = [];
  const err = [];
  child.stdout.on("data", (d) => out.push(d));
  child.stderr.on("data", (d) => err.push(d));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const bytes = Buffer.concat(out);
      resolve({ code, stdout: bytes.toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), bytes });
    });
  });
}

/** ok runs the CLI and asserts it succeeded. */
async function ok(args, options) {
  const r = await leasehold(args, options);
  assert.equal(r.code, 0, `leasehold ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r;
}

/** json runs the CLI with --json and parses its stdout. */
async function json(args, options) {
  return JSON.parse((await ok(["--json", ...args], options)).stdout);
}

/** fails runs the CLI, asserts a non-zero exit, and that stderr names the contract's `code`. */
async function fails(args, code, options) {
  const r = await leasehold(args, options);
  assert.notEqual(r.code, 0, `leasehold ${args.join(" ")} should fail: ${r.stdout}`);
  assert.match(r.stderr, new RegExp(`\\(${code}, request [\\w-]+\\)`), r.stderr);
  assert.equal(r.stdout, "");
  return r;
}

/** header returns the first line of a table, its columns split on runs of 3+ spaces. */
const header = (stdout) => stdout.split("\n")[0].split(/ {3,}/);

const sha256 = (bytes) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/** file writes `bytes` into the test directory and returns its path. */
function file(name, bytes) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** api calls the HTTP API directly (for set-up and checks the CLI does not make). */
async function api(method, path, body) {
  const headers = { authorization: `Bearer ${server.token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(server.base + path, { method, headers, body: body && JSON.stringify(body) });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

describe("configuration", () => {
  test("health: with --url, and with LEASEHOLD_URL", async () => {
    assert.match((await ok(["health"])).stdout, /^ok \S+\n$/);
    assert.match((await ok(["health"], { auth: "env" })).stdout, /^ok \S+\n$/);
  });

  test("token: from --token, from LEASEHOLD_TOKEN, or none (unauthenticated)", async () => {
    await ok(["leases", "ls"]);
    await ok(["leases", "ls"], { auth: "env" });
    await fails(["--url", server.base, "leases", "ls"], "unauthenticated", { auth: "none" });
    await fails(["leases", "ls"], "unauthenticated", { auth: "env", env: { LEASEHOLD_TOKEN: "lh_wrong" } });
  });

  test("namespace: -n, or LEASEHOLD_NAMESPACE", async () => {
    await ok(["-n", "cli-ns-a", "leases", "create", "in-a"]);
    await ok(["leases", "create", "in-b"], { auth: "env", env: { LEASEHOLD_NAMESPACE: "cli-ns-b" } });
    assert.equal((await ok(["-n", "cli-ns-a", "leases", "ls", "-q"])).stdout, "in-a\n");
    assert.equal((await ok(["leases", "ls", "-q"], { env: { LEASEHOLD_NAMESPACE: "cli-ns-b" } })).stdout, "in-b\n");
  });

  test("errors: an unreachable service exits 1 and says why", async () => {
    const closed = await freePort(); // nothing listens there
    for (const host of ["127.0.0.1", "localhost"]) {
      const r = await leasehold(["--url", `http://${host}:${closed}`, "health"], { auth: "none" });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^leasehold: fetch failed: .*ECONNREFUSED/);
    }
  });

  test("errors: every address localhost was tried at is named", () => {
    const refused = (addr) => Object.assign(new Error(`connect ECONNREFUSED ${addr}`), { code: "ECONNREFUSED" });
    const cause = new AggregateError([refused("::1:1"), refused("127.0.0.1:1")]);
    assert.equal(
      describeError(new TypeError("fetch failed", { cause })),
      "fetch failed: connect ECONNREFUSED ::1:1; connect ECONNREFUSED 127.0.0.1:1",
    );
    assert.equal(describeError(new Error("plain")), "plain");
  });

  test("errors: a bad argument is commander's usage error, exit 1", async () => {
    const r = await leasehold(["leases", "frobnicate"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});

describe("leases and resources", () => {
  const ns = ["-n", "cli-leases"];

  test("leases create: --json gives the lease with its ttl and labels", async () => {
    const before = Date.now();
    const lease = await json([...ns, "leases", "create", "build-1", "--ttl", "3600", "-l", "team=ci"]);
    assert.equal(lease.id, "build-1");
    assert.equal(lease.labels.team, "ci");
    const ttl = Date.parse(lease.expiresAt) - before;
    assert.ok(ttl > 3590_000 && ttl <= 3600_000 + 5_000, `expires in ${ttl} ms`);
    assert.equal(lease.labels["containerd.io/gc.expire"], lease.expiresAt);

    const human = await ok([...ns, "leases", "create", "--expires-at", "2099-01-01T00:00:00.000Z"]);
    assert.match(human.stdout, /^\S+ \(expires 2099-01-01T00:00:00\.000Z\)\n$/);
    await fails([...ns, "leases", "create", "build-1"], "already_exists");
    await fails(
      [...ns, "leases", "create", "x", "--ttl", "60", "--expires-at", "2099-01-01T00:00:00Z"],
      "invalid_argument",
    );
  });

  test("leases ls: table, --json, -q and filters", async () => {
    await ok([...ns, "leases", "create", "build-2", "-l", "team=web"]);
    const table = await ok([...ns, "leases", "ls"]);
    assert.deepEqual(header(table.stdout), ["ID", "CREATED AT", "EXPIRES AT", "LABELS"]);
    const row = table.stdout.split("\n").find((l) => l.startsWith("build-2 "));
    assert.match(row ?? "", /^build-2\s+\S+Z\s+-\s+team=web$/);

    const listed = await json([...ns, "leases", "ls"]);
    assert.ok(listed.some((l) => l.id === "build-1") && listed.some((l) => l.id === "build-2"));
    const filtered = await json([...ns, "leases", "ls", "-f", "labels.team==ci"]);
    assert.deepEqual(
      filtered.map((l) => l.id),
      ["build-1"],
    );
    const either = await ok([...ns, "leases", "ls", "-q", "-f", "id==build-1", "-f", "id==build-2"]);
    assert.equal(either.stdout, "build-1\nbuild-2\n");
    await fails([...ns, "leases", "ls", "-f", "labels.team=="], "invalid_argument");
  });

  test("leases ls -q: an empty namespace prints nothing", async () => {
    const r = await ok(["-n", "cli-empty", "leases", "ls", "-q"]);
    assert.equal(r.stdout, "");
  });

  test("resources add, ls, rm", async () => {
    const digest = sha256("not uploaded yet");
    const added = await json([...ns, "resources", "add", "build-1", "content", digest]);
    assert.deepEqual(added, [{ type: "content", id: digest }]);
    await ok([...ns, "resources", "add", "build-1", "ingests", "upload-1", "upload-2"]);

    const table = await ok([...ns, "resources", "ls", "build-1"]);
    assert.deepEqual(header(table.stdout), ["TYPE", "ID"]);
    assert.match(table.stdout, new RegExp(`\\ncontent\\s+${digest}\\n`));
    assert.deepEqual(await json([...ns, "resources", "ls", "build-1", "-t", "ingests"]), [
      { type: "ingests", id: "upload-1" },
      { type: "ingests", id: "upload-2" },
    ]);

    await ok([...ns, "resources", "rm", "build-1", "ingests", "upload-1"]);
    assert.deepEqual(
      (await json([...ns, "resources", "ls", "build-1"])).map((r) => r.id),
      [digest, "upload-2"],
    );
    await fails([...ns, "resources", "add", "build-1", "images", "x"], "not_implemented");
    await fails([...ns, "resources", "add", "build-1", "content", "sha256:nothex"], "invalid_argument");
    await fails([...ns, "resources", "ls", "missing"], "not_found");
  });

  test("leases rm: deletes; a missing lease is not_found", async () => {
    assert.equal((await ok([...ns, "leases", "rm", "build-2"])).stdout, "build-2\n");
    assert.deepEqual(await json([...ns, "leases", "rm", "build-1"]), [{ id: "build-1", gc: null }]);
    await fails([...ns, "leases", "rm", "build-1"], "not_found");
    assert.deepEqual(await json([...ns, "leases", "ls", "-f", "id~=^build-"]), []);
  });
});

describe("content", () => {
  const ns = ["-n", "cli-content"];
  const small = Buffer.from("hello, leasehold\n");
  const smallDigest = sha256(small);

  test("content push: a small file is one PUT; --json gives digest, size and method", async () => {
    const pushed = await json([...ns, "content", "push", file("hello.txt", small), "-l", "app=demo"]);
    assert.equal(pushed.digest, smallDigest);
    assert.equal(pushed.size, small.length);
    assert.equal(pushed.method, "put");
    assert.equal(pushed.created, true);
    assert.deepEqual(pushed.info.labels, { app: "demo" });
    assert.equal((await ok([...ns, "content", "push", join(dir, "hello.txt")])).stdout, `${smallDigest}\n`);
  });

  test("content push -: reads stdin", async () => {
    const bytes = Buffer.from("from stdin\n");
    const pushed = await json([...ns, "content", "push", "-"], { input: bytes });
    assert.equal(pushed.digest, sha256(bytes));
  });

  test("content get: the same bytes to stdout, to a file, and a range", async () => {
    assert.deepEqual((await ok([...ns, "content", "get", smallDigest])).bytes, small);
    const out = join(dir, "hello.out");
    assert.equal((await ok([...ns, "content", "get", smallDigest, "-o", out])).stdout, "");
    assert.deepEqual(readFileSync(out), small);
    assert.equal((await ok([...ns, "content", "get", smallDigest, "--range", "0-4"])).stdout, "hello");
    await fails([...ns, "content", "get", smallDigest, "--range", "100-200"], "range_not_satisfiable");
    await fails([...ns, "content", "get", sha256("absent")], "not_found");
  });

  test("content get: a reader that stops early (| head) ends it quietly", { timeout: 60_000 }, async () => {
    const big = randomBytes(8 * MiB);
    const { digest } = await json([...ns, "content", "push", file("head.bin", big)]);
    const child = spawnCli([...ns, "content", "get", digest]);
    child.stdin.end();
    const err = [];
    child.stderr.on("data", (d) => err.push(d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(Buffer.concat(err).toString(), "");
    assert.equal(code, 0);
  });

  test("content ls, info and label", async () => {
    const table = await ok([...ns, "content", "ls"]);
    assert.deepEqual(header(table.stdout), ["DIGEST", "SIZE", "CREATED AT", "LABELS"]);
    assert.match(table.stdout, new RegExp(`\\n${smallDigest}\\s+17 B\\s+\\S+Z\\s+app=demo\\n`));
    assert.deepEqual(
      (await json([...ns, "content", "ls", "-f", "labels.app==demo"])).map((i) => i.digest),
      [smallDigest],
    );
    assert.equal((await ok([...ns, "content", "ls", "-q", "-f", "labels.app==demo"])).stdout, `${smallDigest}\n`);

    const labelled = await ok([...ns, "content", "label", smallDigest, "stage=test", "app="]);
    assert.equal(labelled.stdout, `${smallDigest} stage=test\n`);
    const info = await json([...ns, "content", "info", smallDigest]);
    assert.deepEqual(info.labels, { stage: "test" });
    assert.equal(info.size, small.length);
    assert.deepEqual(header((await ok([...ns, "content", "info", smallDigest])).stdout), [
      "DIGEST",
      "SIZE",
      "CREATED AT",
      "LABELS",
    ]);
    await fails([...ns, "content", "label", smallDigest, "containerd.io/gc.ref.content=nope"], "invalid_argument");
    await fails([...ns, "content", "info", "sha256:short"], "invalid_argument");
  });

  test("content rm: metadata goes at once", async () => {
    assert.equal((await ok([...ns, "content", "rm", smallDigest])).stdout, `${smallDigest}\n`);
    await fails([...ns, "content", "info", smallDigest], "not_found");
    await fails([...ns, "content", "rm", smallDigest], "not_found");
  });
});

describe("large content and ingests", () => {
  const ns = ["-n", "cli-ingest"];
  const big = randomBytes(12 * MiB);
  const bigDigest = sha256(big);
  const partSize = String(5 * MiB);

  test("content push --part-size: 12 MiB goes up as a chunked ingest", { timeout: 60_000 }, async () => {
    const pushed = await json([...ns, "content", "push", file("big.bin", big), "--part-size", partSize]);
    assert.equal(pushed.method, "ingest");
    assert.equal(pushed.digest, bigDigest);
    assert.equal(pushed.size, big.length);
    const out = join(dir, "big.out");
    await ok([...ns, "content", "get", bigDigest, "-o", out]);
    assert.equal(sha256(readFileSync(out)), bigDigest);
    assert.equal(sha256((await ok([...ns, "content", "get", bigDigest])).bytes), bigDigest);
    assert.deepEqual(await json([...ns, "ingest", "ls"]), []);
  });

  test("content push --ref: an interrupted upload resumes from its offset", { timeout: 60_000 }, async () => {
    const data = randomBytes(12 * MiB);
    const path = file("resume.bin", data);
    // Feed the first part and one more byte on stdin and keep stdin open: the CLI sends part one,
    // then waits for more. Kill it there, as a dropped connection or ^C would.
    const child = spawnCli([...ns, "content", "push", "-", "--ref", "resume-1", "--part-size", partSize]);
    child.stdin.write(data.subarray(0, 5 * MiB + 1));
    const deadline = Date.now() + 30_000;
    let status;
    while (Date.now() < deadline) {
      status = await api("GET", "/v1/namespaces/cli-ingest/ingests/resume-1");
      if (status.status === 200 && status.body.offset === 5 * MiB) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    assert.equal(status?.body.offset, 5 * MiB, "the first part never arrived");

    const shown = await json([...ns, "ingest", "status", "resume-1"]);
    assert.equal(shown.offset, 5 * MiB);
    assert.equal(shown.partSize, 5 * MiB);
    const table = await ok([...ns, "ingest", "ls"]);
    assert.deepEqual(header(table.stdout), ["REF", "OFFSET", "PART SIZE", "EXPECTED", "UPDATED AT"]);
    assert.match(table.stdout, /\nresume-1\s+5\.0 MiB\s+5\.0 MiB\s+-\s+\S+Z\n/);

    const pushed = await json([...ns, "content", "push", path, "--ref", "resume-1"]);
    assert.equal(pushed.method, "ingest");
    assert.equal(pushed.digest, sha256(data));
    assert.equal(sha256((await ok([...ns, "content", "get", pushed.digest])).bytes), sha256(data));
    await fails([...ns, "ingest", "status", "resume-1"], "not_found");
  });

  test("ingest abort: drops an upload", async () => {
    const started = await api("POST", "/v1/namespaces/cli-ingest/ingests", { ref: "to-abort", partSize: 5 * MiB });
    assert.equal(started.status, 201);
    assert.equal((await ok([...ns, "ingest", "status", "to-abort"])).stdout.split("\n")[0].split(/ {3,}/)[0], "REF");
    assert.equal((await ok([...ns, "ingest", "abort", "to-abort"])).stdout, "to-abort\n");
    await fails([...ns, "ingest", "status", "to-abort"], "not_found");
    await fails([...ns, "ingest", "abort", "to-abort"], "not_found");
  });
});

describe("collection", () => {
  const ns = ["-n", "cli-gc"];

  test("gc explain, leases rm --sync, gc runs: a released blob is collected", { timeout: 60_000 }, async () => {
    await ok([...ns, "leases", "create", "hold", "--ttl", "3600"]);
    const bytes = randomBytes(1024);
    const { digest } = await json([...ns, "content", "push", file("held.bin", bytes), "--lease", "hold"]);

    const live = await json([...ns, "gc", "explain", "content", digest]);
    assert.deepEqual([live.live, live.reason], [true, "lease"]);
    assert.deepEqual(live.path[0], { type: "lease", id: "hold" });
    assert.match((await ok([...ns, "gc", "explain", "content", digest])).stdout, /: live \(lease\)\n {2}lease hold\n/);

    const [released] = await json([...ns, "leases", "rm", "hold", "--sync"]);
    assert.equal(released.id, "hold");
    assert.equal(released.gc.trigger, "sync");
    assert.ok(released.gc.contentDeleted >= 1);
    assert.ok(released.gc.bytesFreed >= bytes.length);
    await fails([...ns, "content", "info", digest], "not_found");
    const gone = await json([...ns, "gc", "explain", "content", digest]);
    assert.deepEqual([gone.live, gone.reason], [false, null]);

    const runs = await json(["gc", "runs", "--limit", "1"]);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].id, released.gc.id);
    const table = await ok(["gc", "runs"]);
    assert.deepEqual(header(table.stdout), [
      "ID",
      "TRIGGER",
      "STARTED AT",
      "MS",
      "LEASES",
      "CONTENT",
      "INGESTS",
      "FREED",
      "DONE",
    ]);
    assert.match(table.stdout, new RegExp(`\\n${released.gc.id}\\s+sync\\s`));
  });

  test("gc run: manual, dry run, one namespace", { timeout: 60_000 }, async () => {
    const { digest } = await json([...ns, "content", "push", file("loose.bin", randomBytes(100))]);
    const dry = await json([...ns, "gc", "run", "--dry-run", "--only-namespace"]);
    assert.deepEqual([dry.trigger, dry.dryRun, dry.complete], ["manual", true, true]);
    assert.ok(dry.contentDeleted >= 1);
    await ok([...ns, "content", "info", digest]);

    const table = await ok(["gc", "run", "--dry-run"]);
    assert.match(table.stdout, /\n\S+\s+manual \(dry\)\s/);
    const run = await json([...ns, "gc", "run", "--only-namespace"]);
    assert.deepEqual([run.trigger, run.dryRun], ["manual", false]);
    await fails([...ns, "content", "info", digest], "not_found");
  });
});

describe("tokens", () => {
  test("tokens create, ls, rm; the token works until it is revoked", async () => {
    const issued = await json(["tokens", "create", "--role", "read", "--namespaces", "cli-tok", "--description", "ci"]);
    assert.deepEqual([issued.role, issued.namespaces], ["read", ["cli-tok"]]);
    assert.match(issued.token, /^lh_/);
    const plain = await ok(["tokens", "create", "--role", "write", "--namespaces", "*"]);
    assert.match(plain.stdout, /^lh_\S+\n$/);

    const table = await ok(["tokens", "ls"]);
    assert.deepEqual(header(table.stdout), ["ID", "ROLE", "NAMESPACES", "CREATED AT", "DESCRIPTION"]);
    assert.match(table.stdout, new RegExp(`\\n${issued.id}\\s+read\\s+cli-tok\\s+\\S+Z\\s+ci\\n`));
    const listed = await json(["tokens", "ls"]);
    assert.ok(listed.some((t) => t.id === issued.id && t.token === undefined));

    const reader = ["--url", server.base, "--token", issued.token, "-n", "cli-tok"];
    await ok([...reader, "leases", "ls"], { auth: "none" });
    await fails([...reader, "leases", "create"], "permission_denied", { auth: "none" });
    await fails(["--url", server.base, "--token", issued.token, "leases", "ls"], "permission_denied", { auth: "none" });
    await fails([...reader, "tokens", "ls"], "permission_denied", { auth: "none" });

    assert.equal((await ok(["tokens", "rm", issued.id])).stdout, `${issued.id}\n`);
    await fails([...reader, "leases", "ls"], "unauthenticated", { auth: "none" });
    await fails(["tokens", "rm", issued.id], "not_found");
    await fails(["tokens", "create", "--role", "root", "--namespaces", "*"], "invalid_argument");
  });
});
