/**
 * Publishing: the D1 statements that make verified bytes visible under a digest.
 *
 * Blob first, row second. The bytes are written to R2 under a fresh key and verified before any
 * of these statements runs; only then does a `content` row point at the key. A Worker that dies in
 * between leaves an object no row points at: an orphan, unreachable by any read, which the
 * collector deletes once it is older than the orphan grace period. Keys are never reused, so a
 * queued or orphaned key can never be one a visible row points at.
 *
 * The statements go into one batch with whatever else the caller changes (lease resources, the
 * ingest row), so the blob becomes visible, referenced and leased in one step.
 */
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { gcDeletions } from "../gc/schema";
import { leaseResources } from "../leases/schema";
import type { Labels } from "../model/labels";
import { contentRefRows, rootOf } from "./refs";
import { content, contentRefs } from "./schema";

/** Publication describes verified bytes about to become a blob. */
export interface Publication {
  namespace: string;
  digest: string;
  size: number;
  /** R2 key holding the verified bytes. */
  objectKey: string;
  labels: Labels;
  at: number;
}

/** ours is true when the blob's row points at this publication's key (it won, or already did). */
const ours = (p: Publication): SQL =>
  sql`EXISTS (SELECT 1 FROM content WHERE namespace = ${p.namespace} AND digest = ${p.digest}
        AND object_key = ${p.objectKey})`;

/**
 * publishStatements returns, in batch order:
 * - `insert`: the content row, unless the digest is already visible (its row stays, as in containerd);
 * - `refs`: the reference rows of the new row's labels, only if the new row is ours;
 * - `orphan`: queues our key for deletion when another row won, so the bytes do not wait for the
 *   orphan sweep.
 * Everything lands only where `guard` holds (a live lease, a claimed ingest); when it fails, the
 * row is not written and `orphan` is not queued either: the caller decides what the bytes become.
 */
export function publishStatements(db: Db, p: Publication, guard: SQL = sql`1`) {
  const labels = JSON.stringify(p.labels);
  const refs = JSON.stringify(contentRefRows(p.namespace, p.digest, p.labels).map((r) => [r.label, r.target]));
  const insert = db
    .insert(content)
    .select(
      sql`SELECT ${p.namespace}, ${p.digest}, ${p.size}, ${p.objectKey}, ${labels}, ${rootOf(p.labels)}, ${p.at}, ${p.at}
          WHERE ${guard}`,
    )
    .onConflictDoNothing();
  const refRows = db
    .insert(contentRefs)
    .select(
      sql`SELECT ${p.namespace}, ${p.digest}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
          FROM json_each(${refs}) WHERE ${guard} AND ${ours(p)}`,
    )
    .onConflictDoNothing();
  // insert … select fills every column of gc_deletions in table order; a new entry has attempts 0, retry_at 0.
  const orphan = db
    .insert(gcDeletions)
    .select(
      sql`SELECT ${p.objectKey}, NULL, ${p.namespace}, ${p.size}, ${p.at}, 0, 0 WHERE ${guard} AND NOT ${ours(p)}`,
    )
    .onConflictDoNothing();
  return { insert, refs: refRows, orphan };
}

/**
 * handOffStatements move an ingest's place in every lease holding it to the committed digest
 * (containerd's commit: `ingests/<ref>` leaves the lease and `content/<digest>` enters it in the
 * same transaction). Only unexpired leases gain the digest; all lose the ingest.
 */
export function handOffStatements(db: Db, namespace: string, ref: string, digest: string, at: number, guard: SQL) {
  const add = db
    .insert(leaseResources)
    .select(
      sql`SELECT namespace, lease_id, 'content', ${digest} FROM lease_resources AS held
          WHERE namespace = ${namespace} AND type = 'ingests' AND resource_id = ${ref} AND ${guard}
            AND EXISTS (SELECT 1 FROM leases WHERE leases.namespace = held.namespace AND leases.id = held.lease_id
              AND (leases.expires_at IS NULL OR leases.expires_at >= ${at}))`,
    )
    .onConflictDoNothing();
  const remove = db
    .delete(leaseResources)
    .where(
      and(
        eq(leaseResources.namespace, namespace),
        eq(leaseResources.type, "ingests"),
        eq(leaseResources.resourceId, ref),
        guard,
      ),
    );
  return { add, remove };
}
