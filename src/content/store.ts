/**
 * Blob metadata operations: relabel, delete and list. Reads of single blobs are in `info.ts`
 * and `read.ts`; uploads in `upload.ts` and the ingest files.
 */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { scanPage } from "../db/scan";
import { notFound, unavailable } from "../errors";
import { type FilterSet, matchFilters, parseFilters } from "../filters";
import { gcDeletions } from "../gc/schema";
import { type Labels, labelOf, mergeLabels, parseStoredLabels } from "../model/labels";
import { now } from "../time";
import { type ContentInfo, requireContent, toInfo } from "./info";
import { checkContentLabels, contentRefRows, rootOf } from "./refs";
import { type ContentRow, content, contentRefs } from "./schema";

/** PATCH_ATTEMPTS bounds the retries of a label patch that keeps losing to concurrent patches. */
const PATCH_ATTEMPTS = 8;

const byDigest = (namespace: string, digest: string) =>
  and(eq(content.namespace, namespace), eq(content.digest, digest));

/**
 * updateLabels merges a label patch (null or "" removes a key) and rewrites the blob's `root`
 * mirror and reference rows in the same batch. The merge is computed here, validated as a whole
 * (reference values must be digests, at most 64 labels), and written only if the labels are still
 * the ones it was computed from; a concurrent patch that got there first makes it re-read and try
 * again, so no update is lost. The reference rows are rewritten only while the row carries exactly
 * the labels they derive from, so they can never drift from the labels.
 */
export async function updateLabels(
  db: Db,
  namespace: string,
  digest: string,
  patch: Record<string, string | null>,
): Promise<ContentInfo> {
  for (let attempt = 0; attempt < PATCH_ATTEMPTS; attempt++) {
    const row = await requireContent(db, namespace, digest);
    const labels = mergeLabels(parseStoredLabels(row.labels), patch);
    checkContentLabels(labels);

    const next = JSON.stringify(labels);
    const refs = JSON.stringify(contentRefRows(namespace, digest, labels).map((r) => [r.label, r.target]));
    const carriesNext = sql`EXISTS (SELECT 1 FROM content WHERE namespace = ${namespace} AND digest = ${digest}
      AND labels = ${next})`;
    const [updated] = await db.batch([
      db
        .update(content)
        .set({ labels: next, root: rootOf(labels), updatedAt: Math.max(now(), row.createdAt) })
        .where(and(byDigest(namespace, digest), eq(content.labels, row.labels)))
        .returning(),
      db
        .delete(contentRefs)
        .where(and(eq(contentRefs.namespace, namespace), eq(contentRefs.digest, digest), carriesNext)),
      db
        .insert(contentRefs)
        .select(
          sql`SELECT ${namespace}, ${digest}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
              FROM json_each(${refs}) WHERE ${carriesNext}`,
        )
        .onConflictDoNothing(),
    ]);
    if (updated[0]) return toInfo(updated[0]);
  }
  throw unavailable(`labels of content "${digest}"`, new Error("label patch lost every attempt to concurrent patches"));
}

/**
 * deleteContent removes a blob's metadata now and queues its bytes for the collector, in one
 * batch. Lease resources naming the digest stay: dangling resources are allowed.
 */
export async function deleteContent(db: Db, namespace: string, digest: string): Promise<void> {
  const [, , removed] = await db.batch([
    // insert … select fills every column of gc_deletions in table order; a new entry has attempts 0, retry_at 0.
    db
      .insert(gcDeletions)
      .select(
        sql`SELECT object_key, NULL, namespace, size, ${now()}, 0, 0 FROM content
            WHERE namespace = ${namespace} AND digest = ${digest}`,
      )
      .onConflictDoNothing(),
    db.delete(contentRefs).where(and(eq(contentRefs.namespace, namespace), eq(contentRefs.digest, digest))),
    db.delete(content).where(byDigest(namespace, digest)),
  ]);
  if (removed.meta.changes === 0) throw notFound("content", digest);
}

/** contentField is the filter adaptor for blobs: `digest` and `labels.<key>`. */
function contentField(row: ContentRow, labels: Labels, path: readonly string[]): string | undefined {
  if (path.length === 1 && path[0] === "digest") return row.digest;
  if (path.length > 1 && path[0] === "labels") return labelOf(labels, path.slice(1).join("."));
  return undefined;
}

const matches = (set: FilterSet, row: ContentRow) => {
  const labels = parseStoredLabels(row.labels);
  return matchFilters(set, (path) => contentField(row, labels, path));
};

export interface ListContentInput {
  filters: readonly string[];
  limit: number;
  cursor?: string | undefined;
}

/** listContent pages through a namespace's blobs by digest, keeping those the filters match. */
export async function listContent(db: Db, namespace: string, input: ListContentInput) {
  const set = parseFilters(input.filters);
  const page = await scanPage({
    limit: input.limit,
    cursor: input.cursor,
    unfiltered: set.length === 0,
    fetch: (after, count) =>
      db
        .select()
        .from(content)
        .where(and(eq(content.namespace, namespace), after === undefined ? undefined : gt(content.digest, after)))
        .orderBy(asc(content.digest))
        .limit(count),
    key: (row) => row.digest,
    match: (row) => matches(set, row),
    render: toInfo,
  });
  return { content: page.items, nextCursor: page.nextCursor };
}
