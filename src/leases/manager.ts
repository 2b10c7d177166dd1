/**
 * The lease manager: create, get, list, update and delete leases in a namespace. The same verbs
 * as containerd's lease manager, plus update (containerd leases are immutable; ours may be
 * relabelled or re-timed until they expire, never revived after).
 */
import { and, asc, eq, gt, gte, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { scanPage, windowPage } from "../db/scan";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../errors";
import { type FilterSet, matchFilters, parseFilters } from "../filters";
import { filterSql, labelsAdaptor } from "../filters/sql";
import { randomLeaseId } from "../model/identifiers";
import {
  countProblem,
  dropEmpty,
  LABEL_EXPIRE,
  LABEL_FLAT,
  type Labels,
  labelOf,
  MAX_LABELS,
  parseStoredLabels,
} from "../model/labels";
import { now } from "../time";
import { expiryLabel } from "./expiry";
import { isExpired, type Lease, mirrorsOf, toLease } from "./lease";
import { type LeaseRow, leaseResources, leases } from "./schema";

export interface CreateLeaseInput {
  id?: string | undefined;
  labels?: Labels | undefined;
  ttl?: number | undefined;
  expiresAt?: string | undefined;
}

/** createLease creates a lease; a taken id is `already_exists`. */
export async function createLease(db: Db, namespace: string, input: CreateLeaseInput): Promise<Lease> {
  const at = now();
  const labels = dropEmpty(input.labels ?? {});
  const expire = expiryLabel({ ttl: input.ttl, expiresAt: input.expiresAt, labelGiven: LABEL_EXPIRE in labels }, at);
  if (typeof expire === "string") labels[LABEL_EXPIRE] = expire;
  const problem = countProblem(labels);
  if (problem) throw invalidArgument(problem);

  const row: LeaseRow = {
    namespace,
    id: input.id ?? randomLeaseId(),
    createdAt: at,
    labels: JSON.stringify(labels),
    ...mirrorsOf(labels),
  };
  const result = await db.insert(leases).values(row).onConflictDoNothing().run();
  if (result.meta.changes === 0) throw alreadyExists("lease", row.id);
  return toLease(row);
}

/** findLease returns a lease row, or undefined. */
export async function findLease(db: Db, namespace: string, id: string): Promise<LeaseRow | undefined> {
  return db.query.leases.findFirst({ where: and(eq(leases.namespace, namespace), eq(leases.id, id)) });
}

/** getLease returns a lease, expired or not; a missing one is `not_found`. */
export async function getLease(db: Db, namespace: string, id: string): Promise<Lease> {
  const row = await findLease(db, namespace, id);
  if (!row) throw notFound("lease", id);
  return toLease(row);
}

/** requireLiveLease returns the lease row, or throws `not_found` or (expired) `failed_precondition`. */
export async function requireLiveLease(db: Db, namespace: string, id: string, at = now()): Promise<LeaseRow> {
  const row = await findLease(db, namespace, id);
  if (!row) throw notFound("lease", id);
  if (isExpired(row, at)) throw failedPrecondition(`lease "${id}" has expired`);
  return row;
}

export interface ListInput {
  filters: readonly string[];
  limit: number;
  cursor?: string | undefined;
}

/** leaseField is the filter adaptor for leases: `id` and `labels.<key>`. */
function leaseField(row: LeaseRow, labels: Labels, path: readonly string[]): string | undefined {
  if (path.length === 1 && path[0] === "id") return row.id;
  if (path.length > 1 && path[0] === "labels") return labelOf(labels, path.slice(1).join("."));
  return undefined;
}

const matches = (set: FilterSet, row: LeaseRow) => {
  const labels = parseStoredLabels(row.labels);
  return matchFilters(set, (path) => leaseField(row, labels, path));
};

/** LEASE_SQL_FIELDS are the filter fields of a lease as columns of a row read from `leases`. */
const LEASE_SQL_FIELDS = labelsAdaptor(sql`labels`, { id: sql`id` });

const LEASE_COLUMNS = {
  namespace: leases.namespace,
  id: leases.id,
  createdAt: leases.createdAt,
  labels: leases.labels,
  expiresAt: leases.expiresAt,
  flat: leases.flat,
};

/** afterIn is the keyset condition: leases of `namespace` with id after `after`. */
const afterIn = (namespace: string, after: string | undefined) =>
  and(eq(leases.namespace, namespace), after === undefined ? undefined : gt(leases.id, after));

/** leaseWindow selects the first `window` leases of a namespace with id after `after`, in id order. */
const leaseWindow = (db: Db, namespace: string, after: string | undefined, window: number) =>
  db.select(LEASE_COLUMNS).from(leases).where(afterIn(namespace, after)).orderBy(asc(leases.id)).limit(window);

/** WindowRead is one read of `windowPage`: `count` rows at most from `window` rows after `after`. */
interface WindowRead {
  after: string | undefined;
  window: number;
  count: number;
}

/**
 * leaseWindowStatements are the statements of one `windowPage` read: `rows`, the leases of the
 * window that `where` keeps (D1 filters them; only those rows leave the database), and `end`, how
 * many leases the window holds and its last id (a covering scan of the primary key).
 */
export function leaseWindowStatements(db: Db, namespace: string, where: SQL, read: WindowRead) {
  const w = leaseWindow(db, namespace, read.after, read.window).as("w");
  const rows = db.select().from(w).where(where).orderBy(asc(w.id)).limit(read.count);
  const k = db
    .select({ id: leases.id })
    .from(leases)
    .where(afterIn(namespace, read.after))
    .orderBy(asc(leases.id))
    .limit(read.window)
    .as("k");
  const end = db.select({ n: sql<number>`count(*)`, last: sql<string | null>`max(${k.id})` }).from(k);
  return { rows, end };
}

/** readLeaseWindow runs `rows` alone, or with `withEnd` both statements in one batch (one snapshot). */
async function readLeaseWindow(db: Db, namespace: string, where: SQL, read: WindowRead & { withEnd: boolean }) {
  const { rows, end } = leaseWindowStatements(db, namespace, where, read);
  if (!read.withEnd) return { rows: (await rows) as LeaseRow[] };
  const [got, [e]] = await db.batch([rows, end]);
  return { rows: got as LeaseRow[], end: e };
}

/** leaseFilterSql is the filter set as one SQL condition on a lease row, if SQLite can match it exactly. */
export const leaseFilterSql = (set: FilterSet): SQL | undefined => filterSql(set, LEASE_SQL_FIELDS);

/**
 * listLeases pages through a namespace's leases by id (byte order), keeping those the filters
 * match. Filters SQLite can evaluate exactly (`==`, `!=`, presence on `id` and labels) run inside
 * D1 (`windowPage`); the others (`~=`) are matched in the isolate (`scanPage`). Either way a page
 * reads at most SCAN_BUDGET rows, so a selective filter can return a short page with a cursor.
 */
export async function listLeases(db: Db, namespace: string, input: ListInput) {
  const set = parseFilters(input.filters);
  const where = set.length === 0 ? undefined : leaseFilterSql(set);
  if (where !== undefined) {
    const page = await windowPage({
      limit: input.limit,
      cursor: input.cursor,
      read: (after, window, count, withEnd) => readLeaseWindow(db, namespace, where, { after, window, count, withEnd }),
      key: (row) => row.id,
      render: toLease,
    });
    return { leases: page.items, nextCursor: page.nextCursor };
  }
  const page = await scanPage({
    limit: input.limit,
    cursor: input.cursor,
    unfiltered: set.length === 0,
    fetch: (after, count) => leaseWindow(db, namespace, after, count),
    key: (row) => row.id,
    match: (row) => matches(set, row),
    render: toLease,
  });
  return { leases: page.items, nextCursor: page.nextCursor };
}

export interface UpdateLeaseInput {
  labels?: Record<string, string | null> | undefined;
  ttl?: number | undefined;
  expiresAt?: string | null | undefined;
}

/**
 * updateLease merges labels (null removes a key) and changes expiry. An expired lease is
 * `failed_precondition`: once expired, a lease is never revived. The merge happens inside one
 * UPDATE (SQLite's json_patch has exactly these semantics), so concurrent patches never lose each
 * other's changes, and the label count is checked on the merged result in the same statement.
 */
export async function updateLease(db: Db, namespace: string, id: string, input: UpdateLeaseInput): Promise<Lease> {
  const at = now();
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input.labels ?? {})) patch[k] = v === "" ? null : v;
  const expire = expiryLabel({ ttl: input.ttl, expiresAt: input.expiresAt, labelGiven: LABEL_EXPIRE in patch }, at);
  if (expire !== undefined) patch[LABEL_EXPIRE] = expire;

  // The mirrors change only when the patch names their label; otherwise the column stays as it is.
  const mirrors = mirrorsOf(dropNulls(patch));
  const merged = sql`json_patch(${leases.labels}, ${JSON.stringify(patch)})`;
  const [row] = await db
    .update(leases)
    .set({
      labels: merged,
      ...(LABEL_EXPIRE in patch ? { expiresAt: mirrors.expiresAt } : {}),
      ...(LABEL_FLAT in patch ? { flat: mirrors.flat } : {}),
    })
    .where(
      and(
        eq(leases.namespace, namespace),
        eq(leases.id, id),
        or(isNull(leases.expiresAt), gte(leases.expiresAt, at)),
        sql`(SELECT count(*) FROM json_each(${merged})) <= ${MAX_LABELS}`,
      ),
    )
    .returning();
  if (row) return toLease(row);

  // Nothing changed: say why.
  await requireLiveLease(db, namespace, id, at);
  throw invalidArgument(`at most ${MAX_LABELS} labels are allowed`);
}

const dropNulls = (patch: Record<string, string | null>): Labels =>
  Object.fromEntries(Object.entries(patch).filter((e): e is [string, string] => e[1] !== null));

/**
 * deleteLease removes a lease and its resource entries in one batch. The resources are not
 * deleted: they only lose this root, and the collector decides their fate.
 */
export async function deleteLease(db: Db, namespace: string, id: string): Promise<void> {
  const [, removed] = await db.batch([
    db.delete(leaseResources).where(and(eq(leaseResources.namespace, namespace), eq(leaseResources.leaseId, id))),
    db.delete(leases).where(and(eq(leases.namespace, namespace), eq(leases.id, id))),
  ]);
  if (removed.meta.changes === 0) throw notFound("lease", id);
}
