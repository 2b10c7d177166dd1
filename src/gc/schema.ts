import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * gc_deletions: R2 work owed by metadata already removed. A row is written in the same D1 batch
 * that removes the metadata row pointing at the object (a swept or deleted blob, an aborted
 * ingest), and removed once R2 confirms. Object keys are never reused, so deleting a queued key
 * can never touch a blob that is visible again.
 */
export const gcDeletions = sqliteTable(
  "gc_deletions",
  {
    /** R2 key to delete (or whose multipart upload to abort). */
    objectKey: text("object_key").primaryKey(),
    /** Non-null: abort this R2 multipart upload (and delete the key, in case it was completed). */
    uploadId: text("upload_id"),
    namespace: text("namespace").notNull(),
    /** Bytes the deletion frees (0 for an aborted upload). */
    size: integer("size").notNull().default(0),
    /** Milliseconds since the Unix epoch. */
    enqueuedAt: integer("enqueued_at").notNull(),
    /** R2 calls for this entry that failed (not counting "already gone"). */
    attempts: integer("attempts").notNull().default(0),
    /** Milliseconds since the Unix epoch before which the entry is not tried again (backoff). */
    retryAt: integer("retry_at").notNull().default(0),
  },
  (t) => [index("gc_deletions_namespace").on(t.namespace, t.objectKey)],
);

/**
 * gc_runs: one row a collection, written when it starts and completed when it ends. A row whose
 * `finishedAt` is null belongs to a run in progress, or to one whose Worker died.
 */
export const gcRuns = sqliteTable(
  "gc_runs",
  {
    id: text("id").primaryKey(),
    /** `cron`, `manual` or `sync`. */
    trigger: text("trigger").notNull(),
    /** 1 for a dry run (nothing changed), else 0. */
    dryRun: integer("dry_run").notNull().default(0),
    /** The one namespace collected; null for all namespaces. */
    namespace: text("namespace"),
    /** Milliseconds since the Unix epoch. */
    startedAt: integer("started_at").notNull(),
    /** Milliseconds since the Unix epoch; null while running. */
    finishedAt: integer("finished_at"),
    /** 1 when the run finished every phase within its budget, else 0 (the next run continues). */
    complete: integer("complete").notNull().default(0),
    leasesExpired: integer("leases_expired").notNull().default(0),
    contentDeleted: integer("content_deleted").notNull().default(0),
    ingestsAborted: integer("ingests_aborted").notNull().default(0),
    objectsDeleted: integer("objects_deleted").notNull().default(0),
    orphansDeleted: integer("orphans_deleted").notNull().default(0),
    /** Bytes of the R2 objects deleted (queued blobs; orphans count their listed size). */
    bytesFreed: integer("bytes_freed").notNull().default(0),
  },
  (t) => [index("gc_runs_started_at").on(t.startedAt)],
);

/**
 * gc_lock: at most one row, held by the run allowed to sweep. Taken with a conditional upsert
 * that succeeds only when the row is absent or expired, so a holder that died frees it after
 * `expiresAt`; released by its holder in a `finally`.
 */
export const gcLock = sqliteTable("gc_lock", {
  name: text("name").primaryKey(),
  /** Run id of the holder. */
  holder: text("holder").notNull(),
  /** Milliseconds since the Unix epoch after which the lock is free for the taking. */
  expiresAt: integer("expires_at").notNull(),
});

/** gc_state: small named values the collector resumes from, such as the orphan listing cursor. */
export const gcState = sqliteTable("gc_state", {
  name: text("name").primaryKey(),
  /** JSON. */
  value: text("value").notNull(),
});

/**
 * gc_marks: the mark phase's work table, the live content of the namespaces being collected.
 * Filled and emptied inside the one D1 batch that marks and sweeps, so outside a batch it is
 * always empty, and concurrent batches (which D1 serialises) never see each other's rows.
 */
export const gcMarks = sqliteTable(
  "gc_marks",
  {
    namespace: text("namespace").notNull(),
    digest: text("digest").notNull(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.digest] })],
);

export type GcDeletionRow = typeof gcDeletions.$inferSelect;
export type GcRunRow = typeof gcRuns.$inferSelect;
