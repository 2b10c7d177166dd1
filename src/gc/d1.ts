/**
 * The collector's D1 adapter. It runs the statements of `sql.ts` on the raw binding (drizzle's
 * batch cannot carry raw statements) and adds up what D1 reports for each one, so a run can
 * state its cost: statements executed and rows read and written.
 */
import {
  clearMarksSql,
  deleteStateSql,
  dequeueSql,
  drySql,
  explainContentSql,
  explainIngestSql,
  getStateSql,
  markSql,
  postponeSql,
  putStateSql,
  queuedSql,
  releaseLockSql,
  SWEEP_RESULTS,
  sweepSql,
  takeLockSql,
  unreferencedSql,
} from "./sql";

/** Cost is what D1 reported for the statements an adapter ran. */
export interface Cost {
  statements: number;
  rowsRead: number;
  rowsWritten: number;
}

/** SweepCounts are the rows an expire, mark and sweep batch removed (or, dry, would remove). */
export interface SweepCounts {
  leasesExpired: number;
  contentDeleted: number;
  ingestsAborted: number;
  /** Dry runs only: bytes and R2 objects the removal would free, queued ones included. */
  bytesFreed: number;
  objectsDeleted: number;
}

/** QueuedDeletion is one entry of gc_deletions. */
export interface QueuedDeletion {
  /** The queue row's rowid, to dequeue it cheaply. */
  id: number;
  key: string;
  uploadId: string | null;
  size: number;
  pointed: number;
}

/** Scope is the namespace a run collects, or null for every namespace. */
export type Scope = string | null;

/** bind binds exactly the parameters a statement numbers (`?1`..`?n`), as D1 requires. */
function bind(db: D1Database, sql: string, values: unknown[]): D1PreparedStatement {
  let max = 0;
  for (const m of sql.matchAll(/\?(\d+)/g)) max = Math.max(max, Number(m[1]));
  return db.prepare(sql).bind(...values.slice(0, max).map((v) => v ?? null));
}

/** GcStore is the collector's view of D1. One store per run: it accumulates the run's cost. */
export class GcStore {
  readonly cost: Cost = { statements: 0, rowsRead: 0, rowsWritten: 0 };

  constructor(private readonly db: D1Database) {}

  private account(results: D1Result[]): void {
    for (const r of results) {
      this.cost.statements += 1;
      this.cost.rowsRead += r.meta.rows_read ?? 0;
      this.cost.rowsWritten += r.meta.rows_written ?? 0;
    }
  }

  private async all<T>(sql: string, values: unknown[]): Promise<T[]> {
    const result = await bind(this.db, sql, values).all<T>();
    this.account([result]);
    return result.results;
  }

  private async batch(statements: D1PreparedStatement[]): Promise<D1Result[]> {
    const results = await this.db.batch(statements);
    this.account(results);
    return results;
  }

  /**
   * sweep expires leases, marks and sweeps in ONE batch (one transaction: no request can add a
   * reference between the mark and the sweep), queueing the R2 keys of what it removed.
   */
  async sweep(scope: Scope, holder: string, at: number): Promise<SweepCounts> {
    const values = [at, holder, scope];
    const scoped = scope !== null;
    const sweeps = sweepSql(scoped);
    const results = await this.batch([
      bind(this.db, clearMarksSql, []),
      // expire runs first in `sweeps`; the mark ignores expired leases either way.
      ...sweeps.slice(0, 2).map((s) => bind(this.db, s, values)),
      bind(this.db, markSql(scoped), values),
      ...sweeps.slice(2).map((s) => bind(this.db, s, values)),
      bind(this.db, clearMarksSql, []),
    ]);
    // results: [clear, expire x2, mark, sweep x5, clear]; map sweepSql indexes past the mark.
    const changes = (i: number) => results[i < 2 ? i + 1 : i + 2]?.meta.changes ?? 0;
    return {
      leasesExpired: changes(SWEEP_RESULTS.leasesExpired),
      contentDeleted: changes(SWEEP_RESULTS.contentDeleted),
      ingestsAborted: changes(SWEEP_RESULTS.ingestsAborted),
      bytesFreed: 0,
      objectsDeleted: 0,
    };
  }

  /** drySweep marks like `sweep` and counts what it would remove; net, it changes nothing. */
  async drySweep(scope: Scope, at: number): Promise<SweepCounts> {
    const values = [at, null, scope];
    const scoped = scope !== null;
    const results = await this.batch([
      bind(this.db, clearMarksSql, []),
      bind(this.db, markSql(scoped), values),
      ...drySql(scoped).map((s) => bind(this.db, s, values)),
      bind(this.db, clearMarksSql, []),
    ]);
    const row = (i: number) => (results[i + 2]?.results[0] ?? { n: 0, bytes: 0 }) as { n: number; bytes: number };
    const [leases, content, ingests, queued] = [row(0), row(1), row(2), row(3)];
    return {
      leasesExpired: leases.n,
      contentDeleted: content.n,
      ingestsAborted: ingests.n,
      bytesFreed: content.bytes + queued.bytes,
      objectsDeleted: content.n + ingests.n + queued.n,
    };
  }

  /** takeLock takes the collector lock until `until`; false if another live run holds it. */
  async takeLock(holder: string, at: number, until: number): Promise<boolean> {
    return (await this.all(takeLockSql, [at, holder, until])).length === 1;
  }

  /** releaseLock frees the lock if `holder` still has it. */
  async releaseLock(holder: string): Promise<void> {
    await this.all(releaseLockSql, [holder]);
  }

  /** queued returns up to `limit` queued R2 deletions of the scope that are due at `at`. */
  queued(scope: Scope, limit: number, at: number): Promise<QueuedDeletion[]> {
    return this.all<QueuedDeletion>(queuedSql(scope !== null), [at, limit, scope]);
  }

  /** postpone sets deletions whose R2 call failed aside, with a backoff growing per attempt. */
  async postpone(entries: QueuedDeletion[], at: number): Promise<void> {
    if (entries.length > 0) await this.all(postponeSql, [at, JSON.stringify(entries.map((e) => e.id))]);
  }

  /** dequeue removes finished deletions (one JSON parameter, any number of them). */
  async dequeue(entries: QueuedDeletion[]): Promise<void> {
    if (entries.length > 0) await this.all(dequeueSql, [JSON.stringify(entries.map((e) => e.id))]);
  }

  /** unreferenced keeps the keys that no content or ingest row points at and the queue lacks. */
  async unreferenced(keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.all<{ key: string }>(unreferencedSql, [JSON.stringify(keys)]);
    return new Set(rows.map((r) => r.key));
  }

  /** explain returns why a resource is live (reason and JSON path), or undefined when it is not. */
  async explain(namespace: string, type: "content" | "ingests", id: string, at: number) {
    const sql = type === "content" ? explainContentSql : explainIngestSql;
    const [row] = await this.all<{ reason: string; path: string }>(sql, [at, id, namespace]);
    return row;
  }

  /** getState reads a saved JSON value, or undefined. */
  async getState<T>(name: string): Promise<T | undefined> {
    const [row] = await this.all<{ value: string }>(getStateSql, [name]);
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  /** putState saves a JSON value; undefined deletes it. */
  async putState(name: string, value: unknown): Promise<void> {
    if (value === undefined) await this.all(deleteStateSql, [name]);
    else await this.all(putStateSql, [name, JSON.stringify(value)]);
  }
}
