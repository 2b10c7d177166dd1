/**
 * Ingests: resumable uploads, each an R2 multipart upload with fixed-size parts. This file starts,
 * reads, lists and aborts them; `ingest-write.ts` takes parts and `commit.ts` finishes them.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { scanPage } from "../db/scan";
import { alreadyExists, notFound, unavailable } from "../errors";
import { gcDeletions } from "../gc/schema";
import { requireLiveLease } from "../leases/manager";
import { assertHeld, leaseExpiryStatement, liveLease } from "../leases/resources";
import { leaseResources } from "../leases/schema";
import { log } from "../log";
import { formatOptionalTime, formatTime, now } from "../time";
import { byRef } from "./claim";
import { newIngestKey } from "./keys";
import { INGEST_TTL_MS, type IngestRow, ingests } from "./schema";

const MiB = 1024 * 1024;
/** Part sizes in bytes: every part but the last carries exactly the ingest's part size. */
export const PART_SIZE = { default: 8 * MiB, min: 5 * MiB, max: 100 * MiB } as const;

/** IngestStatus is the contract's status object. */
export interface IngestStatus {
  ref: string;
  offset: number;
  partSize: number;
  expectedDigest: string | null;
  expectedSize: number | null;
  startedAt: string;
  updatedAt: string;
  expiresAt: string | null;
}

/** toStatus renders an ingest row. */
export const toStatus = (row: IngestRow): IngestStatus => ({
  ref: row.ref,
  offset: row.offset,
  partSize: row.partSize,
  expectedDigest: row.expectedDigest,
  expectedSize: row.expectedSize,
  startedAt: formatTime(row.startedAt),
  updatedAt: formatTime(row.updatedAt),
  expiresAt: formatOptionalTime(row.expiresAt),
});

/** ingestStatement reads one ingest as a list of at most one row; usable in a batch. */
export const ingestStatement = (db: Db, namespace: string, ref: string) =>
  db.select().from(ingests).where(byRef(namespace, ref)).limit(1);

/** requireIngest returns the ingest row, or throws `not_found`. */
export async function requireIngest(db: Db, namespace: string, ref: string): Promise<IngestRow> {
  const [row] = await ingestStatement(db, namespace, ref);
  if (!row) throw notFound("ingest", ref);
  return row;
}

export interface CreateIngestInput {
  ref: string;
  expectedDigest?: string | undefined;
  expectedSize?: number | undefined;
  partSize?: number | undefined;
  leaseId?: string | undefined;
}

/**
 * createIngest starts an upload. With a lease, the lease is checked first, and the ingest row and
 * its place in the lease are written in one batch (the row lands only while the lease is live);
 * without one, the ingest expires 24 hours after its last write.
 *
 * The R2 multipart upload is created before the row. If the Worker dies in between, the upload is
 * unreachable: R2 has no listing of open uploads for the orphan sweep, so it is left to the
 * bucket's incomplete-upload lifecycle rule (R2 aborts them after 7 days by default).
 */
export async function createIngest(db: Db, bucket: R2Bucket, namespace: string, input: CreateIngestInput) {
  const at = now();
  const leaseId = input.leaseId ?? "";
  if (input.leaseId !== undefined) await requireLiveLease(db, namespace, leaseId, at);
  if ((await ingestStatement(db, namespace, input.ref)).length > 0) throw alreadyExists("ingest", input.ref);

  const key = newIngestKey(namespace);
  const upload = await bucket.createMultipartUpload(key).catch((err: unknown) => {
    throw unavailable("blob store", err);
  });
  const guard = input.leaseId === undefined ? sql`1` : liveLease(namespace, leaseId, at);
  const expiresAt = input.leaseId === undefined ? at + INGEST_TTL_MS : null;
  const [, , [row], [lease]] = await db.batch([
    // Every column of `ingests`, in table order.
    db
      .insert(ingests)
      .select(
        sql`SELECT ${namespace}, ${input.ref}, ${key}, ${upload.uploadId}, ${input.partSize ?? PART_SIZE.default}, 0, '[]',
            ${input.leaseId ?? null}, ${input.expectedDigest ?? null}, ${input.expectedSize ?? null}, ${at}, ${at},
            ${expiresAt}, NULL, NULL, 0
            WHERE ${guard}`,
      )
      .onConflictDoNothing(),
    db
      .insert(leaseResources)
      .select(
        sql`SELECT ${namespace}, ${leaseId}, 'ingests', ${input.ref} WHERE ${guard} AND EXISTS (
              SELECT 1 FROM ingests WHERE namespace = ${namespace} AND ref = ${input.ref} AND object_key = ${key})`,
      )
      .onConflictDoNothing(),
    ingestStatement(db, namespace, input.ref),
    leaseExpiryStatement(db, namespace, leaseId),
  ]);
  if (row?.objectKey === key) return toStatus(row);

  await upload
    .abort()
    .catch((err: unknown) => log.warn("abort of an unused upload failed", { key, error: String(err) }));
  if (input.leaseId !== undefined) assertHeld(lease, leaseId, at);
  throw alreadyExists("ingest", input.ref);
}

/** getIngest returns an ingest's status, or throws `not_found`. */
export async function getIngest(db: Db, namespace: string, ref: string): Promise<IngestStatus> {
  return toStatus(await requireIngest(db, namespace, ref));
}

/** listIngests pages through a namespace's ingests by ref. */
export async function listIngests(db: Db, namespace: string, input: { limit: number; cursor?: string | undefined }) {
  const page = await scanPage({
    ...input,
    unfiltered: true,
    fetch: (after, count) =>
      db
        .select()
        .from(ingests)
        .where(and(eq(ingests.namespace, namespace), after === undefined ? undefined : gt(ingests.ref, after)))
        .orderBy(asc(ingests.ref))
        .limit(count),
    key: (row) => row.ref,
    match: () => true,
    render: toStatus,
  });
  return { ingests: page.items, nextCursor: page.nextCursor };
}

/**
 * abortIngest removes the ingest and its lease entries and queues its upload for the collector in
 * one batch, then aborts the upload inline as a courtesy; when that works the queue entry goes.
 */
export async function abortIngest(db: Db, bucket: R2Bucket, namespace: string, ref: string): Promise<void> {
  const [, , [row]] = await db.batch([
    // insert … select fills every column of gc_deletions in table order; a new entry has attempts 0, retry_at 0.
    db
      .insert(gcDeletions)
      .select(
        sql`SELECT object_key, upload_id, namespace, CASE WHEN completed = 1 THEN "offset" ELSE 0 END, ${now()}, 0, 0
            FROM ingests WHERE namespace = ${namespace} AND ref = ${ref}`,
      )
      .onConflictDoNothing(),
    db
      .delete(leaseResources)
      .where(
        and(
          eq(leaseResources.namespace, namespace),
          eq(leaseResources.type, "ingests"),
          eq(leaseResources.resourceId, ref),
        ),
      ),
    db.delete(ingests).where(byRef(namespace, ref)).returning(),
  ]);
  if (!row) throw notFound("ingest", ref);

  try {
    if (row.completed) await bucket.delete(row.objectKey);
    else await bucket.resumeMultipartUpload(row.objectKey, row.uploadId).abort();
    await db.delete(gcDeletions).where(eq(gcDeletions.objectKey, row.objectKey));
  } catch (err) {
    log.warn("inline abort failed; the collector will retry", { key: row.objectKey, error: String(err) });
  }
}
