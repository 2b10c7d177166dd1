/**
 * Lease resources: add, remove and list what a lease holds. Adding is a set operation
 * (idempotent) and does not require the resource to exist: leasing a digest before it is uploaded
 * protects it from its first instant.
 */
import { and, asc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { failedPrecondition, notFound } from "../errors";
import { decodeCursor, encodeCursor } from "../model/cursor";
import { now } from "../time";
import { isExpired } from "./lease";
import { findLease, requireLiveLease } from "./manager";
import { type ManagedResource, parseResource, parseResourceType, type Resource } from "./resource";
import { leaseResources, leases } from "./schema";

/**
 * holdStatement inserts resources into a lease only if the lease exists and is unexpired at `at`,
 * all in one statement. The resources travel as one JSON parameter, so any number of them stays
 * within D1's limit of 100 bound parameters. Put it in the same batch as the write it protects:
 * the collector sweeps in one batch too, so either the lease is still there and the rows land,
 * or it is gone and nothing lands. `when` is a further SQL condition evaluated in the same
 * statement (default: always).
 */
export function holdStatement(
  db: Db,
  namespace: string,
  leaseId: string,
  resources: ManagedResource[],
  at: number,
  when: SQL = sql`1`,
) {
  const pairs = JSON.stringify(resources.map((r) => [r.type, r.id]));
  return db
    .insert(leaseResources)
    .select(
      sql`SELECT ${namespace}, ${leaseId}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
          FROM json_each(${pairs}) WHERE ${liveLease(namespace, leaseId, at)} AND ${when}`,
    )
    .onConflictDoNothing();
}

/** liveLease is an SQL condition: lease `leaseId` exists and is unexpired at `at`. */
export const liveLease = (namespace: string, leaseId: string, at: number): SQL =>
  sql`EXISTS (SELECT 1 FROM leases WHERE namespace = ${namespace} AND id = ${leaseId}
        AND (expires_at IS NULL OR expires_at >= ${at}))`;

/**
 * leaseExpiryStatement reads a lease's expiry inside a batch, as a list of at most one row, to
 * tell after the batch whether a `holdStatement` landed. (A relational `findFirst` inside a
 * drizzle batch throws when it finds no row, so this is a plain select.)
 */
export const leaseExpiryStatement = (db: Db, namespace: string, leaseId: string) =>
  db
    .select({ expiresAt: leases.expiresAt })
    .from(leases)
    .where(and(eq(leases.namespace, namespace), eq(leases.id, leaseId)))
    .limit(1);

/** assertHeld turns the lease read by `leaseExpiryStatement` into `not_found` / `failed_precondition`. */
export function assertHeld(row: { expiresAt: number | null } | undefined, leaseId: string, at: number): void {
  if (!row) throw notFound("lease", leaseId);
  if (isExpired(row, at)) throw failedPrecondition(`lease "${leaseId}" has expired`);
}

/** unique drops repeated resources so a batch reports each once. */
function unique(resources: ManagedResource[]): ManagedResource[] {
  const seen = new Map(resources.map((r) => [`${r.type}\u0000${r.id}`, r]));
  return [...seen.values()];
}

/**
 * addResources adds resources to a lease, all or none. The lease is checked before the types
 * (containerd order): a missing lease is `not_found` whatever the resources look like.
 */
export async function addResources(db: Db, namespace: string, leaseId: string, resources: Resource[]): Promise<void> {
  const at = now();
  await requireLiveLease(db, namespace, leaseId, at);
  const parsed = unique(resources.map(parseResource));
  const [, [lease]] = await db.batch([
    holdStatement(db, namespace, leaseId, parsed, at),
    leaseExpiryStatement(db, namespace, leaseId),
  ]);
  assertHeld(lease, leaseId, at);
}

/** removeResource drops one resource from a lease; removing one it does not hold succeeds. */
export async function removeResource(db: Db, namespace: string, leaseId: string, resource: Resource): Promise<void> {
  if (!(await findLease(db, namespace, leaseId))) throw notFound("lease", leaseId);
  const { type, id } = parseResource(resource);
  await db
    .delete(leaseResources)
    .where(
      and(
        eq(leaseResources.namespace, namespace),
        eq(leaseResources.leaseId, leaseId),
        eq(leaseResources.type, type),
        eq(leaseResources.resourceId, id),
      ),
    );
}

export interface ListResourcesInput {
  type?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** listResources pages through a lease's resources sorted by type then id, dangling ones included. */
export async function listResources(db: Db, namespace: string, leaseId: string, input: ListResourcesInput) {
  if (!(await findLease(db, namespace, leaseId))) throw notFound("lease", leaseId);
  const type = input.type === undefined ? undefined : parseResourceType(input.type);
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor, 2);

  const rows = await db
    .select({ type: leaseResources.type, id: leaseResources.resourceId })
    .from(leaseResources)
    .where(
      and(
        eq(leaseResources.namespace, namespace),
        eq(leaseResources.leaseId, leaseId),
        type === undefined ? undefined : eq(leaseResources.type, type),
        after === undefined
          ? undefined
          : or(
              gt(leaseResources.type, after[0] ?? ""),
              and(eq(leaseResources.type, after[0] ?? ""), gt(leaseResources.resourceId, after[1] ?? "")),
            ),
      ),
    )
    .orderBy(asc(leaseResources.type), asc(leaseResources.resourceId))
    .limit(input.limit + 1);

  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > input.limit && last ? encodeCursor([last.type, last.id]) : null;
  return { resources: page, nextCursor };
}
