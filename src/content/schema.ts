import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * content: one row a blob visible in a namespace. The bytes live in R2 under `objectKey`, a fresh
 * unguessable key per stored upload; the row is written only after the bytes are verified.
 */
export const content = sqliteTable(
  "content",
  {
    namespace: text("namespace").notNull(),
    /** Canonical digest, `sha256:<hex>` or `sha512:<hex>`. */
    digest: text("digest").notNull(),
    /** Bytes. */
    size: integer("size").notNull(),
    /** R2 key of the verified bytes. */
    objectKey: text("object_key").notNull(),
    /** JSON object of string to string. */
    labels: text("labels").notNull().default("{}"),
    /** 1 when the blob carries `containerd.io/gc.root`, else 0. */
    root: integer("root").notNull().default(0),
    /** Milliseconds since the Unix epoch. */
    createdAt: integer("created_at").notNull(),
    /** Milliseconds since the Unix epoch. */
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.namespace, t.digest] }),
    index("content_object_key").on(t.objectKey),
    // The collector's mark reads only the roots (src/gc).
    index("content_roots").on(t.namespace, t.digest).where(sql`root = 1`),
  ],
);

/**
 * content_refs: the references of a blob, derived from its `containerd.io/gc.ref.content*` labels
 * and rewritten whenever its labels change. One row an edge, parent `digest` to child `target`.
 * Kept as rows so the collector can follow references with a join instead of parsing labels.
 */
export const contentRefs = sqliteTable(
  "content_refs",
  {
    namespace: text("namespace").notNull(),
    /** The referencing blob. */
    digest: text("digest").notNull(),
    /** The label key that carries the reference. */
    label: text("label").notNull(),
    /** The referenced digest; need not exist. */
    target: text("target").notNull(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.digest, t.label] })],
);

/** INGEST_TTL_MS: an ingest without a lease expires this long after its last write (24 h). */
export const INGEST_TTL_MS = 24 * 60 * 60_000;

/**
 * ingests: resumable uploads in progress, each an R2 multipart upload with fixed-size parts.
 * An ingest started without a lease expires 24 hours after its last write or claim (`expiresAt`); one
 * started under a lease has `expiresAt` null and lives as long as a lease holds it.
 */
export const ingests = sqliteTable(
  "ingests",
  {
    namespace: text("namespace").notNull(),
    ref: text("ref").notNull(),
    /** R2 key the multipart upload writes to. */
    objectKey: text("object_key").notNull(),
    /** R2 multipart upload id. */
    uploadId: text("upload_id").notNull(),
    /** Bytes every part but the last carries. */
    partSize: integer("part_size").notNull(),
    /** Bytes received so far. */
    offset: integer("offset").notNull().default(0),
    /** JSON array of `{partNumber, etag}` for the parts uploaded so far. */
    parts: text("parts").notNull().default("[]"),
    /** The lease the ingest was started under, if any; commit moves it from `ingests` to `content` there. */
    leaseId: text("lease_id"),
    expectedDigest: text("expected_digest"),
    expectedSize: integer("expected_size"),
    /** Milliseconds since the Unix epoch. */
    startedAt: integer("started_at").notNull(),
    /** Milliseconds since the Unix epoch. */
    updatedAt: integer("updated_at").notNull(),
    /** Milliseconds since the Unix epoch; null while leased. */
    expiresAt: integer("expires_at"),
    /**
     * Random token of the one request writing a part or committing; null when idle. Parts and
     * commits exclude each other through it, so two writers never upload the same part number.
     */
    claim: text("claim"),
    /** Milliseconds since the Unix epoch after which `claim` is stale (its request died). */
    claimExpiresAt: integer("claim_expires_at"),
    /** 1 once the R2 multipart upload is completed (the object exists); a commit retry only re-verifies. */
    completed: integer("completed").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.namespace, t.ref] }),
    index("ingests_expires_at").on(t.expiresAt),
    // The collector's orphan check looks keys up here (src/gc).
    index("ingests_object_key").on(t.objectKey),
  ],
);

export type ContentRow = typeof content.$inferSelect;
export type IngestRow = typeof ingests.$inferSelect;
