/**
 * Single-request uploads: `PUT .../content/{digest}`. The body streams into R2, which verifies its
 * digest as it arrives; only verified bytes ever get a `content` row, so no unverified byte is
 * readable under a digest.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { invalidArgument, LeaseholdError, payloadTooLarge, unavailable } from "../errors";
import { isExpired } from "../leases/lease";
import { requireLiveLease } from "../leases/manager";
import { assertHeld, holdStatement, leaseExpiryStatement, liveLease } from "../leases/resources";
import { type Digest, type DigestAlgorithm, digestAlgorithm } from "../model/digest";
import { now } from "../time";
import { toHex } from "./hash";
import { type ContentInfo, contentStatement, toInfo } from "./info";
import { newBlobKey } from "./keys";
import { streamExact } from "./length";
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
 * Then one batch adds the digest to the lease if the blob is present, and reads the row: a
 * visible blob is now leased, atomically with that check (a separate "exists?" probe would
 * protect nothing), and the body is left unread. Otherwise the bytes go to a fresh R2 key, are
 * verified, and are published in one batch with the hold; a mismatch deletes them and is
 * `invalid_argument`, and the lease is as it was.
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
  // The hold lands only where the blob is present with the declared size, in the same statement
  // that checks it: a refused upload (a wrong size now, a wrong digest later) leaves no trace.
  const present = sql`EXISTS (SELECT 1 FROM content WHERE namespace = ${namespace} AND digest = ${digest}
    AND size = ${input.length})`;
  const [, [existing], [lease]] = await db.batch([
    holdStatement(db, namespace, leaseId, held, at, present),
    contentStatement(db, namespace, digest),
    leaseExpiryStatement(db, namespace, leaseId),
  ]);
  if (input.leaseId !== undefined) assertHeld(lease, leaseId, at);
  if (existing) {
    // The body stays unread, but a declared length that is not the blob's is a wrong claim about it.
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
 * storeVerified streams the body to a fresh key and lets R2 verify it: the put carries the expected
 * checksum (R2's `sha256` or `sha512` put option), and R2 hashes the bytes as they arrive and
 * refuses the put, storing nothing, when they hash otherwise. `streamExact` holds the body to its
 * declared length. The bytes pass the isolate without a JavaScript transform, so a verified upload costs the isolate about what a raw put does
 * (docs/performance.md). The key is returned only when R2 reports the expected checksum.
 */
async function storeVerified(bucket: R2Bucket, namespace: string, digest: Digest, input: PutInput): Promise<string> {
  const key = newBlobKey(namespace);
  const algorithm = digestAlgorithm(digest);
  const expected = digest.slice(algorithm.length + 1);
  let object: R2Object | null;
  try {
    object = await streamExact(input.body, input.length, (stream) =>
      bucket.put(key, stream, { [algorithm]: expected }),
    );
  } catch (err) {
    await bucket.delete(key).catch(() => undefined);
    if (isBadDigest(err)) throw digestMismatch(digest, actualDigest(err, algorithm));
    throw err instanceof LeaseholdError ? err : unavailable("blob store", err);
  }
  if (object !== null && checksumOf(object, algorithm) === expected) return key;
  // An R2 that ignored the checksum verified nothing: never publish such bytes.
  await bucket.delete(key).catch(() => undefined);
  throw unavailable("blob store", new Error(`R2 did not report the ${algorithm} of ${key}`));
}

/** checksumOf is the hex checksum R2 computed for a stored object. */
function checksumOf(object: R2Object, algorithm: DigestAlgorithm): string | undefined {
  const sum = object.checksums[algorithm];
  return sum === undefined ? undefined : toHex(sum);
}

/** R2's error code for a checksum that does not match the bytes it received. */
const BAD_DIGEST = "(10037)";

const isBadDigest = (err: unknown): boolean => err instanceof Error && err.message.includes(BAD_DIGEST);

/** actualDigest reads the digest R2 computed from its error message, when the message names it. */
function actualDigest(err: unknown, algorithm: DigestAlgorithm): string {
  const hex = /Actual SHA-?\d+ was: ([0-9a-f]+)/i.exec(err instanceof Error ? err.message : "")?.[1];
  return hex === undefined ? "a different digest" : `${algorithm}:${hex.toLowerCase()}`;
}

const presentSizeMismatch = (declared: number, size: number) =>
  invalidArgument(`size mismatch: Content-Length is ${declared} bytes, the stored blob has ${size}`);

/** digestMismatch names both digests so the client can tell what it sent. */
export const digestMismatch = (expected: string, got: string) =>
  invalidArgument(`digest mismatch: expected ${expected}, got ${got}`);
