#!/usr/bin/env node
// Push an OCI image layout (https://github.com/opencontainers/image-spec/blob/main/image-layout.md)
// into Leasehold the way containerd imports one: every blob is uploaded under one lease, children
// before parents, and each manifest and index is labelled with `containerd.io/gc.ref.content.*`
// references to what it points at, so the collector can follow them. With `--collect` it then
// deletes the lease, runs the collector and checks that every blob is gone.
//
//   node examples/push-oci-layout.mjs [layout-dir] [--url URL] [--token TOKEN] [--namespace NS]
//                                     [--lease ID] [--ttl SECONDS] [--collect]
//
// URL and TOKEN default to $LEASEHOLD_URL / $LEASEHOLD_TOKEN, then http://localhost:8787 and
// dev-admin-token (`npm run dev`). The layout defaults to test/fixtures/oci-layout. It uses the
// project's typed client (src/client, TypeScript), so it runs on Node 22.18 or newer: `npx node`
// inside the repository picks the project's Node.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(`this example needs Node.js 22.18 or newer (this is ${process.version}); run it with \`npx node\`.`);
  process.exit(1);
}
// The client is TypeScript; Node 22.18+ strips the types on import (no build step).
const { createClient, isApiError } = await import("../src/client/index.ts");

const INDEX_TYPES = new Set([
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
]);
const MANIFEST_TYPES = new Set([
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
]);
const REF = "containerd.io/gc.ref.content";

const here = fileURLToPath(new URL(".", import.meta.url));
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string", default: process.env.LEASEHOLD_URL ?? "http://localhost:8787" },
    token: { type: "string", default: process.env.LEASEHOLD_TOKEN ?? "dev-admin-token" },
    namespace: { type: "string", default: "default" },
    lease: { type: "string" },
    ttl: { type: "string", default: "3600" },
    collect: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(
    "usage: node examples/push-oci-layout.mjs [layout-dir] [--url URL] [--token TOKEN] [--namespace NS] [--lease ID] [--ttl SECONDS] [--collect]",
  );
  process.exit(0);
}

const layoutDir = resolve(positionals[0] ?? join(here, "../test/fixtures/oci-layout"));
const short = (digest) => `${digest.slice(0, 19)}…`;
const log = (step, message) => console.log(`${step.padEnd(8)} ${message}`);

/**
 * readLayout walks the layout from index.json and returns every reachable blob once, with the
 * reference labels containerd would give it, ordered children before parents: configs and layers,
 * then manifests, then indexes, then index.json itself. Manifests and indexes are read (and their
 * digests checked) here; configs and layers are streamed from their files at push time, and the
 * client's digest of them is checked against the descriptor then.
 */
async function readLayout(dir) {
  const layout = JSON.parse(await readFile(join(dir, "oci-layout"), "utf8"));
  if (layout.imageLayoutVersion !== "1.0.0") throw new Error(`${dir}: unsupported imageLayoutVersion`);
  const blobs = new Map(); // digest -> { digest, size, source, kind, labels, height }

  async function visit(desc) {
    const seen = blobs.get(desc.digest);
    if (seen) return seen;
    const [alg, hex] = desc.digest.split(":");
    const path = join(dir, "blobs", alg, hex);
    const size = (await stat(path)).size;
    if (size !== desc.size)
      throw new Error(`blob ${desc.digest}: file has ${size} bytes, descriptor says ${desc.size}`);
    if (!INDEX_TYPES.has(desc.mediaType) && !MANIFEST_TYPES.has(desc.mediaType)) {
      const kind = desc.mediaType?.includes("config") ? "config" : "layer";
      return add({ digest: desc.digest, size, source: path, kind, labels: {}, height: 0 });
    }
    const bytes = await readFile(path);
    const actual = `${alg}:${createHash(alg).update(bytes).digest("hex")}`;
    if (actual !== desc.digest) throw new Error(`blob ${desc.digest}: content hashes to ${actual}`);
    return document(desc.digest, bytes, desc.mediaType);
  }

  /** document labels a manifest or an index with references to its children, visiting them first. */
  async function document(digest, bytes, mediaType) {
    const doc = JSON.parse(new TextDecoder().decode(bytes));
    const entry = { digest, size: bytes.byteLength, source: bytes, kind: "manifest", labels: {}, height: 1 };
    if (MANIFEST_TYPES.has(mediaType)) {
      entry.labels[`${REF}.config`] = (await visit(doc.config)).digest;
      for (const [i, layer] of doc.layers.entries()) entry.labels[`${REF}.l.${i}`] = (await visit(layer)).digest;
    } else {
      entry.kind = "index";
      for (const [i, m] of doc.manifests.entries()) {
        const child = await visit(m);
        entry.labels[`${REF}.m.${i}`] = child.digest;
        entry.height = Math.max(entry.height, child.height + 1);
      }
    }
    return add(entry);
  }

  function add(entry) {
    blobs.set(entry.digest, entry);
    return entry;
  }

  // index.json is not under blobs/, but containerd's importer stores it as a blob too: it is what
  // holds the image's manifests together.
  const indexBytes = await readFile(join(dir, "index.json"));
  const indexDigest = `sha256:${createHash("sha256").update(indexBytes).digest("hex")}`;
  const top = await document(indexDigest, indexBytes, "application/vnd.oci.image.index.v1+json");
  top.kind = "index.json";
  const ordered = [...blobs.values()].sort((a, b) => a.height - b.height);
  return { top, blobs: ordered };
}

async function main() {
  const started = Date.now();
  const plan = await readLayout(layoutDir);
  const counts = {};
  for (const b of plan.blobs) counts[b.kind] = (counts[b.kind] ?? 0) + 1;
  const total = plan.blobs.reduce((n, b) => n + b.size, 0);
  log(
    "layout",
    `${relative(process.cwd(), layoutDir) || "."}: ${Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(", ")} (${plan.blobs.length} blobs, ${total} bytes)`,
  );

  const lh = createClient({ url: values.url, token: values.token });
  const ns = lh.namespace(values.namespace);
  log("server", `${values.url} ${JSON.stringify(await lh.healthz())}, namespace ${values.namespace}`);

  const lease = await ns.leases.create({
    id: values.lease ?? `oci-push-${Date.now().toString(36)}`,
    ttl: Number(values.ttl),
    labels: { "leasehold.example/tool": "push-oci-layout" },
  });
  log("lease", `created ${lease.id} (expires ${lease.expiresAt})`);

  for (const blob of plan.blobs) {
    const labels = Object.keys(blob.labels).length > 0 ? blob.labels : undefined;
    const res = await ns.push(blob.source, { leaseId: lease.id, labels });
    if (res.digest !== blob.digest)
      throw new Error(`${blob.kind} ${blob.digest}: the file hashes to ${res.digest} (pushed under that digest)`);
    const refs = labels
      ? `  refs ${Object.keys(labels)
          .map((k) => k.slice(REF.length + 1))
          .join(" ")}`
      : "";
    log(
      "push",
      `${blob.kind.padEnd(10)} ${short(blob.digest)} ${String(blob.size).padStart(5)} B  ${res.created ? "created" : "present"} (${res.method})${refs}`,
    );
  }

  const held = await ns.leases.listResources(lease.id, { type: "content", limit: 1000 });
  log("lease", `${lease.id} holds ${held.items.length} content resources`);
  const layer = plan.blobs.find((b) => b.kind === "layer");
  if (layer) {
    const why = await ns.explain("content", layer.digest);
    log(
      "explain",
      `layer ${short(layer.digest)}: live=${why.live} reason=${why.reason} path ${why.path.map((p) => (p.type === "lease" ? `lease:${p.id}` : short(p.id))).join(" -> ")}`,
    );
  }

  if (!values.collect) {
    log("done", `pushed ${plan.blobs.length} blobs in ${Date.now() - started} ms; image index ${plan.top.digest}`);
    log("", `the lease expires at ${lease.expiresAt}; rerun with --collect to delete it and collect`);
    return;
  }

  /** collect runs the collector until a run completes: POST /v1/gc, or the dev cron endpoint without admin. */
  async function collect(label) {
    for (let attempt = 1; attempt <= 10; attempt++) {
      try {
        const run = await lh.gc.run({ namespace: values.namespace });
        log(
          "gc",
          `${label}: run ${run.id} (${run.trigger}) leasesExpired=${run.leasesExpired} contentDeleted=${run.contentDeleted} objectsDeleted=${run.objectsDeleted} bytesFreed=${run.bytesFreed} complete=${run.complete}`,
        );
        if (run.complete) return;
      } catch (err) {
        if (!isApiError(err, "permission_denied")) throw err;
        // Not an admin token: fire the dev server's cron trigger (`wrangler dev --test-scheduled`).
        const res = await fetch(
          `${values.url.replace(/\/+$/, "")}/__scheduled?cron=${encodeURIComponent("*/5 * * * *")}`,
        );
        log("gc", `${label}: GET /__scheduled -> ${res.status}`);
        return;
      }
    }
  }

  async function present() {
    const found = [];
    for (const b of plan.blobs) if (await ns.content.exists(b.digest)) found.push(b);
    return found;
  }

  await collect("while leased");
  const kept = await present();
  log("check", `${kept.length}/${plan.blobs.length} blobs present while the lease holds them`);

  await ns.leases.delete(lease.id);
  log("lease", `deleted ${lease.id}`);
  await collect("after delete");

  let left = 0;
  for (const b of plan.blobs) {
    try {
      await ns.content.head(b.digest);
      left++;
      log("KEPT", `${b.kind.padEnd(10)} ${b.digest} is still there`);
    } catch (err) {
      if (!isApiError(err, "not_found")) throw err;
      log("gone", `${b.kind.padEnd(10)} ${short(b.digest)} HEAD -> ${err.status} ${err.code}`);
    }
  }
  if (left > 0 || kept.length !== plan.blobs.length) {
    log("FAILED", `${kept.length}/${plan.blobs.length} survived while leased, ${left} left after the collection`);
    process.exit(1);
  }
  log("done", `all ${plan.blobs.length} blobs pushed, kept while leased, and collected (${Date.now() - started} ms)`);
}

try {
  await main();
} catch (err) {
  const api = isApiError(err) ? ` (${err.status} ${err.code}, request ${err.requestId})` : "";
  const cause = err.cause ? `: ${err.cause.code ?? err.cause.message}` : "";
  console.error(`error    ${err.message}${cause}${api}`);
  process.exit(1);
}
