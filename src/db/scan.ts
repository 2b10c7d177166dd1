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

/** WindowEnd is how many rows a scan window held and the key of its last row (null if none). */
export interface WindowEnd {
  n: number;
  last: string | null;
}

export interface WindowScanInput<Row, Item> {
  limit: number;
  cursor?: string | undefined;
  /**
   * read returns, in key order, at most `count` rows that the filter keeps among the `window`
   * rows with key strictly after `after` (filtered inside D1). With `withEnd` it also returns,
   * from the same batch (one snapshot), the window's WindowEnd.
   */
  read: (
    after: string | undefined,
    window: number,
    count: number,
    withEnd: boolean,
  ) => Promise<{ rows: Row[]; end?: WindowEnd | undefined }>;
  key: (row: Row) => string;
  render: (row: Row) => Item;
}

/**
 * windowPage is `scanPage` for a filter D1 evaluates itself: a page reads at most SCAN_BUDGET
 * rows in one statement and fetches only the rows it returns (plus one, to know a next page
 * exists). A short page read its whole window; it is read again together with the window's end
 * in one batch, so the cursor sits exactly where that snapshot's reading stopped and pages never
 * skip or repeat a row that exists for the whole listing.
 */
export async function windowPage<Row, Item>(input: WindowScanInput<Row, Item>) {
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, 1)[0];
  const want = input.limit + 1;
  const full = (rows: Row[]) => {
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    return { items: items.map(input.render), nextCursor: last === undefined ? null : encodeCursor([input.key(last)]) };
  };

  const first = await input.read(after, SCAN_BUDGET, want, false);
  if (first.rows.length >= want) return full(first.rows);
  const again = await input.read(after, SCAN_BUDGET, want, true);
  if (again.rows.length >= want) return full(again.rows);
  const end = again.end ?? { n: 0, last: null };
  return {
    items: again.rows.map(input.render),
    nextCursor: end.n < SCAN_BUDGET || end.last === null ? null : encodeCursor([end.last]),
  };
}
