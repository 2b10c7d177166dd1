/** The typed client (`leasehold/client`) against the Worker, in workerd, every route family. */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createClient, isApiError, LeaseholdApiError } from "../src/client/index.ts";
import { ADMIN, freshNamespace, sha256 } from "./helpers";

const fetchWorker = (req: Request) => exports.default.fetch(req);
const lh = createClient({ url: "https://leasehold.test", token: ADMIN, fetch: fetchWorker });
const enc = (s: string) => new TextEncoder().encode(s);

/** randomBytes fills n bytes 64 KiB at a time (getRandomValues' limit). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

describe("client", () => {
  it("healthz: answers without a token", async () => {
    const anon = createClient({ url: "https://leasehold.test", fetch: fetchWorker });
    expect(await anon.healthz()).toMatchObject({ status: "ok" });
  });

  it("errors: carry the contract's code, status, message and request id", async () => {
    const err = await lh
      .namespace(freshNamespace())
      .leases.get("missing")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseholdApiError);
    const e = err as LeaseholdApiError;
    expect([e.code, e.status, e.message]).toEqual(["not_found", 404, 'lease "missing" not found']);
    expect(e.requestId).toMatch(/\S/);
    const anon = createClient({ url: "https://leasehold.test", fetch: fetchWorker });
    await expect(anon.tokens.list()).rejects.toMatchObject({ code: "unauthenticated", status: 401 });
  });

  it("leases: create, list with a filter, update, resources, delete", async () => {
    const ns = lh.namespace(freshNamespace());
    const lease = await ns.leases.create({ id: "build-1", ttl: 3600, labels: { team: "ci" } });
    expect(lease.expiresAt).not.toBeNull();
    await ns.leases.create({ id: "other" });
    expect((await ns.leases.list({ filter: "labels.team==ci" })).items.map((l) => l.id)).toEqual(["build-1"]);
    expect((await ns.leases.update("build-1", { labels: { team: null, stage: "test" } })).labels.stage).toBe("test");

    const digest = await sha256("held");
    await ns.leases.addResources("build-1", [{ type: "content", id: digest }]);
    expect((await ns.leases.listResources("build-1")).items).toEqual([{ type: "content", id: digest }]);
    await ns.leases.removeResource("build-1", { type: "content", id: digest });
    expect((await ns.leases.listResources("build-1")).items).toEqual([]);

    expect(await ns.leases.delete("build-1")).toBeNull();
    await expect(ns.leases.get("build-1")).rejects.toSatisfy((e) => isApiError(e, "not_found"));
  });

  it("content: push small, read whole, range, head, info, label, list, delete", async () => {
    const ns = lh.namespace(freshNamespace());
    const pushed = await ns.push(enc("hello, leasehold"), { labels: { kind: "greeting" } });
    expect(pushed).toMatchObject({ method: "put", size: 16, created: true, digest: await sha256("hello, leasehold") });
    expect(pushed.info.labels).toEqual({ kind: "greeting" });
    expect(new TextDecoder().decode(await ns.content.bytes(pushed.digest))).toBe("hello, leasehold");
    const part = await ns.content.get(pushed.digest, { range: { start: 7, end: 15 } });
    expect([part.status, await part.text()]).toEqual([206, "leasehold"]);
    expect(await ns.content.head(pushed.digest)).toEqual({ size: 16, etag: `"${pushed.digest}"` });
    expect((await ns.content.info(pushed.digest)).size).toBe(16);
    expect((await ns.content.label(pushed.digest, { kind: null, x: "y" })).labels).toEqual({ x: "y" });
    expect((await ns.content.list({ filter: "labels.x==y" })).items.map((i) => i.digest)).toEqual([pushed.digest]);
    expect((await ns.push(enc("hello, leasehold"))).created).toBe(false);
    await ns.content.delete(pushed.digest);
    expect(await ns.content.exists(pushed.digest)).toBe(false);
    await expect(ns.content.head(pushed.digest)).rejects.toMatchObject({ code: "not_found", status: 404 });
  });

  it("content: push of a stream below the threshold is one PUT", async () => {
    const ns = lh.namespace(freshNamespace());
    const stream = new Blob([enc("ab"), enc("cd")]).stream();
    expect(await ns.push(stream)).toMatchObject({ method: "put", size: 4, digest: await sha256("abcd") });
  });

  it("withLease: holds pushed content while fn runs, deletes the lease after, also on throw", async () => {
    const ns = lh.namespace(freshNamespace());
    let leaseId = "";
    const digest = await ns.withLease(async (lease) => {
      leaseId = lease.id;
      expect(Date.parse(lease.expiresAt ?? "") - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
      const { digest } = await ns.push(enc("leased"), { leaseId: lease.id });
      expect((await ns.explain("content", digest)).reason).toBe("lease");
      return digest;
    });
    expect(digest).toBe(await sha256("leased"));
    await expect(ns.leases.get(leaseId)).rejects.toMatchObject({ code: "not_found" });

    const failing = ns.withLease(async (lease) => {
      leaseId = lease.id;
      throw new Error("build failed");
    });
    await expect(failing).rejects.toThrow("build failed");
    await expect(ns.leases.get(leaseId)).rejects.toMatchObject({ code: "not_found" });
  });

  it("gc and tokens: run, runs, issue, list, revoke", async () => {
    const run = await lh.gc.run({ dryRun: true, namespace: freshNamespace() });
    expect(run.dryRun).toBe(true);
    expect((await lh.gc.runs({ limit: 5 })).length).toBeGreaterThan(0);
    const issued = await lh.tokens.create({ role: "read", namespaces: ["default"], description: "client test" });
    expect((await lh.tokens.list()).some((t) => t.id === issued.id)).toBe(true);
    const reader = createClient({ url: "https://leasehold.test", token: issued.token, fetch: fetchWorker });
    await expect(reader.namespace("default").leases.create()).rejects.toMatchObject({ code: "permission_denied" });
    await lh.tokens.revoke(issued.id);
    await expect(reader.namespace("default").leases.list()).rejects.toMatchObject({ code: "unauthenticated" });
  });
});

describe("client push through ingests", () => {
  const MiB = 1024 * 1024;

  it("push: above the threshold goes in parts and verifies the digest", async () => {
    const ns = lh.namespace(freshNamespace());
    const data = randomBytes(11 * MiB);
    const progress: number[] = [];
    const pushed = await ns.push(data, { threshold: MiB, partSize: 5 * MiB, onProgress: (d) => progress.push(d) });
    expect(pushed).toMatchObject({ method: "ingest", size: data.length, digest: await sha256(data), created: true });
    expect(progress).toEqual([0, 5 * MiB, 10 * MiB, 11 * MiB]);
    expect((await ns.content.head(pushed.digest)).size).toBe(data.length);
  });

  it("push: resumes an interrupted ingest from the service's offset", async () => {
    const ns = lh.namespace(freshNamespace());
    const data = randomBytes(7 * MiB);
    await ns.ingests.start({ ref: "resume-1", partSize: 5 * MiB });
    await ns.ingests.write("resume-1", 0, data.subarray(0, 5 * MiB));
    const progress: number[] = [];
    const pushed = await ns.push(data, { ref: "resume-1", threshold: MiB, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([5 * MiB, 7 * MiB]);
    expect(pushed.digest).toBe(await sha256(data));
    await expect(ns.ingests.status("resume-1")).rejects.toMatchObject({ code: "not_found" });
  });
});
