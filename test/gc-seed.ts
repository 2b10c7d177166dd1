/**
 * Seeds for the collector's tests: content, leases and ingests written straight into D1 and R2,
 * the way the content store writes them (R2 first, then the row), so the collector is tested
 * without depending on the content routes.
 */
import { env } from "cloudflare:workers";
import { newBlobKey, newIngestKey } from "../src/content/keys";
import { DEFAULT_LIMITS } from "../src/gc/budget";
import { type CollectOptions, type CollectorDeps, collect } from "../src/gc/collector";
import { isContentReference } from "../src/model/labels";
import { sha256 } from "./helpers";

/**
 * TEST_LIMITS: the default statement and R2 budgets, with time to spare. Tests assert counts, and
 * a loaded machine must not turn them into an incomplete run; budget tests pass their own limits.
 */
export const TEST_LIMITS = { ...DEFAULT_LIMITS, timeMs: 10 * 60_000 };

/** deps are the collector's dependencies on the test bindings; pass a wrapped bucket to count. */
export const deps = (over: Partial<CollectorDeps> = {}): CollectorDeps => ({
  db: env.DB,
  bucket: env.BLOBS,
  orphanGraceMs: 3_600_000,
  limits: TEST_LIMITS,
  ...over,
});

/** collectNs runs a manual collection of one namespace. */
export const collectNs = (
  namespace: string,
  options: Partial<CollectOptions> = {},
  over: Partial<CollectorDeps> = {},
) => collect(deps(over), { trigger: "manual", namespace, ...options });

/** putBlob stores a blob and its row; labels may carry gc.root and gc.ref.content* labels. */
export async function putBlob(ns: string, data: string, labels: Record<string, string> = {}) {
  const digest = await sha256(data);
  const key = newBlobKey(ns);
  await env.BLOBS.put(key, data);
  const at = Date.now();
  const refs = Object.entries(labels).filter(([k]) => isContentReference(k));
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO content (namespace, digest, size, object_key, labels, root, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).bind(ns, digest, data.length, key, JSON.stringify(labels), labels["containerd.io/gc.root"] ? 1 : 0, at, at),
    ...refs.map(([label, target]) =>
      env.DB.prepare("INSERT INTO content_refs (namespace, digest, label, target) VALUES (?, ?, ?, ?)").bind(
        ns,
        digest,
        label,
        target,
      ),
    ),
  ]);
  return { digest, key };
}

/** putLease writes a lease row holding the given resources. */
export async function putLease(
  ns: string,
  id: string,
  options: { expiresAt?: number | null; flat?: boolean; content?: string[]; ingests?: string[] } = {},
) {
  const resources = [
    ...(options.content ?? []).map((d) => ["content", d]),
    ...(options.ingests ?? []).map((r) => ["ingests", r]),
  ];
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO leases (namespace, id, created_at, labels, expires_at, flat) VALUES (?, ?, ?, '{}', ?, ?)",
    ).bind(ns, id, Date.now(), options.expiresAt ?? null, options.flat ? 1 : 0),
    env.DB.prepare(
      `INSERT INTO lease_resources (namespace, lease_id, type, resource_id)
       SELECT ?, ?, json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)`,
    ).bind(ns, id, JSON.stringify(resources)),
  ]);
}

/** putIngest starts a multipart upload and its ingest row; `expiresAt` null means leased. */
export async function putIngest(
  ns: string,
  ref: string,
  options: { leaseId?: string; expiresAt?: number | null } = {},
) {
  const key = newIngestKey(ns);
  const upload = await env.BLOBS.createMultipartUpload(key);
  const at = Date.now();
  await env.DB.prepare(
    `INSERT INTO ingests (namespace, ref, object_key, upload_id, part_size, lease_id, started_at, updated_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(ns, ref, key, upload.uploadId, 5 * 1024 * 1024, options.leaseId ?? null, at, at, options.expiresAt ?? null)
    .run();
  return { key, uploadId: upload.uploadId };
}

/** blobState tells whether a blob's row and its R2 object exist. */
export async function blobState(ns: string, digest: string) {
  const row = await env.DB.prepare("SELECT object_key AS key FROM content WHERE namespace = ? AND digest = ?")
    .bind(ns, digest)
    .first<{ key: string }>();
  const object = row ? (await env.BLOBS.head(row.key)) !== null : false;
  return { row: row !== null, object };
}

/** objectExists tells whether an R2 key exists. */
export const objectExists = async (key: string) => (await env.BLOBS.head(key)) !== null;

/** leaseExists tells whether a lease row exists. */
export const leaseExists = async (ns: string, id: string) =>
  (await env.DB.prepare("SELECT 1 FROM leases WHERE namespace = ? AND id = ?").bind(ns, id).first()) !== null;

/** ref is the label of the n-th content reference. */
export const ref = (n: number | string) => `containerd.io/gc.ref.content.${n}`;

/** ROOT labels a blob gc.root. */
export const ROOT = { "containerd.io/gc.root": "2026-12-03T18:00:00Z" };

/** putBlobs stores `n` small blobs (R2 objects and rows) quickly; `labels(i)` may add references. */
export async function putBlobs(ns: string, n: number, options: { objects?: boolean } = {}) {
  const rows: { digest: string; key: string; size: number }[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({ digest: `sha256:${i.toString(16).padStart(64, "0")}`, key: newBlobKey(ns), size: 3 });
  }
  if (options.objects !== false) {
    for (let i = 0; i < n; i += 100) await Promise.all(rows.slice(i, i + 100).map((r) => env.BLOBS.put(r.key, "abc")));
  }
  const at = Date.now();
  for (let i = 0; i < n; i += 2000) {
    await env.DB.prepare(
      `INSERT INTO content (namespace, digest, size, object_key, labels, root, created_at, updated_at)
       SELECT ?1, json_extract(value, '$.digest'), json_extract(value, '$.size'), json_extract(value, '$.key'), '{}', 0, ?2, ?2
       FROM json_each(?3)`,
    )
      .bind(ns, at, JSON.stringify(rows.slice(i, i + 2000)))
      .run();
  }
  return rows;
}

/** chain adds a reference from each digest to the next (one content_refs row each). */
export async function chain(ns: string, digests: string[]) {
  const edges = digests.slice(1).map((target, i) => [digests[i], target]);
  for (let i = 0; i < edges.length; i += 2000) {
    await env.DB.prepare(
      `INSERT INTO content_refs (namespace, digest, label, target)
       SELECT ?1, json_extract(value, '$[0]'), 'containerd.io/gc.ref.content.0', json_extract(value, '$[1]')
       FROM json_each(?2)`,
    )
      .bind(ns, JSON.stringify(edges.slice(i, i + 2000)))
      .run();
  }
}

/** Calls records what went through a `countingBucket`. */
export interface Calls {
  /** Keys given to each `delete` call, in order. */
  deletes: number[];
  lists: number;
  aborts: number;
}

/**
 * countingBucket wraps the R2 binding and records every call (not a mock: calls go to R2).
 * `failDelete(n)` makes the n-th delete call (1-based) throw before it reaches R2.
 */
export function countingBucket(failDelete: (n: number) => boolean = () => false) {
  const calls: Calls = { deletes: [], lists: 0, aborts: 0 };
  const inner = env.BLOBS;
  const bucket = new Proxy(inner, {
    get(target, prop) {
      if (prop === "delete") {
        return async (keys: string | string[]) => {
          calls.deletes.push(Array.isArray(keys) ? keys.length : 1);
          if (failDelete(calls.deletes.length)) throw new Error("injected R2 failure");
          return target.delete(keys);
        };
      }
      if (prop === "list") {
        return (options?: R2ListOptions) => {
          calls.lists += 1;
          return target.list(options);
        };
      }
      if (prop === "resumeMultipartUpload") {
        return (key: string, uploadId: string) => {
          const upload = target.resumeMultipartUpload(key, uploadId);
          return new Proxy(upload, {
            get(u, p) {
              if (p === "abort") {
                return () => {
                  calls.aborts += 1;
                  return u.abort();
                };
              }
              const v = Reflect.get(u, p);
              return typeof v === "function" ? v.bind(u) : v;
            },
          });
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { bucket, calls };
}

/** queued counts a namespace's pending R2 deletions. */
export const queuedCount = async (ns: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM gc_deletions WHERE namespace = ?").bind(ns).first<{ n: number }>())
    ?.n ?? 0;
