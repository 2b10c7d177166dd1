/**
 * Filters as SQL: a FilterSet turned into one SQL condition with exactly `matchFilters`'
 * semantics, so a list can filter inside D1 and fetch only the rows it returns. Only what
 * translates exactly is translated; anything else (regular expressions, unknown fields, label
 * keys SQLite's JSON paths cannot quote) returns undefined and the caller filters in the isolate.
 */
import { type SQL, sql } from "drizzle-orm";
import type { FilterSet, Selector } from "./parse";

/** A field's SQL expression (NULL when the object lacks the field), or undefined if it has none. */
export type SqlAdaptor = (fieldpath: readonly string[]) => SQL | undefined;

/**
 * MAX_FILTER_PARAMETERS bounds the parameters a translated filter binds (each selector binds at
 * most two), leaving room under D1's 100 for the statement around it; beyond it, no translation.
 */
export const MAX_FILTER_PARAMETERS = 80;

/**
 * labelPath is the SQLite JSON path of a label key, or undefined when it cannot be quoted: a
 * quote or backslash, or a control character (SQLite cuts a path at NUL and rejects the rest).
 */
export const labelPath = (key: string): string | undefined =>
  key === "" || /["\\\p{Cc}]/u.test(key) ? undefined : `$."${key}"`;

/**
 * labelsAdaptor maps `labels.<key>` (key parts joined by dots, as the isolate's adaptors do) to
 * `json_extract(<labels column>, path)`; `fields` maps the other field paths (by their joined name).
 */
export function labelsAdaptor(labels: SQL, fields: Record<string, SQL>): SqlAdaptor {
  return (path) => {
    if (path.length > 1 && path[0] === "labels") {
      const p = labelPath(path.slice(1).join("."));
      return p === undefined ? undefined : sql`json_extract(${labels}, ${p})`;
    }
    return path.length === 1 ? fields[path[0] ?? ""] : undefined;
  };
}

/** selectorSql is one selector as SQL, with `matchSelector`'s semantics (absent compares as ""). */
function selectorSql(selector: Selector, field: SqlAdaptor): { sql: SQL; params: number } | undefined {
  const value = field(selector.fieldpath);
  if (value === undefined) return undefined;
  switch (selector.operator) {
    case "present":
      return { sql: sql`${value} IS NOT NULL`, params: 1 };
    case "==":
      return { sql: sql`${value} = ${selector.value}`, params: 2 };
    case "!=":
      return { sql: sql`coalesce(${value}, '') <> ${selector.value}`, params: 2 };
    case "~=":
      return undefined; // D1 has no REGEXP
  }
}

/**
 * filterSql returns the OR of the filters' ANDs as one condition, or undefined when any selector
 * does not translate exactly (or the parameters would exceed MAX_FILTER_PARAMETERS). An empty set,
 * or an empty filter in it, matches everything.
 */
export function filterSql(set: FilterSet, field: SqlAdaptor): SQL | undefined {
  if (set.length === 0 || set.some((f) => f.length === 0)) return sql`1`;
  let params = 0;
  const ors: SQL[] = [];
  for (const filter of set) {
    const ands: SQL[] = [];
    for (const selector of filter) {
      const s = selectorSql(selector, field);
      if (s === undefined) return undefined;
      params += s.params;
      ands.push(s.sql);
    }
    ors.push(sql`(${sql.join(ands, sql` AND `)})`);
  }
  return params > MAX_FILTER_PARAMETERS ? undefined : sql`(${sql.join(ors, sql` OR `)})`;
}
