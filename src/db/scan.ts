/**
 * Keyset scans for filtered lists. Rows are read in key order in chunks, kept when they match,
 * and a page ends after `limit` matches or after a scan budget: a selective filter over many rows
 * returns a short (even empty) page with a cursor rather than reading the whole table.
 */
import { decodeCursor, encodeCursor } from "../model/cursor";

/** SCAN_BUDGET bounds the rows one page may read. */
export const SCAN_BUDGET = 5000;

export interface ScanInput<Row, Item> {
  limit: number;
  cursor?: string | undefined;
  /** True when every row matches; chunks are then just one page plus one. */
  unfiltered: boolean;
  /** fetch reads up to `count` rows with key strictly after `after`, in key order. */
  fetch: (after: string | undefined, count: number) => Promise<Row[]>;
  key: (row: Row) => string;
  match: (row: Row) => boolean;
  render: (row: Row) => Item;
}

/** scanPage returns one page of matching items and the cursor after it (null on the last page). */
export async function scanPage<Row, Item>(input: ScanInput<Row, Item>) {
  let after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, 1)[0];
  const items: Item[] = [];
  let lastKept: string | undefined;
  let scanned = 0;

  while (scanned < SCAN_BUDGET) {
    const want = input.unfiltered ? input.limit + 1 : Math.max(input.limit + 1, 200);
    const chunk = Math.min(want, SCAN_BUDGET - scanned);
    const rows = await input.fetch(after, chunk);
    scanned += rows.length;

    for (const row of rows) {
      if (input.match(row)) {
        if (items.length === input.limit) return { items, nextCursor: encodeCursor([lastKept ?? ""]) };
        items.push(input.render(row));
        lastKept = input.key(row);
      }
      after = input.key(row);
    }
    if (rows.length < chunk) return { items, nextCursor: null };
  }
  // Budget spent: resume after the last row read.
  return { items, nextCursor: after === undefined ? null : encodeCursor([after]) };
}
