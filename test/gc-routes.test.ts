import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { blobState, objectExists, putBlob, putIngest, putLease, ROOT, ref } from "./gc-seed";
import { call, expectError, freshNamespace, json, sha256 } from "./helpers";

type Run = Record<string, unknown> & { startedAt: string; finishedAt: string; id: string };

describe("POST /v1/gc", () => {
  it("gc: a dry run changes nothing and reports what a real run then removes", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "dead");
    await putLease(ns, "old", { expiresAt: Date.now() - 1 });
    await putIngest(ns, "stale", { expiresAt: Date.now() - 1 });
    const dry = await json<Run>("POST", "/v1/gc", { json: { dryRun: true, namespace: ns } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      trigger: "manual",
      dryRun: true,
      complete: true,
      leasesExpired: 1,
      contentDeleted: 1,
      ingestsAborted: 1,
      objectsDeleted: 2,
      bytesFreed: 4,
    });
    expect(await blobState(ns, blob.digest)).toEqual({ row: true, object: true });
    const marks = await env.DB.prepare("SELECT count(*) AS n FROM gc_marks").first();
    expect(marks).toEqual({ n: 0 });

    const real = await json<Run>("POST", "/v1/gc", { json: { namespace: ns } });
    expect(real.body).toMatchObject({ dryRun: false, leasesExpired: 1, contentDeleted: 1, ingestsAborted: 1 });
    expect(real.body.objectsDeleted).toBe(2);
    expect(await blobState(ns, blob.digest)).toEqual({ row: false, object: false });
  });

  it("gc: the run object has exactly the contract's fields", async () => {
    const res = await json<Run>("POST", "/v1/gc", { json: { namespace: freshNamespace() } });
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "id",
        "trigger",
        "dryRun",
        "startedAt",
        "finishedAt",
        "complete",
        "leasesExpired",
        "contentDeleted",
        "ingestsAborted",
        "objectsDeleted",
        "orphansDeleted",
        "bytesFreed",
        "durationMs",
      ].sort(),
    );
    expect(res.body.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("gc: a bad body is invalid_argument", async () => {
    await expectError(await call("POST", "/v1/gc", { json: { dryRun: "yes" } }), 400, "invalid_argument");
    await expectError(await call("POST", "/v1/gc", { json: { namespace: "a/b" } }), 400, "invalid_argument");
  });

  it("gc: runs are listed newest first, limited", async () => {
    const ns = freshNamespace();
    const a = await json<Run>("POST", "/v1/gc", { json: { namespace: ns, dryRun: true } });
    const b = await json<Run>("POST", "/v1/gc", { json: { namespace: ns } });
    const list = await json<{ runs: Run[] }>("GET", "/v1/gc/runs?limit=2");
    expect(list.status).toBe(200);
    expect(list.body.runs.map((r) => r.id)).toEqual([b.body.id, a.body.id]);
    await expectError(await call("GET", "/v1/gc/runs?limit=0"), 400, "invalid_argument");
  });
});

describe("GET /v1/namespaces/{ns}/gc/explain", () => {
  const explain = (ns: string, type: string, id: string) =>
    json("GET", `/v1/namespaces/${ns}/gc/explain?type=${encodeURIComponent(type)}&id=${encodeURIComponent(id)}`);

  it("explain: lease, reference path, root, flat and dead", async () => {
    const ns = freshNamespace();
    const layer = await putBlob(ns, "layer");
    const config = await putBlob(ns, "config");
    const manifest = await putBlob(ns, "manifest", { [ref(0)]: config.digest, [ref(1)]: layer.digest });
    await putLease(ns, "push", { content: [manifest.digest] });
    const rooted = await putBlob(ns, "rooted", ROOT);
    const flatChild = await putBlob(ns, "flat-child");
    const flatTop = await putBlob(ns, "flat-top", { [ref(0)]: flatChild.digest });
    await putLease(ns, "flat", { flat: true, content: [flatTop.digest] });

    expect((await explain(ns, "content", layer.digest)).body).toEqual({
      type: "content",
      id: layer.digest,
      live: true,
      reason: "reference",
      path: [
        { type: "lease", id: "push" },
        { type: "content", id: manifest.digest },
        { type: "content", id: layer.digest },
      ],
    });
    expect((await explain(ns, "content", manifest.digest)).body).toMatchObject({ live: true, reason: "lease" });
    expect((await explain(ns, "content", rooted.digest)).body).toMatchObject({
      reason: "root",
      path: [{ type: "content", id: rooted.digest }],
    });
    expect((await explain(ns, "content", flatTop.digest)).body).toMatchObject({ live: true, reason: "lease" });
    expect((await explain(ns, "content", flatChild.digest)).body).toEqual({
      type: "content",
      id: flatChild.digest,
      live: false,
      reason: null,
      path: [],
    });
  });

  it("explain: a cycle ends; ingests by lease and by their own expiry", async () => {
    const ns = freshNamespace();
    const b = await putBlob(ns, "b", { [ref(0)]: await sha256("a") });
    const a = await putBlob(ns, "a", { [ref(0)]: b.digest, ...ROOT });
    expect((await explain(ns, "content", b.digest)).body).toMatchObject({ reason: "reference" });
    expect((await explain(ns, "content", await sha256("nothing"))).body).toMatchObject({ live: false });
    expect(a.digest).toBeTruthy();

    await putLease(ns, "l", { ingests: ["up-1"] });
    await putIngest(ns, "up-1", { leaseId: "l" });
    await putIngest(ns, "up-2", { expiresAt: Date.now() + 60_000 });
    await putIngest(ns, "up-3", { expiresAt: Date.now() - 1 });
    expect((await explain(ns, "ingests", "up-1")).body).toMatchObject({
      live: true,
      reason: "lease",
      path: [
        { type: "lease", id: "l" },
        { type: "ingests", id: "up-1" },
      ],
    });
    expect((await explain(ns, "ingests", "up-2")).body).toMatchObject({ live: true, reason: "ingest" });
    expect((await explain(ns, "ingests", "up-3")).body).toMatchObject({ live: false, reason: null });
  });

  it("explain: bad type and id are 400, unmanaged types 501", async () => {
    const ns = freshNamespace();
    await expectError(
      await call("GET", `/v1/namespaces/${ns}/gc/explain?type=content&id=nope`),
      400,
      "invalid_argument",
    );
    await expectError(await call("GET", `/v1/namespaces/${ns}/gc/explain?type=images&id=x`), 501, "not_implemented");
    await expectError(await call("GET", `/v1/namespaces/${ns}/gc/explain?type=content`), 400, "invalid_argument");
  });
});

describe("DELETE /v1/namespaces/{ns}/leases/{id}?sync=true", () => {
  it("sync delete: answers with a run that started after the delete, R2 deletions done", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "synced");
    const row = await env.DB.prepare("SELECT object_key AS key FROM content WHERE namespace = ?").bind(ns).first<{
      key: string;
    }>();
    await putLease(ns, "l", { content: [blob.digest] });
    const before = Date.now();
    const res = await json<{ gc: Run }>("DELETE", `/v1/namespaces/${ns}/leases/l?sync=true`);
    expect(res.status).toBe(200);
    expect(res.body.gc).toMatchObject({ trigger: "sync", dryRun: false, complete: true, contentDeleted: 1 });
    expect(Date.parse(res.body.gc.startedAt)).toBeGreaterThanOrEqual(before);
    expect(await objectExists(row?.key ?? "")).toBe(false);
    await expectError(await call("DELETE", `/v1/namespaces/${ns}/leases/l?sync=true`), 404, "not_found");
  });

  it("sync delete: waits for a run holding the lock, then runs its own", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "waited");
    await putLease(ns, "l", { content: [blob.digest] });
    const until = Date.now() + 700;
    await env.DB.prepare(
      "INSERT INTO gc_lock (name, holder, expires_at) VALUES ('collector', 'other', ?) ON CONFLICT (name) DO UPDATE SET holder = 'other', expires_at = excluded.expires_at",
    )
      .bind(until)
      .run();
    const res = await json<{ gc: Run }>("DELETE", `/v1/namespaces/${ns}/leases/l?sync=true`);
    expect(res.status).toBe(200);
    expect(Date.parse(res.body.gc.startedAt)).toBeGreaterThan(until);
    expect(res.body.gc.contentDeleted).toBe(1);
  });

  it("sync delete: without sync the answer stays 204", async () => {
    const ns = freshNamespace();
    await putLease(ns, "l");
    expect((await call("DELETE", `/v1/namespaces/${ns}/leases/l`)).status).toBe(204);
  });
});
