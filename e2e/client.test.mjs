// The typed client (`leasehold/client`) imported on Node, over real HTTP to the dev server: what the
// workerd tests cannot show (Node's fetch, file paths, a dropped connection mid-upload).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { all, createClient, isApiError, LeaseholdApiError } from "leasehold/client";
import { startDevServer } from "./lib/dev-server.mjs";

const MiB = 1024 * 1024;
const sha256 = (bytes) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

let server;
let lh;
let dir;
before(async () => {
  server = await startDevServer();
  lh = createClient({ url: server.base, token: server.token });
  dir = mkdtempSync(join(tmpdir(), "leasehold-client-"));
});
after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * recording makes a client whose fetch logs each request as `METHOD Upload-Offset` and calls
 * `fault(request, n)` first (`n`: how many requests of that method came before); a fault that
 * throws stands for a dropped connection.
 */
function recording(log, fault = () => undefined) {
  const seen = {};
  return createClient({
    url: server.base,
    token: server.token,
    fetch: async (req) => {
      seen[req.method] = (seen[req.method] ?? 0) + 1;
      log.push(`${req.method} ${req.headers.get("upload-offset") ?? "-"}`);
      fault(req, seen[req.method] - 1);
      return fetch(req);
    },
  });
}

describe("client on Node", () => {
  test("healthz and errors: code, status, message, request id", async () => {
    assert.equal((await createClient({ url: server.base }).healthz()).status, "ok");
    const err = await lh
      .namespace("client-errors")
      .leases.get("missing")
      .catch((e) => e);
    assert.ok(err instanceof LeaseholdApiError);
    assert.deepEqual([err.code, err.status, err.message], ["not_found", 404, 'lease "missing" not found']);
    assert.match(err.requestId, /\S/);
    assert.equal(err.headers.get("request-id"), err.requestId);
    await assert.rejects(createClient({ url: server.base }).tokens.list(), { code: "unauthenticated", status: 401 });
    await assert.rejects(createClient({ url: server.base, token: "lh_x" }).gc.runs(), { code: "unauthenticated" });
  });

  test("leases: create, list pages, update, resources, delete", async () => {
    const ns = lh.namespace("client-leases");
    const lease = await ns.leases.create({ id: "build-1", ttl: 600, labels: { team: "ci" } });
    assert.equal(lease.labels.team, "ci");
    await assert.rejects(ns.leases.create({ id: "build-1" }), { code: "already_exists", status: 409 });
    for (const id of ["build-2", "build-3"]) await ns.leases.create({ id });

    const first = await ns.leases.list({ limit: 2 });
    assert.deepEqual(
      first.items.map((l) => l.id),
      ["build-1", "build-2"],
    );
    assert.notEqual(first.nextCursor, null);
    const ids = [];
    for await (const l of all((cursor) => ns.leases.list({ limit: 1, cursor }))) ids.push(l.id);
    assert.deepEqual(ids, ["build-1", "build-2", "build-3"]);
    assert.deepEqual(
      (await ns.leases.list({ filter: ["labels.team==ci", "id==build-3"] })).items.map((l) => l.id),
      ["build-1", "build-3"],
    );

    const updated = await ns.leases.update("build-1", { labels: { team: null, stage: "test" }, expiresAt: null });
    assert.deepEqual([updated.labels, updated.expiresAt], [{ stage: "test" }, null]);

    const digest = sha256("held");
    await ns.leases.addResources("build-1", [
      { type: "content", id: digest },
      { type: "ingests", id: "up-1" },
    ]);
    assert.deepEqual((await ns.leases.listResources("build-1", { type: "content" })).items, [
      { type: "content", id: digest },
    ]);
    await ns.leases.removeResource("build-1", { type: "ingests", id: "up-1" });
    assert.deepEqual((await ns.leases.listResources("build-1")).items, [{ type: "content", id: digest }]);
    await assert.rejects(ns.leases.addResources("build-1", [{ type: "images", id: "x" }]), {
      code: "not_implemented",
    });

    assert.equal(await ns.leases.delete("build-2"), null);
    await assert.rejects(ns.leases.get("build-2"), (e) => isApiError(e, "not_found"));
  });

  test("push: bytes, a file path and a stream below the threshold are one PUT", async () => {
    const ns = lh.namespace("client-content");
    const bytes = Buffer.from("hello, leasehold\n");
    const pushed = await ns.push(new Uint8Array(bytes), { labels: { app: "demo" } });
    assert.deepEqual([pushed.method, pushed.digest, pushed.size, pushed.created], ["put", sha256(bytes), 17, true]);
    assert.deepEqual(pushed.info.labels, { app: "demo" });

    const path = join(dir, "file.bin");
    const fileBytes = randomBytes(100_000);
    writeFileSync(path, fileBytes);
    const fromFile = await ns.push(path);
    assert.deepEqual([fromFile.method, fromFile.digest], ["put", sha256(fileBytes)]);
    assert.equal((await ns.push(path)).created, false);

    const stream = new Blob([Buffer.from("ab"), Buffer.from("cd")]).stream();
    assert.equal((await ns.push(stream)).digest, sha256("abcd"));

    assert.deepEqual(Buffer.from(await ns.content.bytes(fromFile.digest)), fileBytes);
    const range = await ns.content.get(pushed.digest, { range: { start: 7, end: 15 } });
    assert.deepEqual([range.status, await range.text()], [206, "leasehold"]);
    assert.equal((await ns.content.get(pushed.digest, { ifNoneMatch: `"${pushed.digest}"` })).status, 304);
    assert.deepEqual(await ns.content.head(pushed.digest), { size: 17, etag: `"${pushed.digest}"` });
    await assert.rejects(ns.content.get(pushed.digest, { range: "bytes=99-" }), { code: "range_not_satisfiable" });

    assert.deepEqual((await ns.content.label(pushed.digest, { app: null, x: "y" })).labels, { x: "y" });
    assert.deepEqual(
      (await ns.content.list({ filter: "labels.x==y" })).items.map((i) => i.digest),
      [pushed.digest],
    );
    await ns.content.delete(pushed.digest);
    assert.equal(await ns.content.exists(pushed.digest), false);
    await assert.rejects(ns.content.info(pushed.digest), { code: "not_found" });
  });

  test("push: 12 MiB from a file in 5 MiB parts, the digest verified", { timeout: 60_000 }, async () => {
    const ns = lh.namespace("client-ingest");
    const data = randomBytes(12 * MiB);
    const path = join(dir, "big.bin");
    writeFileSync(path, data);
    const log = [];
    const progress = [];
    const pushed = await recording(log)
      .namespace("client-ingest")
      .push(path, { threshold: MiB, partSize: 5 * MiB, onProgress: (done, total) => progress.push([done, total]) });
    assert.deepEqual([pushed.method, pushed.digest, pushed.size], ["ingest", sha256(data), data.length]);
    assert.deepEqual(
      log.filter((l) => l.startsWith("PATCH")),
      ["PATCH 0", `PATCH ${5 * MiB}`, `PATCH ${10 * MiB}`],
    );
    assert.deepEqual(progress, [
      [0, 12 * MiB],
      [5 * MiB, 12 * MiB],
      [10 * MiB, 12 * MiB],
      [12 * MiB, 12 * MiB],
    ]);
    assert.equal(sha256(await ns.content.bytes(pushed.digest)), sha256(data));
    assert.deepEqual((await ns.ingests.list()).items, []);
  });

  test("push: a dropped connection mid-ingest, then a push with the same ref resumes", {
    timeout: 60_000,
  }, async () => {
    const ns = lh.namespace("client-resume");
    const data = randomBytes(12 * MiB);
    const cut = (req, n) => {
      if (req.method === "PATCH" && n >= 1) throw new TypeError("fetch failed");
    };
    const options = { ref: "resume-1", threshold: MiB, partSize: 5 * MiB };
    await assert.rejects(recording([], cut).namespace("client-resume").push(data, options), /fetch failed/);
    const status = await ns.ingests.status("resume-1");
    assert.deepEqual([status.offset, status.partSize, status.expectedSize], [5 * MiB, 5 * MiB, 12 * MiB]);

    // The same ref, no threshold: the push must continue the ingest, not start over with a PUT.
    const log = [];
    const pushed = await recording(log).namespace("client-resume").push(data, { ref: "resume-1" });
    assert.deepEqual([pushed.method, pushed.digest, pushed.created], ["ingest", sha256(data), true]);
    assert.deepEqual(
      log.filter((l) => !l.startsWith("GET")),
      ["POST -", `PATCH ${5 * MiB}`, `PATCH ${10 * MiB}`, "POST -"],
    );
    await assert.rejects(ns.ingests.status("resume-1"), { code: "not_found" });
  });

  test("ingests: start, status, write, conflict, abort, list", async () => {
    const ns = lh.namespace("client-ingests");
    const started = await ns.ingests.start({ ref: "up-1", partSize: 5 * MiB, expectedSize: 6 * MiB });
    assert.deepEqual([started.ref, started.offset], ["up-1", 0]);
    await assert.rejects(ns.ingests.start({ ref: "up-1" }), { code: "already_exists" });
    assert.equal(await ns.ingests.write("up-1", 0, randomBytes(5 * MiB)), 5 * MiB);
    const conflict = await ns.ingests.write("up-1", 0, randomBytes(5 * MiB)).catch((e) => e);
    assert.deepEqual([conflict.code, conflict.status], ["conflict", 409]);
    assert.equal((await ns.ingests.status("up-1")).offset, 5 * MiB);
    assert.deepEqual(
      (await ns.ingests.list()).items.map((s) => s.ref),
      ["up-1"],
    );
    await assert.rejects(ns.ingests.commit("up-1", { digest: sha256("x") }), { code: "failed_precondition" });
    await ns.ingests.abort("up-1");
    await assert.rejects(ns.ingests.status("up-1"), { code: "not_found" });
  });

  test("withLease: the lease holds content while fn runs and is deleted after, also when fn throws", async () => {
    const ns = lh.namespace("client-with-lease");
    let leaseId;
    const digest = await ns.withLease(async (lease) => {
      leaseId = lease.id;
      const { digest } = await ns.push(Buffer.from("leased"), { leaseId: lease.id });
      assert.equal((await ns.explain("content", digest)).reason, "lease");
      return digest;
    });
    assert.equal(digest, sha256("leased"));
    await assert.rejects(ns.leases.get(leaseId), { code: "not_found" });

    const failure = new Error("build failed");
    let thrownLease;
    await assert.rejects(
      ns.withLease(
        async (lease) => {
          thrownLease = lease.id;
          await ns.leases.addResources(lease.id, [{ type: "content", id: digest }]);
          throw failure;
        },
        { id: "throwing", labels: { run: "1" } },
      ),
      (e) => e === failure,
    );
    assert.equal(thrownLease, "throwing");
    await assert.rejects(ns.leases.get("throwing"), { code: "not_found" });
    assert.deepEqual((await ns.leases.list()).items, []);

    const run = await ns.withLease(async () => "done", { sync: true });
    assert.equal(run, "done");
    assert.equal((await lh.gc.runs({ limit: 1 }))[0].trigger, "sync");
    assert.equal(await ns.content.exists(digest), false);
  });

  test("gc and tokens: run, runs, explain, issue, list, revoke", async () => {
    const ns = lh.namespace("client-gc");
    const { digest } = await ns.push(Buffer.from("loose"));
    assert.deepEqual((await ns.explain("content", digest)).live, false);
    const dry = await lh.gc.run({ dryRun: true, namespace: "client-gc" });
    assert.deepEqual([dry.trigger, dry.dryRun, dry.contentDeleted], ["manual", true, 1]);
    assert.equal(await ns.content.exists(digest), true);
    const run = await lh.gc.run({ namespace: "client-gc" });
    assert.deepEqual([run.dryRun, run.contentDeleted, run.complete], [false, 1, true]);
    assert.equal((await lh.gc.runs({ limit: 1 }))[0].id, run.id);
    assert.equal(await ns.content.exists(digest), false);

    const issued = await lh.tokens.create({ role: "write", namespaces: ["client-tok"], description: "e2e" });
    assert.ok((await lh.tokens.list()).some((t) => t.id === issued.id && t.description === "e2e"));
    const writer = createClient({ url: server.base, token: issued.token });
    await writer.namespace("client-tok").leases.create({ id: "ok" });
    await assert.rejects(writer.namespace("elsewhere").leases.create(), { code: "permission_denied" });
    await assert.rejects(writer.gc.run(), { code: "permission_denied" });
    await lh.tokens.revoke(issued.id);
    await assert.rejects(writer.namespace("client-tok").leases.list(), { code: "unauthenticated" });
    await assert.rejects(lh.tokens.revoke(issued.id), { code: "not_found" });
  });
});
