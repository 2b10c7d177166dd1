/**
 * R2 key scheme. Every stored upload gets a fresh, unguessable key; keys are never reused, so a
 * key queued for deletion can never be one that a visible blob points at. The collector's orphan
 * sweep lists exactly these prefixes.
 *
 *   blobs/<namespace>/<uuid>     bytes of a single-request upload
 *   ingests/<namespace>/<uuid>   bytes of a resumable (multipart) upload, kept as the blob on commit
 */
export const BLOB_PREFIX = "blobs/";
export const INGEST_PREFIX = "ingests/";

/** OBJECT_PREFIXES are every prefix the service writes under. */
export const OBJECT_PREFIXES = [BLOB_PREFIX, INGEST_PREFIX] as const;

/** newBlobKey returns a fresh key for a single-request upload. */
export const newBlobKey = (namespace: string): string => `${BLOB_PREFIX}${namespace}/${crypto.randomUUID()}`;

/** newIngestKey returns a fresh key for a resumable upload. */
export const newIngestKey = (namespace: string): string => `${INGEST_PREFIX}${namespace}/${crypto.randomUUID()}`;
