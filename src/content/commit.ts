/**
 * Ingest commit: complete the R2 multipart upload, verify every byte, and publish the blob.
 *
 * The completed object stays at the ingest's key and becomes the blob (blob first, row second;
 * see `publish.ts`). Verification reads the whole object back through a digest stream, because R2
 * checks nothing about content. A mismatch keeps the ingest, marked completed, so the client may
 * retry with the right digest (which only re-verifies) or abort.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { conflict, failedPrecondition, invalidArgument, unavailable } from "../errors";
import { requireLiveLease } from "../leases/manager";
import { assertHeld, holdStatement, leaseExpiryStatement, liveLease } from "../leases/resources";
import { type Digest, digestAlgorithm, isDigest } from "../model/digest";
import { dropEmpty, type Labels } from "../model/labels";
import { now } from "../time";
import { byRef, claimIngest, holdsClaim, releaseClaim } from "./claim";
import { digestStream } from "./hash";
import { contentStatement, toInfo } from "./info";
import { requireIngest } from "./ingest";
import type { UploadedPart } from "./ingest-write";
import { handOffStatements, publishStatements } from "./publish";
import { checkContentLabels } from "./refs";
import { type IngestRow, ingests } from "./schema";
import { digestMismatch, type PutResult } from "./upload";

export interface CommitInput {
  digest?: string | undefined;
  size?: number | undefined;
  labels?: Labels | undefined;
  leaseId?: string | undefined;
}

/** commitTarget decides the digest to verify against and checks the sizes before any R2 work. */
function commitTarget(row: IngestRow, input: CommitInput): Digest {
  const digest = input.digest ?? row.expectedDigest;
  if (digest === null || !isDigest(digest)) {
    throw invalidArgument(`commit of ingest "${row.ref}" needs a digest (none was given or expected)`);
  }
  if (row.expectedDigest !== null && digest !== row.expectedDigest) throw digestMismatch(row.expectedDigest, digest);
  if (row.expectedSize !== null && row.offset < row.expectedSize) {
    throw failedPrecondition(`ingest "${row.ref}" is not complete: ${row.offset} of ${row.expectedSize} bytes`);
  }
  if (input.size !== undefined && input.size !== row.offset) {
    throw invalidArgument(`size mismatch: expected ${input.size} bytes, ingest "${row.ref}" holds ${row.offset}`);
  }
  return digest;
}

/**
 * commitIngest publishes an ingest as blob `digest` (created: 201; already visible: 200, the
 * existing row stays and this upload's object is queued for deletion). One batch makes the blob
 * visible, moves the ingest's lease entries to the digest, adds it to the commit's lease, and
 * deletes the ingest, all guarded by this request's claim on the ingest.
 */
export async function commitIngest(
  db: Db,
  bucket: R2Bucket,
  namespace: string,
  ref: string,
  input: CommitInput,
): Promise<PutResult> {
  const labels = dropEmpty(input.labels ?? {});
  checkContentLabels(labels);
  const at = now();
  const leaseId = input.leaseId ?? "";
  if (input.leaseId !== undefined) await requireLiveLease(db, namespace, leaseId, at);
  const digest = commitTarget(await requireIngest(db, namespace, ref), input);

  const token = crypto.randomUUID();
  const row = await claimIngest(db, namespace, ref, token, at);
  if (!row) {
    await requireIngest(db, namespace, ref);
    throw conflict(`ingest "${ref}" is busy with another write or commit; retry`);
  }
  try {
    await completeOnce(db, bucket, row, token);
    await verify(bucket, row, digest);
    // A fresh clock: verifying a large blob takes time, and the lease may have expired meanwhile.
    return await publish(db, row, token, { digest, labels, at: now(), leaseId: input.leaseId });
  } finally {
    // A successful publish deleted the ingest; otherwise it stays, idle, for a retry or an abort.
    await releaseClaim(db, namespace, ref, token);
  }
}

/**
 * completeOnce completes the multipart upload unless an earlier commit did, and records that.
 * Zero parts is an empty blob: R2 may refuse to complete an upload without parts, so the upload is
 * aborted and an empty object written at the key instead. If an earlier commit completed the
 * upload but died before recording it, completing again fails; the object at the key says so.
 */
async function completeOnce(db: Db, bucket: R2Bucket, row: IngestRow, token: string): Promise<void> {
  if (row.completed) return;
  const parts = JSON.parse(row.parts) as UploadedPart[];
  const upload = bucket.resumeMultipartUpload(row.objectKey, row.uploadId);
  try {
    if (parts.length === 0) {
      await upload.abort();
      await bucket.put(row.objectKey, new Uint8Array(0));
    } else {
      await upload.complete(parts);
    }
  } catch (err) {
    const object = await bucket.head(row.objectKey);
    if (object?.size !== row.offset) throw unavailable("blob store", err);
  }
  await db
    .update(ingests)
    .set({ completed: 1 })
    .where(and(byRef(row.namespace, row.ref), eq(ingests.claim, token)));
}

/** verify compares the completed object's size, then streams it through a digest and compares that. */
async function verify(bucket: R2Bucket, row: IngestRow, digest: Digest): Promise<void> {
  const object = await bucket.get(row.objectKey);
  if (!object) throw unavailable("blob store", new Error(`completed object ${row.objectKey} is missing`));
  if (object.size !== row.offset) {
    await object.body.cancel();
    throw invalidArgument(`size mismatch: ingest "${row.ref}" recorded ${row.offset} bytes, R2 holds ${object.size}`);
  }
  const got = await digestStream(object.body, digestAlgorithm(digest));
  if (got !== digest) throw digestMismatch(digest, got);
}

interface Target {
  digest: Digest;
  labels: Labels;
  at: number;
  leaseId?: string | undefined;
}

/** publish runs the commit batch; see commitIngest. */
async function publish(db: Db, row: IngestRow, token: string, t: Target): Promise<PutResult> {
  const { namespace, ref } = row;
  const leaseId = t.leaseId ?? "";
  const claimed = holdsClaim(namespace, ref, token);
  const guard = t.leaseId === undefined ? claimed : sql`${claimed} AND ${liveLease(namespace, leaseId, t.at)}`;
  const p = publishStatements(
    db,
    { namespace, digest: t.digest, size: row.offset, objectKey: row.objectKey, labels: t.labels, at: t.at },
    guard,
  );
  const handOff = handOffStatements(db, namespace, ref, t.digest, t.at, guard);
  const [, , , , , , deleted, [blob], [lease]] = await db.batch([
    p.insert,
    p.refs,
    handOff.add,
    handOff.remove,
    holdStatement(db, namespace, leaseId, [{ type: "content", id: t.digest }], t.at),
    p.orphan,
    db.delete(ingests).where(and(byRef(namespace, ref), guard)),
    contentStatement(db, namespace, t.digest),
    leaseExpiryStatement(db, namespace, leaseId),
  ]);
  if (t.leaseId !== undefined) assertHeld(lease, leaseId, t.at);
  if (deleted.meta.changes === 0 || !blob) {
    // The claim went stale and another request took the ingest, or it was aborted meanwhile.
    await requireIngest(db, namespace, ref);
    throw conflict(`ingest "${ref}" was taken over by another request; retry`);
  }
  return { created: blob.objectKey === row.objectKey, info: toInfo(blob) };
}
