/**
 * Query plans of the statements the bench measures, from SQLite's EXPLAIN QUERY PLAN, so
 * docs/performance.md can say which index serves which query. Drizzle statements are rendered
 * with `toSQL()`; the collector's come from `src/gc/sql.ts` as they run.
 */
import { and, asc, eq, gt } from "drizzle-orm";
import { contentStatement } from "../src/content/info";
import { openDb } from "../src/db/client";
import { parseFilters } from "../src/filters";
import { dequeueSql, markSql, queuedSql, sweepSql, unreferencedSql } from "../src/gc/sql";
import { leaseFilterSql, leaseWindowStatements } from "../src/leases/manager";
import { holdStatement } from "../src/leases/resources";
import { leases } from "../src/leases/schema";

/** paramCount is how many parameters a statement numbers or places. */
const paramCount = (sql: string): number => {
  const numbered = [...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1]));
  return numbered.length > 0 ? Math.max(...numbered) : (sql.match(/\?/g) ?? []).length;
};

/** queryPlans returns `{ name: plan lines }` for every measured statement. */
export async function queryPlans(d1: D1Database): Promise<Record<string, string[]>> {
  const db = openDb(d1);
  const teamCi = leaseFilterSql(parseFilters(["labels.team==ci"]));
  if (teamCi === undefined) throw new Error("labels.team==ci should filter in D1");
  const window = leaseWindowStatements(db, "n", teamCi, { after: "a", window: 5000, count: 1001 });
  const statements: Record<string, { sql: string; params?: unknown[] }> = {
    "lease create": db.insert(leases).values({ namespace: "n", id: "i", createdAt: 0 }).onConflictDoNothing().toSQL(),
    "lease lookup": db
      .select()
      .from(leases)
      .where(and(eq(leases.namespace, "n"), eq(leases.id, "i")))
      .toSQL(),
    "lease list page": db
      .select()
      .from(leases)
      .where(and(eq(leases.namespace, "n"), gt(leases.id, "a")))
      .orderBy(asc(leases.id))
      .limit(1001)
      .toSQL(),
    "lease list page, filter in D1": window.rows.toSQL(),
    "lease list window end": window.end.toSQL(),
    "add resources": holdStatement(db, "n", "l", [{ type: "content", id: "sha256:0" }], 0).toSQL(),
    "content by digest": contentStatement(db, "n", "sha256:0").toSQL(),
    "gc mark": { sql: markSql(false) },
    ...Object.fromEntries(sweepSql(false).map((sql, i) => [`gc sweep ${i + 1}`, { sql }])),
    "gc queued": { sql: queuedSql(false) },
    "gc dequeue": { sql: dequeueSql },
    "gc unreferenced": { sql: unreferencedSql },
  };
  const plans: Record<string, string[]> = {};
  for (const [name, { sql, params }] of Object.entries(statements)) {
    const values = params ?? Array.from({ length: paramCount(sql) }, () => null);
    const { results } = await d1
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...values)
      .all<{ detail: string }>();
    plans[name] = results.map((r) => r.detail);
  }
  return plans;
}
