/**
 * Namespaces. Nothing stores a namespace on its own: one exists while a lease, a blob or an
 * ingest lives in it. NAMESPACES_SQL finds them in key order with a skip scan per table: each
 * step seeks the next namespace in that table's primary key index, so a page costs a few index
 * seeks per name however many rows each namespace holds. `?1` is the name to list after (`""`
 * for the first page), `?2` how many names at most.
 */
import { decodeCursor, encodeCursor } from "../model/cursor";

const nextNames = (table: string, alias: string) =>
  `${alias}(n) AS (SELECT MIN(namespace) FROM ${table} WHERE namespace > ?1
    UNION ALL SELECT (SELECT MIN(namespace) FROM ${table} WHERE namespace > ${alias}.n)
    FROM ${alias} WHERE ${alias}.n IS NOT NULL LIMIT ?2)`;

export const NAMESPACES_SQL = `WITH RECURSIVE
  ${nextNames("leases", "l")},
  ${nextNames("content", "c")},
  ${nextNames("ingests", "i")}
SELECT n AS name FROM l WHERE n IS NOT NULL
UNION SELECT n FROM c WHERE n IS NOT NULL
UNION SELECT n FROM i WHERE n IS NOT NULL
ORDER BY name LIMIT ?2`;

export interface ListNamespacesInput {
  limit: number;
  cursor?: string | undefined;
}

/** listNamespaces pages through the namespaces that hold a lease, a blob or an ingest, by name. */
export async function listNamespaces(d1: D1Database, input: ListNamespacesInput) {
  const after = input.cursor === undefined ? "" : (decodeCursor(input.cursor, 1)[0] ?? "");
  const { results } = await d1
    .prepare(NAMESPACES_SQL)
    .bind(after, input.limit + 1)
    .all<{ name: string }>();
  const page = results.slice(0, input.limit).map((r) => r.name);
  const last = page.at(-1);
  return { namespaces: page, nextCursor: results.length > input.limit && last ? encodeCursor([last]) : null };
}
