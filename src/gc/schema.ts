import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * gc_deletions: R2 work owed by metadata already removed. A row is written in the same D1 batch
 * that removes the metadata row pointing at the object (a swept or deleted blob, an aborted
 * ingest), and removed once R2 confirms. Object keys are never reused, so deleting a queued key
 * can never touch a blob that is visible again.
 */
export const gcDeletions = sqliteTable("gc_deletions", {
  /** R2 key to delete (or whose multipart upload to abort). */
  objectKey: text("object_key").primaryKey(),
  /** Non-null: abort this R2 multipart upload instead of deleting an object. */
  uploadId: text("upload_id"),
  namespace: text("namespace").notNull(),
  /** Bytes the deletion frees (0 for an aborted upload). */
  size: integer("size").notNull().default(0),
  /** Milliseconds since the Unix epoch. */
  enqueuedAt: integer("enqueued_at").notNull(),
});

export type GcDeletionRow = typeof gcDeletions.$inferSelect;
