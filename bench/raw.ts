/**
 * Raw twins: the same storage work as each benchmarked API operation, done directly on the
 * bindings with the least code that does it. They are the baselines the API is measured against.
 */
import { newBlobKey } from "../src/content/keys";
import { LABEL_EXPIRE } from "../src/model/labels";

/** rawCreateLease inserts one lease row (what `POST …/leases` stores), from the same JSON body. */
export async function rawCreateLease(
  db: D1Database,
  ns: string,
  body: { id: string; labels: Record<string, string>; ttl: number },
) {
  const at = Date.now();
  const expiresAt = at + body.ttl * 1000;
  const labels = { ...body.labels, [LABEL_EXPIRE]: new Date(expiresAt).toISOString() };
  await db
    .prepare(
      `INSERT INTO leases (namespace, id, created_at, labels, expires_at, flat) VALUES (?1, ?2, ?3, ?4, ?5, 0)
       ON CONFLICT DO NOTHING`,
    )
    .bind(ns, body.id, at, JSON.stringify(labels), expiresAt)
    .run();
  return { id: body.id };
}

/** rawAddResources inserts a lease's resources in one statement (one JSON parameter). */
export async function rawAddResources(db: D1Database, ns: string, leaseId: string, body: { resources: unknown[] }) {
  await db
    .prepare(
      `INSERT OR IGNORE INTO lease_resources (namespace, lease_id, type, resource_id)
       SELECT ?1, ?2, value ->> '$.type', value ->> '$.id' FROM json_each(?3)`,
    )
    .bind(ns, leaseId, JSON.stringify(body.resources))
    .run();
}

/** rawLeasePage is one keyset page of leases whose label `team` equals `team`, filtered in SQL. */
export async function rawLeasePage(db: D1Database, ns: string, team: string, after: string, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT id, created_at, labels, expires_at FROM leases
       WHERE namespace = ?1 AND id > ?2 AND labels ->> '$.team' = ?3 ORDER BY id LIMIT ?4`,
    )
    .bind(ns, after, team, limit)
    .all<{ id: string }>();
  return { leases: results, next: results.length === limit ? (results.at(-1)?.id ?? null) : null };
}

/** rawPut stores the request body under a fresh key (R2 takes the length from Content-Length). */
export async function rawPut(bucket: R2Bucket, ns: string, body: ReadableStream | null) {
  const key = newBlobKey(ns);
  await bucket.put(key, body);
  return { key };
}

/** rawGet streams an object back. */
export async function rawGet(bucket: R2Bucket, key: string): Promise<Response> {
  const object = await bucket.get(key);
  if (!object) return new Response("missing", { status: 404 });
  // The same Content-Type as the API: without it the dev server may compress the stream.
  return new Response(object.body, {
    headers: { "Content-Length": String(object.size), "Content-Type": "application/octet-stream" },
  });
}

/** SCRATCH is the raw baseline's own work table (bench database only): the live set of one pass. */
const SCRATCH =
  "CREATE TABLE IF NOT EXISTS bench_live (namespace TEXT NOT NULL, digest TEXT NOT NULL, PRIMARY KEY (namespace, digest))";

/**
 * RAW_MARK fills bench_live with the live set: content held by a lease that survived the expiry
 * statements, gc.root content, and everything they reference, transitively.
 */
const RAW_MARK = `INSERT OR IGNORE INTO bench_live (namespace, digest)
  WITH RECURSIVE live(namespace, digest) AS (
    SELECT namespace, resource_id FROM lease_resources WHERE type = 'content'
    UNION SELECT namespace, digest FROM content WHERE root = 1
    UNION SELECT f.namespace, f.target FROM live AS x
      JOIN content_refs AS f ON f.namespace = x.namespace AND f.digest = x.digest)
  SELECT namespace, digest FROM live`;

const NOT_LIVE = (t: string) =>
  `NOT EXISTS (SELECT 1 FROM bench_live AS b WHERE b.namespace = ${t}.namespace AND b.digest = ${t}.digest)`;

/**
 * rawCollect is the baseline of a full collection: one batch expires leases, computes the live
 * set, deletes the dead rows (returning their keys) and empties the work table; then R2 deletes
 * those keys 1000 at a time. No lock, no run record, no deletion queue, no orphan listing.
 */
export async function rawCollect(db: D1Database, bucket: R2Bucket) {
  const at = Date.now();
  const results = await db.batch<{ object_key: string }>([
    db.prepare(SCRATCH),
    db
      .prepare(
        `DELETE FROM lease_resources WHERE (namespace, lease_id) IN
           (SELECT namespace, id FROM leases WHERE expires_at < ?1)`,
      )
      .bind(at),
    db.prepare("DELETE FROM leases WHERE expires_at < ?1").bind(at),
    db.prepare(RAW_MARK),
    db.prepare(`DELETE FROM content_refs WHERE ${NOT_LIVE("content_refs")}`),
    db.prepare(`DELETE FROM content WHERE ${NOT_LIVE("content")} RETURNING object_key`),
    db.prepare("DELETE FROM bench_live"),
  ]);
  const keys = (results[5]?.results ?? []).map((r) => r.object_key);
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
  return { contentDeleted: keys.length, objectsDeleted: keys.length };
}
