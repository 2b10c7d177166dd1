/**
 * Bulk seeds for the bench, written straight into D1 and R2 in the shape the content store and
 * the lease manager write (blob first, row second; `content_refs` from the labels; lease expiry
 * mirrored from the `gc.expire` label). Lists travel as one JSON parameter read with json_each,
 * so no statement binds more than a handful of parameters.
 */
import { toHex } from "../src/content/hash";
import { newBlobKey } from "../src/content/keys";
import { contentRefRows, rootOf } from "../src/content/refs";
import { LABEL_EXPIRE, type Labels } from "../src/model/labels";

/** CHAIN is the length of a reference chain: blob i references blob i+1 inside one chain. */
export const CHAIN = 10;
/** CHAINS_PER_LEASE chains hang from one lease (it holds their heads): 100 blobs a lease. */
export const CHAINS_PER_LEASE = 10;
/** BLOBS_PER_LEASE is the seed's unit: a GC seed chunk is a whole number of leases. */
export const BLOBS_PER_LEASE = CHAIN * CHAINS_PER_LEASE;
/** One lease in LIVE_EVERY is unexpired; the others expired an hour ago, so a tenth is live. */
export const LIVE_EVERY = 10;

/** ROWS_PER_STATEMENT bounds the JSON parameter of one bulk insert (a few hundred KB). */
const ROWS_PER_STATEMENT = 1000;
/** R2_PARALLEL is how many R2 puts the seed keeps in flight. */
const R2_PARALLEL = 32;

const sha256 = async (bytes: Uint8Array) => `sha256:${toHex(await crypto.subtle.digest("SHA-256", bytes))}`;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** putObjects writes small objects with bounded concurrency. */
async function putObjects(bucket: R2Bucket, objects: { key: string; bytes: Uint8Array }[]) {
  for (const group of chunks(objects, R2_PARALLEL)) await Promise.all(group.map((o) => bucket.put(o.key, o.bytes)));
}

const CONTENT_INSERT = `INSERT INTO content (namespace, digest, size, object_key, labels, root, created_at, updated_at)
  SELECT ?1, value ->> '$[0]', value ->> '$[1]', value ->> '$[2]', value ->> '$[3]', value ->> '$[4]', ?2, ?2
  FROM json_each(?3)`;
const REFS_INSERT = `INSERT INTO content_refs (namespace, digest, label, target)
  SELECT ?1, value ->> '$[0]', value ->> '$[1]', value ->> '$[2]' FROM json_each(?2)`;
const LEASES_INSERT = `INSERT INTO leases (namespace, id, created_at, labels, expires_at, flat)
  SELECT ?1, value ->> '$[0]', ?2, value ->> '$[1]', value ->> '$[2]', 0 FROM json_each(?3)`;
const RESOURCES_INSERT = `INSERT INTO lease_resources (namespace, lease_id, type, resource_id)
  SELECT ?1, value ->> '$[0]', 'content', value ->> '$[1]' FROM json_each(?2)`;

/**
 * seedGc writes leases [firstLease, firstLease + leases) of a collection data set in `ns`: each
 * lease holds the heads of CHAINS_PER_LEASE chains of CHAIN blobs; one lease in LIVE_EVERY is
 * unexpired. Blobs are small, distinct, real objects under fresh keys with their true digests.
 */
export async function seedGc(db: D1Database, bucket: R2Bucket, ns: string, firstLease: number, leases: number) {
  const at = Date.now();
  const blobs: { digest: string; key: string; bytes: Uint8Array; labels: Labels }[] = [];
  const leaseRows: [string, string, number][] = [];
  const held: [string, string][] = [];
  const encoder = new TextEncoder();

  for (let l = firstLease; l < firstLease + leases; l++) {
    const live = l % LIVE_EVERY === 0;
    const expiresAt = live ? at + 86_400_000 : at - 3_600_000;
    const leaseId = `lease-${l}`;
    leaseRows.push([leaseId, JSON.stringify({ [LABEL_EXPIRE]: new Date(expiresAt).toISOString() }), expiresAt]);
    for (let c = 0; c < CHAINS_PER_LEASE; c++) {
      const chain: Uint8Array[] = [];
      for (let p = 0; p < CHAIN; p++) chain.push(encoder.encode(`leasehold bench ${ns} ${l} ${c} ${p}`));
      const digests = await Promise.all(chain.map(sha256));
      held.push([leaseId, digests[0] ?? ""]);
      chain.forEach((bytes, p) => {
        const next = digests[p + 1];
        const labels: Labels = next === undefined ? {} : { "containerd.io/gc.ref.content.0": next };
        blobs.push({ digest: digests[p] ?? "", key: newBlobKey(ns), bytes, labels });
      });
    }
  }

  // Blob first, row second, as the content store writes.
  await putObjects(bucket, blobs);
  const contentRows = blobs.map((b) => [
    b.digest,
    b.bytes.byteLength,
    b.key,
    JSON.stringify(b.labels),
    rootOf(b.labels),
  ]);
  const refRows = blobs.flatMap((b) =>
    contentRefRows(ns, b.digest, b.labels).map((r) => [r.digest, r.label, r.target]),
  );
  const statements = [
    ...chunks(contentRows, ROWS_PER_STATEMENT).map((c) => db.prepare(CONTENT_INSERT).bind(ns, at, JSON.stringify(c))),
    ...chunks(refRows, ROWS_PER_STATEMENT).map((c) => db.prepare(REFS_INSERT).bind(ns, JSON.stringify(c))),
    ...chunks(leaseRows, ROWS_PER_STATEMENT).map((c) => db.prepare(LEASES_INSERT).bind(ns, at, JSON.stringify(c))),
    ...chunks(held, ROWS_PER_STATEMENT).map((c) => db.prepare(RESOURCES_INSERT).bind(ns, JSON.stringify(c))),
  ];
  const results = await db.batch(statements);
  // D1's size of the whole database file after the batch, in bytes (meta.size_after).
  return { blobs: blobs.length, leases: leaseRows.length, sizeAfter: results.at(-1)?.meta.size_after ?? 0 };
}

/** seedLeases writes `n` never-expiring leases `lease-00000`…; label `team` cycles over TEAMS. */
export const TEAMS = ["ci", "web", "data", "ops"] as const;

export async function seedLeases(db: D1Database, ns: string, n: number) {
  const at = Date.now();
  const rows = Array.from({ length: n }, (_, i) => [
    `lease-${String(i).padStart(5, "0")}`,
    JSON.stringify({ team: TEAMS[i % TEAMS.length], app: "bench" }),
    null,
  ]);
  await db.batch(
    chunks(rows, ROWS_PER_STATEMENT).map((c) => db.prepare(LEASES_INSERT).bind(ns, at, JSON.stringify(c))),
  );
  return { leases: n };
}

/** WIPE_TABLES are emptied between collection samples (tokens are left alone). */
const WIPE_TABLES = ["lease_resources", "leases", "content_refs", "content", "ingests", "gc_deletions", "gc_marks"];

/** wipe empties the data tables and deletes every object in the bucket. */
export async function wipe(db: D1Database, bucket: R2Bucket) {
  await db.batch([
    ...WIPE_TABLES.map((t) => db.prepare(`DELETE FROM ${t}`)),
    db.prepare("DELETE FROM gc_state"),
    db.prepare("DELETE FROM gc_lock"),
  ]);
  let objects = 0;
  for (;;) {
    const page = await bucket.list({ limit: 1000 });
    if (page.objects.length === 0) break;
    await bucket.delete(page.objects.map((o) => o.key));
    objects += page.objects.length;
    if (!page.truncated) break;
  }
  return { objects };
}
