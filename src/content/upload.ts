/**
 * Single-request uploads: `PUT .../content/{digest}`. The body streams into R2 while it is hashed;
 * only verified bytes ever get a `content` row, so no unverified byte is readable under a digest.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { invalidArgument, payloadTooLarge, unavailable } from "../errors";
import { isExpired } from "../leases/lease";
import { requireLiveLease } from "../leases/manager";
import { assertHeld, holdStatement, leaseExpiryStatement, liveLease } from "../leases/resources";
import { type Digest, digestAlgorithm } from "../model/digest";
import { now } from "../time";
import { Hasher } from "./hash";
import { type ContentInfo, contentStatement, toInfo } from "./info";
import { newBlobKey } from "./keys";
import { publishStatements } from "./publish";

/** DEFAULT_MAX_UPLOAD_BYTES is the single-request limit when the environment sets none (100 MiB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 104_857_600;

export interface PutInput {
  /** Declared `Content-Length`; the route has already required it. */
  length: number;
  body: ReadableStream<Uint8Array> | null;
  leaseId?: string | undefined;
  /** Largest accepted `length`, in bytes. */
  maxBytes: number;
}

/** PutResult says whether the upload created the blob (201) or found it present (200). */
export interface PutResult {
  created: boolean;
  info: ContentInfo;
}

/**
 * putContent stores a blob under `digest`. The lease is checked first, before any byte is read.
 * Then one batch adds the digest to the lease and reads the row: if the blob is already visible it
 * is now leased, atomically with that check (a separate "exists?" probe would protect nothing),
 * and the body is left unread. Otherwise the bytes go to a fresh R2 key, are verified, and are
 * published; a mismatch deletes them and is `invalid_argument`.
 */
export async function putContent(
  db: Db,
  bucket: R2Bucket,
  namespace: string,
  digest: Digest,
  input: PutInput,
): Promise<PutResult> {
  if (input.length > input.maxBytes) throw payloadTooLarge(input.maxBytes);
  const at = now();
  // Without a lease, the hold targets lease "" which cannot exist: the statements keep their shape.
  const leaseId = input.leaseId ?? "";
  if (input.leaseId !== undefined) await requireLiveLease(db, namespace, leaseId, at);

  const held = [{ type: "content" as const, id: digest }];
  const [, [existing], [lease]] = await db.batch([
    holdStatement(db, namespace, leaseId, held, at),
    contentStatement(db, namespace, digest),
    leaseExpiryStatement(db, namespace, leaseId),
  ]);
  if (input.leaseId !== undefined) assertHeld(lease, leaseId, at);
  if (existing) {
    // The body stays unread, but a declared length that is not the blob's is a wrong claim about it.
    // The hold above stays: holding a digest is legal even for content that does not exist.
    if (existing.size !== input.length) throw presentSizeMismatch(input.length, existing.size);
    return { created: false, info: toInfo(existing) };
  }

  // Blob first, row second (see publish.ts): if we die after the put, the object is an orphan
  // no read can reach, and the collector removes it after the grace period.
  const objectKey = await storeVerified(bucket, namespace, digest, input);
  // A fresh clock: the lease may have expired while the body streamed in.
  const done = now();
  const guard = input.leaseId === undefined ? sql`1` : liveLease(namespace, leaseId, done);
  const p = publishStatements(db, { namespace, digest, size: input.length, objectKey, labels: {}, at: done }, guard);
  const [, , , , [row], [after]] = await db.batch([
    holdStatement(db, namespace, leaseId, held, done),
    p.insert,
    p.refs,
    p.orphan,
    contentStatement(db, namespace, digest),
    leaseExpiryStatement(db, namespace, leaseId),
  ]);
  if (input.leaseId !== undefined && (!after || isExpired(after, done))) {
    // The lease died between the check and the batch: nothing was published, the key is ours to drop.
    await bucket.delete(objectKey).catch(() => undefined);
    assertHeld(after, leaseId, done);
  }
  if (!row) throw unavailable("content metadata", new Error(`no row for ${digest} after publishing it`));
  return { created: row.objectKey === objectKey, info: toInfo(row) };
}

/**
 * storeVerified streams the body to a fresh key through a hasher and a FixedLengthStream (R2 needs
 * the length up front, and the stream fails on too few or too many bytes). It returns the key only
 * when both the size and the digest match; otherwise the object is deleted and the upload refused.
 *
 * TODO(perf): the digest runs in series with the R2 write (the Hasher waits for the DigestStream
 * to take each chunk before passing it on), so a 64 MiB upload costs about the raw put plus the
 * digest; `npm run bench` misses its 1.3 × target (docs/performance.md). Overlapping them needs a
 * bounded lag (a plain tee buffers without limit in a 128 MB isolate); the bench's `bounded` and
 * `tee` probes did not beat the serial Hasher on the 2-core bench machine, so measure on a deployment.
 */
async function storeVerified(bucket: R2Bucket, namespace: string, digest: Digest, input: PutInput): Promise<string> {
  const key = newBlobKey(namespace);
  const hasher = new Hasher(digestAlgorithm(digest));
  const fixed = new FixedLengthStream(input.length);
  const source = input.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });

  const [piped, put] = await Promise.allSettled([
    source.pipeThrough(hasher.stream).pipeTo(fixed.writable),
    bucket.put(key, fixed.readable),
  ]);
  const failed = [piped, put].find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) {
    await bucket.delete(key).catch(() => undefined);
    if (hasher.bytes !== input.length) throw sizeMismatch(input.length, hasher.bytes);
    throw unavailable("blob store", failed.reason);
  }

  const got = await hasher.result();
  if (got.size !== input.length || got.digest !== digest) {
    await bucket.delete(key);
    throw got.size !== input.length ? sizeMismatch(input.length, got.size) : digestMismatch(digest, got.digest);
  }
  return key;
}

const sizeMismatch = (declared: number, got: number) =>
  invalidArgument(
    `size mismatch: Content-Length is ${declared} bytes, the body ${got < declared ? `ended after ${got}` : "carried more"}`,
  );

const presentSizeMismatch = (declared: number, size: number) =>
  invalidArgument(`size mismatch: Content-Length is ${declared} bytes, the stored blob has ${size}`);

/** digestMismatch names both digests so the client can tell what it sent. */
export const digestMismatch = (expected: string, got: string) =>
  invalidArgument(`digest mismatch: expected ${expected}, got ${got}`);
