import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newBlobKey, newIngestKey } from "../src/content/keys";
import { collectNs, countingBucket, objectExists, putBlobs, queuedCount } from "./gc-seed";
import { freshNamespace } from "./helpers";

const countContent = async (ns: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM content WHERE namespace = ?").bind(ns).first<{ n: number }>())?.n;

describe("delete objects", () => {
  it("delete objects: 2,500 dead blobs go in R2 calls of at most 1,000 keys", async () => {
    const ns = freshNamespace();
    const blobs = await putBlobs(ns, 2500);
    const { bucket, calls } = countingBucket();
    const { run } = await collectNs(ns, {}, { bucket });
    expect(run).toMatchObject({ complete: true, contentDeleted: 2500, objectsDeleted: 2500, bytesFreed: 7500 });
    expect(calls.deletes).toEqual([1000, 1000, 500]);
    expect(Math.max(...calls.deletes)).toBeLessThanOrEqual(1000);
    for (const b of [blobs[0], blobs[1234], blobs[2499]]) expect(await objectExists(b?.key ?? "")).toBe(false);
    expect(await queuedCount(ns)).toBe(0);
  });

  it("delete objects: a chunk that fails is left queued; the run records what it finished; the next finishes", async () => {
    const ns = freshNamespace();
    const blobs = await putBlobs(ns, 1500);
    const failing = countingBucket((n) => n === 2);
    const first = await collectNs(ns, {}, { bucket: failing.bucket });
    expect(first.run).toMatchObject({ complete: false, contentDeleted: 1500, objectsDeleted: 1000, bytesFreed: 3000 });
    expect(await countContent(ns)).toBe(0);
    expect(await queuedCount(ns)).toBe(500);

    const second = await collectNs(ns);
    expect(second.run).toMatchObject({ complete: true, contentDeleted: 0, objectsDeleted: 500 });
    expect(await queuedCount(ns)).toBe(0);
    for (const b of blobs.slice(-3)) expect(await objectExists(b.key)).toBe(false);
  });

  it("delete objects: a queued key already gone from R2 counts as deleted", async () => {
    const ns = freshNamespace();
    const key = newBlobKey(ns);
    await env.DB.prepare("INSERT INTO gc_deletions (object_key, namespace, size, enqueued_at) VALUES (?, ?, 5, ?)")
      .bind(key, ns, Date.now())
      .run();
    const { run } = await collectNs(ns);
    expect(run).toMatchObject({ complete: true, objectsDeleted: 1, bytesFreed: 5 });
    expect(await queuedCount(ns)).toBe(0);
  });

  it("delete objects: a queued multipart upload is aborted, and one already aborted counts as done", async () => {
    const ns = freshNamespace();
    const live = await env.BLOBS.createMultipartUpload(newIngestKey(ns));
    const dead = await env.BLOBS.createMultipartUpload(newIngestKey(ns));
    await dead.abort();
    for (const u of [live, dead]) {
      await env.DB.prepare(
        "INSERT INTO gc_deletions (object_key, upload_id, namespace, size, enqueued_at) VALUES (?, ?, ?, 0, ?)",
      )
        .bind(u.key, u.uploadId, ns, Date.now())
        .run();
    }
    const { bucket, calls } = countingBucket();
    const { run } = await collectNs(ns, {}, { bucket });
    expect(run).toMatchObject({ complete: true, objectsDeleted: 2 });
    expect(calls.aborts).toBe(2);
    expect(await queuedCount(ns)).toBe(0);
    await expect(env.BLOBS.resumeMultipartUpload(live.key, live.uploadId).uploadPart(1, "x")).rejects.toThrow();
  });

  it("delete objects: a queued key that a row points at again is dropped, never deleted", async () => {
    const ns = freshNamespace();
    const [blob] = await putBlobs(ns, 1);
    await env.DB.prepare("INSERT INTO gc_deletions (object_key, namespace, size, enqueued_at) VALUES (?, ?, 3, ?)")
      .bind(blob?.key, ns, Date.now())
      .run();
    await env.DB.prepare("UPDATE content SET root = 1 WHERE namespace = ?").bind(ns).run();
    const { run } = await collectNs(ns);
    expect(run).toMatchObject({ complete: true, objectsDeleted: 0 });
    expect(await objectExists(blob?.key ?? "")).toBe(true);
    expect(await queuedCount(ns)).toBe(0);
  });
});
