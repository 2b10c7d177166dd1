/**
 * Counting wrappers for the bench Worker: every D1 statement and R2 call a request makes goes
 * through them, so each response can say what it cost. They forward every call to the real
 * binding; nothing is mocked.
 */

/** Tally is what one request spent on D1 (as D1's `meta` reports it) and on R2 (calls by method). */
export interface Tally {
  statements: number;
  rowsRead: number;
  rowsWritten: number;
  r2: Record<string, number>;
}

export const newTally = (): Tally => ({ statements: 0, rowsRead: 0, rowsWritten: 0, r2: {} });

const account = (tally: Tally, results: D1Result[]) => {
  for (const r of results) {
    tally.statements += 1;
    tally.rowsRead += r.meta?.rows_read ?? 0;
    tally.rowsWritten += r.meta?.rows_written ?? 0;
  }
};

/** inner maps a wrapped statement back to the binding's own, which `batch` requires. */
const inner = new WeakMap<object, D1PreparedStatement>();

/**
 * wrapStatement counts `run`, `all` and `first`. `raw` carries no `meta`, so it is answered from
 * `all` (values in column order, as drizzle's own batch path does); drizzle uses it for selects.
 */
function wrapStatement(stmt: D1PreparedStatement, tally: Tally): D1PreparedStatement {
  const wrapped = {
    bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), tally),
    run: async () => {
      const r = await stmt.run();
      account(tally, [r]);
      return r;
    },
    all: async () => {
      const r = await stmt.all();
      account(tally, [r]);
      return r;
    },
    first: async (column?: string) => {
      const r = await stmt.all<Record<string, unknown>>();
      account(tally, [r]);
      const row = r.results[0];
      if (row === undefined) return null;
      return column === undefined ? row : row[column];
    },
    raw: async (options?: { columnNames?: boolean }) => {
      const r = await stmt.all<Record<string, unknown>>();
      account(tally, [r]);
      const rows = r.results.map((row) => Object.values(row));
      if (options?.columnNames) return [Object.keys(r.results[0] ?? {}), ...rows];
      return rows;
    },
  } as unknown as D1PreparedStatement;
  inner.set(wrapped, stmt);
  return wrapped;
}

/** countingD1 wraps a D1 binding; `prepare` and `batch` are counted, the rest forwarded. */
export function countingD1(db: D1Database, tally: Tally): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrapStatement(target.prepare(sql), tally);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const results = await target.batch(statements.map((s) => inner.get(s) ?? s));
          account(tally, results);
          return results;
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** countingR2 wraps an R2 binding and counts calls by method (multipart aborts as `abort`). */
export function countingR2(bucket: R2Bucket, tally: Tally): R2Bucket {
  const count = (name: string) => {
    tally.r2[name] = (tally.r2[name] ?? 0) + 1;
  };
  return new Proxy(bucket, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      if (prop === "resumeMultipartUpload") {
        return (key: string, uploadId: string) => {
          count("resumeMultipartUpload");
          const upload = target.resumeMultipartUpload(key, uploadId);
          return new Proxy(upload, {
            get(u, p) {
              const v = Reflect.get(u, p);
              if (typeof v !== "function") return v;
              return (...args: unknown[]) => {
                count(String(p));
                return v.apply(u, args);
              };
            },
          });
        };
      }
      return (...args: unknown[]) => {
        count(String(prop));
        return value.apply(target, args);
      };
    },
  });
}

/** r2Calls is the total number of R2 calls in a tally (resumeMultipartUpload is local, not a call). */
export const r2Calls = (tally: Tally): number =>
  Object.entries(tally.r2).reduce((sum, [name, n]) => (name === "resumeMultipartUpload" ? sum : sum + n), 0);
