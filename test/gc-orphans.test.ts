import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newBlobKey } from "../src/content/keys";
import { collectNs, countingBucket, objectExists, putBlob, putIngest } from "./gc-seed";
import { freshNamespace } from "./helpers";

describe("orphans", () => {
  it("orphans: an R2 object no row points at is deleted only once older than the grace period", async () => {
    const ns = freshNamespace();
    const orphan = newBlobKey(ns);
    await env.BLOBS.put(orphan, "lost");
    const kept = await putBlob(ns, "kept", { "containerd.io/gc.root": "x" });
    const upload = await putIngest(ns, "in-flight", { expiresAt: Date.now() + 60_000 });

    expect((await collectNs(ns)).run.orphansDeleted).toBe(0);
    expect(await objectExists(orphan)).toBe(true);

    await new Promise((r) => setTimeout(r, 20));
    const dry = await collectNs(ns, { dryRun: true }, { orphanGraceMs: 10 });
    expect(dry.run).toMatchObject({ orphansDeleted: 1, bytesFreed: 4 });
    expect(await objectExists(orphan)).toBe(true);

    const { run } = await collectNs(ns, {}, { orphanGraceMs: 10 });
    expect(run).toMatchObject({ complete: true, orphansDeleted: 1, bytesFreed: 4 });
    expect(await objectExists(orphan)).toBe(false);
    expect(await objectExists(kept.key)).toBe(true);
    const part = await env.BLOBS.resumeMultipartUpload(upload.key, upload.uploadId).uploadPart(1, "still open");
    expect(part.etag).toBeTruthy();
  });

  it("orphans: the listing resumes from its saved cursor when the budget runs out", async () => {
    const ns = freshNamespace();
    const keys = Array.from({ length: 5 }, () => newBlobKey(ns));
    for (const key of keys) await env.BLOBS.put(key, "x");
    await new Promise((r) => setTimeout(r, 20));

    // Pages of one key are forced by wrapping list; the run may list twice, then stops.
    const { bucket, calls } = countingBucket();
    const paged = new Proxy(bucket, {
      get(target, prop) {
        if (prop === "list") return (o: R2ListOptions) => target.list({ ...o, limit: 1 });
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const limits = { timeMs: 10_000, statements: 500, r2Calls: 6 };
    const first = await collectNs(ns, {}, { bucket: paged, orphanGraceMs: 10, limits });
    expect(first.run.complete).toBe(false);
    expect(first.run.orphansDeleted).toBeGreaterThan(0);
    expect(first.run.orphansDeleted).toBeLessThan(5);

    let total = first.run.orphansDeleted;
    for (let i = 0; i < 10 && total < 5; i++) {
      total += (await collectNs(ns, {}, { bucket: paged, orphanGraceMs: 10, limits })).run.orphansDeleted;
    }
    expect(total).toBe(5);
    for (const key of keys) expect(await objectExists(key)).toBe(false);
    expect(calls.lists).toBeGreaterThan(5);
  });
});
