import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newBlobKey, newIngestKey } from "../src/content/keys";
import { collectNs, countingBucket, objectExists, putBlobs, queuedCount } from "./gc-seed";
import { freshNamespace } from "./helpers";

const countContent = async (ns: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM content WHERE namespace = ?").bind(ns).first<{ n: number }>())?.n;

/** RETRY_MS is past the first backoff of a failed queue entry (5 minutes). */
const RETRY_MS = 6 * 60_000;
const later = (ms: number) => () => Date.now() + ms;

/** failingAborts wraps the R2 binding so that aborting the upload `uploadId` always fails. */
function failingAborts(uploadId: string): R2Bucket {
  const inner = env.BLOBS;
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "resumeMultipartUpload") {
        return (key: string, id: string) => {
          if (id !== uploadId) return target.resumeMultipartUpload(key, id);
          return { abort: () => Promise.reject(new Error("injected: internal error")) } as unknown as R2MultipartUpload;
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const attemptsOf = async (key: string) =>
  (await env.DB.prepare("SELECT attempts, retry_at AS retryAt FROM gc_deletions WHERE object_key = ?")
    .bind(key)
    .first<{ attempts: number; retryAt: number }>()) ?? undefined;

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

    // The failed chunk waits out its backoff: a run at once leaves it, a run past the backoff deletes it.
    expect((await collectNs(ns)).run).toMatchObject({ complete: true, objectsDeleted: 0 });
    expect(await queuedCount(ns)).toBe(500);
    const second = await collectNs(ns, {}, { clock: later(RETRY_MS) });
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

  it("delete objects: an entry whose R2 call keeps failing is set aside with a growing backoff; the rest drains", async () => {
    const ns = freshNamespace();
    const stuck = await env.BLOBS.createMultipartUpload(newIngestKey(ns));
    await env.DB.prepare(
      "INSERT INTO gc_deletions (object_key, upload_id, namespace, size, enqueued_at) VALUES (?, ?, ?, 0, ?)",
    )
      .bind(stuck.key, stuck.uploadId, ns, Date.now())
      .run();
    const blobs = await putBlobs(ns, 3);
    const bucket = failingAborts(stuck.uploadId);

    const first = await collectNs(ns, {}, { bucket });
    expect(first.run).toMatchObject({ contentDeleted: 3, objectsDeleted: 3 });
    for (const b of blobs) expect(await objectExists(b.key)).toBe(false);
    const once = await attemptsOf(stuck.key);
    expect(once?.attempts).toBe(1);

    // Past the first backoff it is tried again, fails again, and waits twice as long.
    await collectNs(ns, {}, { bucket, clock: later(RETRY_MS) });
    const twice = await attemptsOf(stuck.key);
    expect(twice?.attempts).toBe(2);
    expect((twice?.retryAt ?? 0) - (once?.retryAt ?? 0)).toBeGreaterThan(RETRY_MS);

    // Once R2 accepts it, it leaves the queue.
    const healed = await collectNs(ns, {}, { clock: later(RETRY_MS * 4) });
    expect(healed.run).toMatchObject({ complete: true, objectsDeleted: 1 });
    expect(await queuedCount(ns)).toBe(0);
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
