/// <reference types="vite/client" />
/**
 * End to end with a real OCI image layout (test/fixtures/oci-layout, built with umoci): push it the
 * way containerd imports an image (every blob under a lease, children before parents, manifests and
 * indexes labelled with `containerd.io/gc.ref.content.*` references), then check what the collector
 * keeps and removes. Nothing here hardcodes a digest: the graph is read from index.json.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { call, expectError, freshNamespace, json, sha256 } from "./helpers";

// The fixture's files reach workerd through Vite: `?url&inline` turns each file into a base64
// `data:` URL at transform time (no fs in workerd, no binding needed).
const files = import.meta.glob<string>("./fixtures/oci-layout/**/*", {
  query: "?url&inline",
  import: "default",
  eager: true,
});
const PREFIX = "./fixtures/oci-layout/";

function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(",");
  const meta = url.slice(0, comma);
  const data = url.slice(comma + 1);
  if (!meta.endsWith(";base64")) return new TextEncoder().encode(decodeURIComponent(data));
  return Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
}

function layoutFile(path: string): Uint8Array {
  const url = files[PREFIX + path];
  if (url === undefined) throw new Error(`fixture file ${path} missing`);
  return decodeDataUrl(url);
}

const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);
const MANIFEST_TYPES = new Set([
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
]);
const REF = "containerd.io/gc.ref.content";

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}
type Kind = "config" | "layer" | "manifest" | "index";
interface Blob {
  digest: string;
  bytes: Uint8Array;
  kind: Kind;
  /** The containerd reference labels this blob gets (config, l.<n>, m.<n>). */
  labels: Record<string, string>;
  /** 0 for configs and layers, 1 for manifests, more for indexes: push in ascending order. */
  height: number;
}

/**
 * readLayout walks the layout from index.json: every reachable blob once (digest and size checked
 * against its descriptor), index.json itself included as the top index, children before parents.
 */
async function readLayout(): Promise<{ top: Blob; blobs: Blob[] }> {
  expect(JSON.parse(new TextDecoder().decode(layoutFile("oci-layout")))).toEqual({ imageLayoutVersion: "1.0.0" });
  const blobs = new Map<string, Blob>();

  async function visit(desc: Descriptor): Promise<Blob> {
    const seen = blobs.get(desc.digest);
    if (seen) return seen;
    const bytes = layoutFile(`blobs/${desc.digest.replace(":", "/")}`);
    expect({ digest: await sha256(bytes), size: bytes.byteLength }).toEqual({ digest: desc.digest, size: desc.size });
    return node(desc.digest, bytes, desc.mediaType);
  }

  async function node(digest: string, bytes: Uint8Array, mediaType: string): Promise<Blob> {
    const blob: Blob = { digest, bytes, kind: "layer", labels: {}, height: 0 };
    if (MANIFEST_TYPES.has(mediaType)) {
      const doc = JSON.parse(new TextDecoder().decode(bytes)) as { config: Descriptor; layers: Descriptor[] };
      blob.kind = "manifest";
      blob.height = 1;
      blob.labels[`${REF}.config`] = (await visit(doc.config)).digest;
      for (const [i, layer] of doc.layers.entries()) blob.labels[`${REF}.l.${i}`] = (await visit(layer)).digest;
    } else if (INDEX_TYPES.has(mediaType)) {
      const doc = JSON.parse(new TextDecoder().decode(bytes)) as { manifests: Descriptor[] };
      blob.kind = "index";
      for (const [i, m] of doc.manifests.entries()) {
        const child = await visit(m);
        blob.labels[`${REF}.m.${i}`] = child.digest;
        blob.height = Math.max(blob.height, child.height + 1);
      }
    } else if (mediaType.includes("config")) {
      blob.kind = "config";
    }
    blobs.set(digest, blob);
    return blob;
  }

  const indexBytes = layoutFile("index.json");
  const top = await node(await sha256(indexBytes), indexBytes, "application/vnd.oci.image.index.v1+json");
  return { top, blobs: [...blobs.values()].sort((a, b) => a.height - b.height) };
}

const contentPath = (ns: string, digest: string) => `/v1/namespaces/${ns}/content/${digest}`;

async function createLease(ns: string, id: string, body: Record<string, unknown> = {}) {
  expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id, ttl: 3600, ...body } })).status).toBe(201);
}

/** push uploads every blob under `leaseId` (Lease-Id), then labels it with its references. */
async function push(ns: string, leaseId: string, blobs: Blob[]) {
  for (const blob of blobs) {
    const put = await json("PUT", contentPath(ns, blob.digest), {
      body: blob.bytes,
      headers: { "content-length": String(blob.bytes.byteLength), "Lease-Id": leaseId },
    });
    expect(put).toMatchObject({ status: 201, body: { digest: blob.digest, size: blob.bytes.byteLength } });
    if (Object.keys(blob.labels).length === 0) continue;
    const patch = await json("PATCH", contentPath(ns, blob.digest), { json: { labels: blob.labels } });
    expect(patch).toMatchObject({ status: 200, body: { labels: blob.labels } });
  }
}

const explain = (ns: string, digest: string) =>
  json<{ live: boolean; reason: string | null; path: { type: string; id: string }[] }>(
    "GET",
    `/v1/namespaces/${ns}/gc/explain?type=content&id=${encodeURIComponent(digest)}`,
  ).then((r) => r.body);

/** objectKeys maps each blob of the namespace to its R2 key, read from the content rows. */
async function objectKeys(ns: string): Promise<Map<string, string>> {
  const { results } = await env.DB.prepare("SELECT digest, object_key AS key FROM content WHERE namespace = ?")
    .bind(ns)
    .all<{ digest: string; key: string }>();
  return new Map(results.map((r) => [r.digest, r.key]));
}

const objectExists = async (key: string) => (await env.BLOBS.head(key)) !== null;

/** expectPresent reads a blob back whole and checks its bytes hash to its digest. */
async function expectPresent(ns: string, blob: Blob) {
  const res = await call("GET", contentPath(ns, blob.digest));
  expect({ digest: blob.digest, status: res.status }).toEqual({ digest: blob.digest, status: 200 });
  expect(await sha256(new Uint8Array(await res.arrayBuffer()))).toBe(blob.digest);
}

async function expectGone(ns: string, blob: Blob, keys: Map<string, string>) {
  await expectError(await call("GET", contentPath(ns, blob.digest)), 404, "not_found");
  expect((await call("HEAD", contentPath(ns, blob.digest))).status).toBe(404);
  expect(await objectExists(keys.get(blob.digest) ?? "")).toBe(false);
}

/** tick runs the cron handler once, as the scheduler would. */
async function tick() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController(), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function syncDelete(ns: string, lease: string) {
  const res = await json<{ gc: { complete: boolean; contentDeleted: number } }>(
    "DELETE",
    `/v1/namespaces/${ns}/leases/${lease}?sync=true`,
  );
  expect(res.status).toBe(200);
  expect(res.body.gc.complete).toBe(true);
  return res.body.gc;
}

describe("OCI image layout pushed like containerd", () => {
  it("oci: the fixture is a real layout: an index of 2 manifests, 2 configs, 3 layers, pushed children first", async () => {
    const { top, blobs } = await readLayout();
    const kinds = blobs.map((b) => b.kind);
    expect(kinds.filter((k) => k === "layer")).toHaveLength(3);
    expect(kinds.filter((k) => k === "config")).toHaveLength(2);
    expect(kinds.filter((k) => k === "manifest")).toHaveLength(2);
    expect(blobs.at(-1)).toBe(top);
    expect(Object.keys(top.labels)).toEqual([`${REF}.m.0`, `${REF}.m.1`]);
    // Every parent comes after all its children.
    const at = new Map(blobs.map((b, i) => [b.digest, i]));
    for (const [i, b] of blobs.entries()) {
      for (const child of Object.values(b.labels)) expect(at.get(child)).toBeLessThan(i);
    }
  });

  it("oci: pushed under a lease with ref labels; the collector keeps it all; a sync delete collects it all", async () => {
    const ns = freshNamespace("oci");
    const { top, blobs } = await readLayout();
    await createLease(ns, "push");
    await push(ns, "push", blobs);

    // The lease holds every blob; the labels (and so the references) are recorded.
    const held = await json<{ resources: { type: string; id: string }[] }>(
      "GET",
      `/v1/namespaces/${ns}/leases/push/resources?limit=1000`,
    );
    expect(held.body.resources.map((r) => r.id).sort()).toEqual(blobs.map((b) => b.digest).sort());
    for (const blob of blobs) {
      const info = await json("GET", `${contentPath(ns, blob.digest)}/info`);
      expect(info.body).toMatchObject({ digest: blob.digest, size: blob.bytes.byteLength, labels: blob.labels });
    }
    const manifest = blobs.find((b) => b.kind === "manifest");
    expect(Object.keys(manifest?.labels ?? {})).toEqual([`${REF}.config`, `${REF}.l.0`, `${REF}.l.1`]);
    const layer = blobs.find((b) => b.kind === "layer") as Blob;
    expect(await explain(ns, layer.digest)).toEqual({
      type: "content",
      id: layer.digest,
      live: true,
      reason: "lease",
      path: [
        { type: "lease", id: "push" },
        { type: "content", id: layer.digest },
      ],
    });

    // The cron collector runs while the lease exists: nothing of the image goes.
    const keys = await objectKeys(ns);
    expect(keys.size).toBe(blobs.length);
    await tick();
    for (const blob of blobs) await expectPresent(ns, blob);
    for (const key of keys.values()) expect(await objectExists(key)).toBe(true);
    expect((await explain(ns, top.digest)).reason).toBe("lease");

    // Releasing the lease releases the whole image: rows and R2 objects.
    expect((await syncDelete(ns, "push")).contentDeleted).toBeGreaterThanOrEqual(blobs.length);
    for (const blob of blobs) await expectGone(ns, blob, keys);
    expect((await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects).toEqual([]);
    expect(await objectKeys(ns)).toEqual(new Map());
  });

  it("oci: a lease holding only the index keeps the whole image through the manifests' references", async () => {
    const ns = freshNamespace("oci");
    const { top, blobs } = await readLayout();
    // Lease the index's digest before it exists (containerd's image hold), and push under another.
    await createLease(ns, "image");
    const add = await call("POST", `/v1/namespaces/${ns}/leases/image/resources`, {
      json: { type: "content", id: top.digest },
    });
    expect(add.status).toBe(204);
    await createLease(ns, "push");
    await push(ns, "push", blobs);
    const keys = await objectKeys(ns);

    // The push lease goes; references from the index keep everything.
    await syncDelete(ns, "push");
    for (const blob of blobs) await expectPresent(ns, blob);
    for (const key of keys.values()) expect(await objectExists(key)).toBe(true);

    // A layer only v2 has: live by reference, through the index and v2's manifest.
    const manifests = blobs.filter((b) => b.kind === "manifest");
    const parentsOf = (digest: string) => manifests.filter((m) => Object.values(m.labels).includes(digest));
    const own = blobs.find((b) => b.kind === "layer" && parentsOf(b.digest).length === 1) as Blob;
    const ownManifest = parentsOf(own.digest)[0] as Blob;
    expect(await explain(ns, own.digest)).toEqual({
      type: "content",
      id: own.digest,
      live: true,
      reason: "reference",
      path: [
        { type: "lease", id: "image" },
        { type: "content", id: top.digest },
        { type: "content", id: ownManifest.digest },
        { type: "content", id: own.digest },
      ],
    });
    // Every config and layer, shared or not, is reached through one of its manifests.
    for (const blob of blobs.filter((b) => b.kind === "layer" || b.kind === "config")) {
      const why = await explain(ns, blob.digest);
      expect(why).toMatchObject({ live: true, reason: "reference" });
      expect(why.path).toHaveLength(4);
      expect(parentsOf(blob.digest).map((m) => m.digest)).toContain(why.path[2]?.id);
    }
    for (const m of manifests) {
      expect((await explain(ns, m.digest)).path).toEqual([
        { type: "lease", id: "image" },
        { type: "content", id: top.digest },
        { type: "content", id: m.digest },
      ]);
    }

    await syncDelete(ns, "image");
    for (const blob of blobs) await expectGone(ns, blob, keys);
    expect((await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects).toEqual([]);
  });

  it("oci: a flat lease holding only the index keeps the index alone; manifests, configs and layers are collected", async () => {
    const ns = freshNamespace("oci");
    const { top, blobs } = await readLayout();
    await createLease(ns, "flat", { labels: { "containerd.io/gc.flat": "true" } });
    expect(
      (await call("POST", `/v1/namespaces/${ns}/leases/flat/resources`, { json: { type: "content", id: top.digest } }))
        .status,
    ).toBe(204);
    await createLease(ns, "push");
    await push(ns, "push", blobs);
    const keys = await objectKeys(ns);

    await syncDelete(ns, "push");
    await expectPresent(ns, top);
    expect(await objectExists(keys.get(top.digest) ?? "")).toBe(true);
    expect(await explain(ns, top.digest)).toMatchObject({
      live: true,
      reason: "lease",
      path: [
        { type: "lease", id: "flat" },
        { type: "content", id: top.digest },
      ],
    });
    // The index still names its manifests, but a flat lease does not follow references.
    expect((await json("GET", `${contentPath(ns, top.digest)}/info`)).body).toMatchObject({ labels: top.labels });
    const below = blobs.filter((b) => b !== top);
    expect(below).toHaveLength(7);
    for (const blob of below) {
      await expectGone(ns, blob, keys);
      expect(await explain(ns, blob.digest)).toMatchObject({ live: false, reason: null, path: [] });
    }

    await syncDelete(ns, "flat");
    await expectGone(ns, top, keys);
  });
});
