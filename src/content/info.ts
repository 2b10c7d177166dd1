/** Content info: the contract's view of a blob row, and lookups by digest. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { type Labels, parseStoredLabels } from "../model/labels";
import { formatTime } from "../time";
import { type ContentRow, content } from "./schema";

/** ContentInfo is the contract's info object. */
export interface ContentInfo {
  digest: string;
  size: number;
  labels: Labels;
  createdAt: string;
  updatedAt: string;
}

/** toInfo renders a content row as info. */
export const toInfo = (row: ContentRow): ContentInfo => ({
  digest: row.digest,
  size: row.size,
  labels: parseStoredLabels(row.labels),
  createdAt: formatTime(row.createdAt),
  updatedAt: formatTime(row.updatedAt),
});

/**
 * contentStatement reads one blob row as a list of at most one; usable alone or inside a batch.
 * (Not `db.query...findFirst`: inside `db.batch`, drizzle 0.45 throws when it finds nothing.)
 */
export const contentStatement = (db: Db, namespace: string, digest: string) =>
  db
    .select()
    .from(content)
    .where(and(eq(content.namespace, namespace), eq(content.digest, digest)))
    .limit(1);

/** requireContent returns the blob row, or throws `not_found`. */
export async function requireContent(db: Db, namespace: string, digest: string): Promise<ContentRow> {
  const [row] = await contentStatement(db, namespace, digest);
  if (!row) throw notFound("content", digest);
  return row;
}

/** getInfo returns a blob's info, or throws `not_found`. */
export async function getInfo(db: Db, namespace: string, digest: string): Promise<ContentInfo> {
  return toInfo(await requireContent(db, namespace, digest));
}
