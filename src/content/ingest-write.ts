/**
 * Ingest parts: `PATCH .../ingests/{ref}` with `Upload-Offset`. Each part streams straight into
 * R2's `uploadPart` (no buffering); the offset and the part list advance in the UPDATE that also
 * clears the writer's claim (see `claim.ts`), so two writers at one offset never both land.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { conflict, failedPrecondition, invalidArgument, LeaseholdError, notFound, unavailable } from "../errors";
import { now } from "../time";
import { byRef, claimIngest, releaseClaim } from "./claim";
import { requireIngest } from "./ingest";
import { streamExact } from "./length";
import { INGEST_TTL_MS, type IngestRow, ingests } from "./schema";

/** MAX_PARTS is R2's limit on parts in one multipart upload. */
export const MAX_PARTS = 10_000;

export interface WritePartInput {
  /** `Upload-Offset`: where the client believes the ingest stands. */
  offset: number;
  /** `Content-Length` of the part. */
  length: number;
  body: ReadableStream<Uint8Array> | null;
}

/** UploadedPart is one entry of the ingest's `parts` column. */
export interface UploadedPart {
  partNumber: number;
  etag: string;
}

/** offsetConflict tells the client where the ingest stands, in the message and `Upload-Offset`. */
const offsetConflict = (ref: string, current: number, why = `ingest "${ref}" is at offset ${current}`) =>
  conflict(why, { "Upload-Offset": String(current) });

/** checkPart refuses a part that cannot be appended at the current offset; returns its number. */
function checkPart(row: IngestRow, input: WritePartInput): number {
  if (row.completed) throw failedPrecondition(`ingest "${row.ref}" is completed; commit or abort it`);
  if (input.offset !== row.offset) throw offsetConflict(row.ref, row.offset);
  if (row.offset % row.partSize !== 0) {
    throw invalidArgument(`ingest "${row.ref}" already received its last (short) part; commit it`);
  }
  if (input.length === 0 || input.length > row.partSize) {
    throw invalidArgument(`a part must carry 1 to ${row.partSize} bytes (the part size), got ${input.length}`);
  }
  const end = row.offset + input.length;
  if (row.expectedSize !== null && end > row.expectedSize) {
    throw invalidArgument(`part ends at ${end}, beyond the expected size ${row.expectedSize}`);
  }
  if (row.expectedSize !== null && input.length < row.partSize && end !== row.expectedSize) {
    throw invalidArgument(`only the last part may be shorter than ${row.partSize} bytes`);
  }
  const partNumber = row.offset / row.partSize + 1;
  if (partNumber > MAX_PARTS) throw invalidArgument(`an ingest holds at most ${MAX_PARTS} parts`);
  return partNumber;
}

/** writePart appends one part and returns the new offset. */
export async function writePart(
  db: Db,
  bucket: R2Bucket,
  namespace: string,
  ref: string,
  input: WritePartInput,
): Promise<number> {
  const row = await requireIngest(db, namespace, ref);
  const partNumber = checkPart(row, input);

  const token = crypto.randomUUID();
  const at = now();
  const claimed = await claimIngest(db, namespace, ref, token, at, eq(ingests.offset, input.offset));
  if (!claimed) {
    const current = await requireIngest(db, namespace, ref);
    if (current.offset !== input.offset) throw offsetConflict(ref, current.offset);
    throw offsetConflict(ref, current.offset, `a part at offset ${current.offset} of ingest "${ref}" is being written`);
  }

  let part: UploadedPart;
  try {
    part = await uploadPart(bucket, claimed, partNumber, input);
  } catch (err) {
    await releaseClaim(db, namespace, ref, token);
    throw err;
  }

  const done = now();
  const parts = [...(JSON.parse(claimed.parts) as UploadedPart[]), part];
  const [updated] = await db
    .update(ingests)
    .set({
      offset: input.offset + input.length,
      parts: JSON.stringify(parts),
      updatedAt: done,
      expiresAt: claimed.leaseId === null ? done + INGEST_TTL_MS : null,
      claim: null,
      claimExpiresAt: null,
    })
    .where(and(byRef(namespace, ref), eq(ingests.claim, token)))
    .returning();
  if (!updated) throw notFound("ingest", ref);
  return updated.offset;
}

/**
 * uploadPart streams the body into one part of the multipart upload, held to its declared length
 * (`streamExact`: a short or long body is 400, a store failure 503).
 *
 * TODO(someday): when a body has the wrong length, workerd logs "Uncaught (in promise)" from its
 * own pipe into R2 although both promises here are awaited; harmless, but noisy in the logs.
 */
async function uploadPart(bucket: R2Bucket, row: IngestRow, partNumber: number, input: WritePartInput) {
  const upload = bucket.resumeMultipartUpload(row.objectKey, row.uploadId);
  try {
    return await streamExact(input.body, input.length, (stream) => upload.uploadPart(partNumber, stream));
  } catch (err) {
    throw err instanceof LeaseholdError ? err : unavailable("blob store", err);
  }
}
