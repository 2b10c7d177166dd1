/**
 * Blob reads: GET and HEAD of `.../content/{digest}`. The row decides what exists; R2 only serves
 * the bytes. A row whose object is gone (the collector removed it between our read of the row and
 * of the object) is answered as missing, never as a server fault.
 */
import type { Db } from "../db/client";
import { notFound } from "../errors";
import { requireContent } from "./info";
import { contentRange, parseRange } from "./range";

export interface ReadInput {
  range?: string | undefined;
  ifNoneMatch?: string | undefined;
  /** HEAD: headers only; the object is not opened and Range is ignored. */
  headOnly: boolean;
}

/** BlobResponse is what the route sends: a status, headers and, for GET, the bytes. */
export interface BlobResponse {
  status: 200 | 206 | 304;
  headers: Record<string, string>;
  body: ReadableStream | null;
}

/** etagOf is the strong entity tag of a blob: its digest, quoted. */
export const etagOf = (digest: string): string => `"${digest}"`;

/** matchesNoneMatch reports whether If-None-Match names this blob (or is `*`); weak tags compare too. */
export function matchesNoneMatch(header: string, etag: string): boolean {
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === etag;
  });
}

/** readContent serves a blob: 304 when If-None-Match matches, else 200 or, for one Range, 206. */
export async function readContent(
  db: Db,
  bucket: R2Bucket,
  namespace: string,
  digest: string,
  input: ReadInput,
): Promise<BlobResponse> {
  const row = await requireContent(db, namespace, digest);
  const etag = etagOf(digest);
  const headers: Record<string, string> = {
    ETag: etag,
    "Accept-Ranges": "bytes",
    "Content-Type": "application/octet-stream",
  };
  if (input.ifNoneMatch !== undefined && matchesNoneMatch(input.ifNoneMatch, etag)) {
    return { status: 304, headers: { ETag: etag }, body: null };
  }

  if (input.headOnly) {
    if (!(await bucket.head(row.objectKey))) throw notFound("content", digest);
    return { status: 200, headers: { ...headers, "Content-Length": String(row.size) }, body: null };
  }

  const range = parseRange(input.range, row.size);
  const object = await bucket.get(row.objectKey, range ? { range } : {});
  if (!object || !("body" in object)) throw notFound("content", digest);
  if (!range) return { status: 200, headers: { ...headers, "Content-Length": String(row.size) }, body: object.body };
  return {
    status: 206,
    headers: { ...headers, "Content-Length": String(range.length), "Content-Range": contentRange(range, row.size) },
    body: object.body,
  };
}
