import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { collect } from "../src/gc/collector";
import { GcStore } from "../src/gc/d1";
import { blobState, collectNs, deps, putBlob, putBlobs, putLease } from "./gc-seed";
import { call, freshNamespace, json } from "./helpers";

/** leasedContent lists every digest a namespace's leases hold as content. */
const leasedContent = async (ns: string) =>
  (
    await env.DB.prepare(
      "SELECT DISTINCT resource_id AS id FROM lease_resources WHERE namespace = ? AND type = 'content'",
    )
      .bind(ns)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

describe("races", () => {
  it("races: two overlapping runs, only one sweeps", async () => {
    const ns = freshNamespace();
    await putBlobs(ns, 50, { objects: false });
    const results = await Promise.allSettled([collectNs(ns), collectNs(ns)]);
    const swept = results.filter((r) => r.status === "fulfilled" && r.value.run.contentDeleted > 0);
    expect(swept).toHaveLength(1);
    const busy = results.filter((r) => r.status === "rejected");
    for (const r of busy) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "unavailable" });
  });

  it("races: a sweep by a run that does not hold the lock changes nothing", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "fenced");
    const counts = await new GcStore(env.DB).sweep(ns, "not-the-holder", Date.now());
    expect(counts).toMatchObject({ leasesExpired: 0, contentDeleted: 0, ingestsAborted: 0 });
    expect(await blobState(ns, blob.digest)).toEqual({ row: true, object: true });
  });

  it("races: a lock whose holder died is taken once it expires", async () => {
    const ns = freshNamespace();
    await env.DB.prepare(
      "INSERT INTO gc_lock (name, holder, expires_at) VALUES ('collector', 'dead', ?) ON CONFLICT (name) DO UPDATE SET holder = 'dead', expires_at = excluded.expires_at",
    )
      .bind(Date.now() - 1)
      .run();
    await putBlob(ns, "after-death");
    expect((await collectNs(ns)).run.contentDeleted).toBe(1);
  });

  it("races: adding a resource to a lease racing a collection never leaves a row without bytes", async () => {
    for (let round = 0; round < 25; round++) {
      const ns = freshNamespace("race");
      const blob = await putBlob(ns, `round-${round}`);
      await putLease(ns, "l");
      let addedAt = 0;
      const add = call("POST", `/v1/namespaces/${ns}/leases/l/resources`, {
        json: { type: "content", id: blob.digest },
      }).then((res) => {
        addedAt = Date.now();
        return res.status;
      });
      const [status, { run }] = await Promise.all([
        add,
        collect(deps(), { trigger: "manual", namespace: ns, waitMs: 5_000 }),
      ]);
      expect(status).toBe(204);
      const state = await blobState(ns, blob.digest);
      // Either the sweep came first (row and bytes gone, the lease holds a dangling digest) or the
      // add did (both kept). Never a row whose bytes were deleted.
      expect([JSON.stringify({ row: true, object: true }), JSON.stringify({ row: false, object: false })]).toContain(
        JSON.stringify(state),
      );
      if (addedAt < Date.parse(run.startedAt)) expect(state).toEqual({ row: true, object: true });
      expect(await leasedContent(ns)).toEqual([blob.digest]);
    }
  });

  it("races: uploading an existing unleased blob under a lease racing a collection keeps it readable", async () => {
    for (let round = 0; round < 25; round++) {
      const ns = freshNamespace("put");
      const body = `existing-${round}`;
      const first = await call("PUT", `/v1/namespaces/${ns}/content/${(await putBlob(ns, body)).digest}`, {
        body,
        headers: { "content-length": String(body.length) },
      });
      expect([200, 201]).toContain(first.status);
      await json("POST", `/v1/namespaces/${ns}/leases`, { json: { id: "l" } });
      const digest = (
        await env.DB.prepare("SELECT digest FROM content WHERE namespace = ?").bind(ns).first<{
          digest: string;
        }>()
      )?.digest;
      const put = call("PUT", `/v1/namespaces/${ns}/content/${digest}`, {
        body,
        headers: { "content-length": String(body.length), "lease-id": "l" },
      });
      const [res] = await Promise.all([put, collect(deps(), { trigger: "manual", namespace: ns, waitMs: 5_000 })]);
      expect([200, 201]).toContain(res.status);
      for (const held of await leasedContent(ns)) {
        expect(await blobState(ns, held)).toEqual({ row: true, object: true });
        const read = await call("GET", `/v1/namespaces/${ns}/content/${held}`);
        expect(read.status).toBe(200);
        expect(await read.text()).toBe(body);
      }
      expect(await leasedContent(ns)).toHaveLength(1);
    }
  });
});
