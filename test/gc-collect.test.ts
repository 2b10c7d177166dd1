import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { blobState, collectNs, leaseExists, objectExists, putBlob, putIngest, putLease, ROOT, ref } from "./gc-seed";
import { freshNamespace, sha256 } from "./helpers";

const gone = { row: false, object: false };
const kept = { row: true, object: true };

describe("collect: containerd's cases", () => {
  it("collect: an unleased blob is collected, row and bytes", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "unleased");
    const { run } = await collectNs(ns);
    expect(run).toMatchObject({
      trigger: "manual",
      dryRun: false,
      complete: true,
      contentDeleted: 1,
      objectsDeleted: 1,
    });
    expect(run.bytesFreed).toBe("unleased".length);
    expect(await blobState(ns, blob.digest)).toEqual(gone);
    expect(await objectExists(blob.key)).toBe(false);
  });

  it("collect: a leased blob is kept", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "leased");
    await putLease(ns, "l", { content: [blob.digest] });
    const { run } = await collectNs(ns);
    expect(run.contentDeleted).toBe(0);
    expect(await blobState(ns, blob.digest)).toEqual(kept);
  });

  it("collect: a blob is kept until its lease expires, then collected with the lease", async () => {
    const ns = freshNamespace();
    const blob = await putBlob(ns, "expiring");
    await putLease(ns, "l", { content: [blob.digest], expiresAt: Date.now() + 60_000 });
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    expect(await blobState(ns, blob.digest)).toEqual(kept);

    await putLease(ns, "past", { content: [], expiresAt: Date.now() - 1 });
    await env.DB.prepare("UPDATE leases SET expires_at = ? WHERE namespace = ? AND id = 'l'")
      .bind(Date.now() - 1, ns)
      .run();
    const { run } = await collectNs(ns);
    expect(run).toMatchObject({ leasesExpired: 2, contentDeleted: 1 });
    expect(await blobState(ns, blob.digest)).toEqual(gone);
    expect(await leaseExists(ns, "l")).toBe(false);
  });

  it("collect: a gc.root blob is kept, and what it references", async () => {
    const ns = freshNamespace();
    const child = await putBlob(ns, "child");
    const root = await putBlob(ns, "root", { ...ROOT, [ref(0)]: child.digest });
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    expect(await blobState(ns, root.digest)).toEqual(kept);
    expect(await blobState(ns, child.digest)).toEqual(kept);
  });

  it("collect: a chain and a cycle of references are kept while rooted, collected after", async () => {
    const ns = freshNamespace();
    // c -> (nothing), b -> c, a -> b; cycle x <-> y, a -> x.
    const c = await putBlob(ns, "c");
    const b = await putBlob(ns, "b", { [ref(0)]: c.digest });
    const y = await putBlob(ns, "y", { [ref(0)]: await sha256("x") });
    const x = await putBlob(ns, "x", { [ref(0)]: y.digest });
    const a = await putBlob(ns, "a", { [ref(0)]: b.digest, [ref(1)]: x.digest });
    await putLease(ns, "l", { content: [a.digest] });
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    for (const blob of [a, b, c, x, y]) expect(await blobState(ns, blob.digest)).toEqual(kept);

    await env.DB.prepare("DELETE FROM lease_resources WHERE namespace = ?").bind(ns).run();
    expect((await collectNs(ns)).run.contentDeleted).toBe(5);
    for (const blob of [a, b, c, x, y]) expect(await blobState(ns, blob.digest)).toEqual(gone);
  });

  it("collect: a flat lease keeps its blob but not what it references", async () => {
    const ns = freshNamespace();
    const layer = await putBlob(ns, "layer");
    const manifest = await putBlob(ns, "manifest", { [ref("l0")]: layer.digest });
    await putLease(ns, "flat", { flat: true, content: [manifest.digest] });
    expect((await collectNs(ns)).run.contentDeleted).toBe(1);
    expect(await blobState(ns, manifest.digest)).toEqual(kept);
    expect(await blobState(ns, layer.digest)).toEqual(gone);
  });

  it("collect: a flat-leased blob's references are followed when a non-flat root reaches it too", async () => {
    const ns = freshNamespace();
    const layer = await putBlob(ns, "layer2");
    const manifest = await putBlob(ns, "manifest2", { [ref("l0")]: layer.digest });
    await putLease(ns, "flat", { flat: true, content: [manifest.digest] });
    await putLease(ns, "deep", { content: [manifest.digest] });
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    expect(await blobState(ns, layer.digest)).toEqual(kept);
  });

  it("collect: a digest leased before it exists is protected from its first instant", async () => {
    const ns = freshNamespace();
    await putLease(ns, "pre", { content: [await sha256("later")] });
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    const blob = await putBlob(ns, "later");
    expect((await collectNs(ns)).run.contentDeleted).toBe(0);
    expect(await blobState(ns, blob.digest)).toEqual(kept);
  });

  it("collect: a namespace's lease never protects another namespace's blob", async () => {
    const [ns1, ns2] = [freshNamespace(), freshNamespace()];
    const blob = await putBlob(ns1, "shared");
    await putBlob(ns2, "shared");
    await putLease(ns2, "l", { content: [blob.digest] });
    await collectNs(ns1);
    expect(await blobState(ns1, blob.digest)).toEqual(gone);
    expect(await blobState(ns2, blob.digest)).toEqual(kept);
  });
});

describe("collect: ingests", () => {
  it("collect: unexpired and leased ingests are kept; expired and unleased ones aborted", async () => {
    const ns = freshNamespace();
    const fresh = await putIngest(ns, "fresh", { expiresAt: Date.now() + 60_000 });
    await putLease(ns, "l", { ingests: ["held"] });
    const held = await putIngest(ns, "held", { leaseId: "l" });
    await putIngest(ns, "stale", { expiresAt: Date.now() - 1 });
    await putIngest(ns, "orphaned", { leaseId: "deleted-lease" });
    const { run } = await collectNs(ns);
    expect(run).toMatchObject({ ingestsAborted: 2, complete: true });
    const refs = await env.DB.prepare("SELECT ref FROM ingests WHERE namespace = ? ORDER BY ref").bind(ns).all();
    expect(refs.results).toEqual([{ ref: "fresh" }, { ref: "held" }]);
    // The kept uploads still accept parts.
    for (const i of [fresh, held]) {
      const part = await env.BLOBS.resumeMultipartUpload(i.key, i.uploadId).uploadPart(1, "x".repeat(10));
      expect(part.etag).toBeTruthy();
    }
  });
});
