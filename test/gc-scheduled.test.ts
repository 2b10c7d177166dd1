import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { blobState, collectNs, leaseExists, putBlob, putBlobs, putLease } from "./gc-seed";
import { freshNamespace } from "./helpers";

async function tick() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController(), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("scheduled", () => {
  it("scheduled: an expired lease is collected by the cron with no write in between", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "cron");
    await putLease(ns, "l", { content: [blob.digest], expiresAt: Date.now() + 1_000 });
    await tick();
    expect(await blobState(ns, blob.digest)).toEqual({ row: true, object: true });

    // No request touches anything; only time passes.
    await new Promise((r) => setTimeout(r, 1_100));
    await tick();
    expect(await leaseExists(ns, "l")).toBe(false);
    expect(await blobState(ns, blob.digest)).toEqual({ row: false, object: false });
    const runs = await env.DB.prepare("SELECT trigger, complete FROM gc_runs ORDER BY started_at DESC LIMIT 1").all();
    expect(runs.results).toEqual([{ trigger: "cron", complete: 1 }]);
  });

  it("scheduled: 150 leases expiring in one run, each with its blob", async () => {
    const ns = freshNamespace();
    const blobs = await putBlobs(ns, 150, { objects: false });
    for (let i = 0; i < 150; i++) {
      await putLease(ns, `l${i}`, { content: [blobs[i]?.digest ?? ""], expiresAt: Date.now() - 1 });
    }
    const { run } = await collectNs(ns);
    expect(run).toMatchObject({ leasesExpired: 150, contentDeleted: 150, objectsDeleted: 150, complete: true });
    const left = await env.DB.prepare("SELECT count(*) AS n FROM lease_resources WHERE namespace = ?").bind(ns).first();
    expect(left).toEqual({ n: 0 });
  });

  it("scheduled: a lease holding 250 resources keeps them all, and releases them all when it expires", async () => {
    const ns = freshNamespace();
    const blobs = await putBlobs(ns, 250, { objects: false });
    await putLease(ns, "big", { content: blobs.map((b) => b.digest), expiresAt: Date.now() + 60_000 });
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    await env.DB.prepare("UPDATE leases SET expires_at = ? WHERE namespace = ?")
      .bind(Date.now() - 1, ns)
      .run();
    expect((await collectNs(ns)).run).toMatchObject({ leasesExpired: 1, contentDeleted: 250 });
  });
});
