import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * leases: one row a lease. A lease is a namespaced, labelled garbage-collection root.
 *
 * `labels` is the JSON object of the lease's labels, as stored (empty values dropped).
 * `expiresAt` mirrors the `containerd.io/gc.expire` label in milliseconds since the Unix epoch
 * (null: never expires); `flat` mirrors `containerd.io/gc.flat` (1: flat). The mirrors exist so the
 * collector can find expired leases and flat leases with an index instead of parsing labels.
 */
export const leases = sqliteTable(
  "leases",
  {
    namespace: text("namespace").notNull(),
    id: text("id").notNull(),
    /** Milliseconds since the Unix epoch. */
    createdAt: integer("created_at").notNull(),
    /** JSON object of string to string. */
    labels: text("labels").notNull().default("{}"),
    /** Milliseconds since the Unix epoch; null when the lease never expires. */
    expiresAt: integer("expires_at"),
    /** 1 when the lease carries `containerd.io/gc.flat`, else 0. */
    flat: integer("flat").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.id] }), index("leases_expires_at").on(t.expiresAt)],
);

/**
 * lease_resources: the set of resources a lease holds. A resource is `{type, id}`; membership is
 * row presence, so adding twice is a no-op. A resource need not exist (yet) to be held.
 */
export const leaseResources = sqliteTable(
  "lease_resources",
  {
    namespace: text("namespace").notNull(),
    leaseId: text("lease_id").notNull(),
    /** `content` or `ingests`. */
    type: text("type").notNull(),
    /** A digest for `content`, an ingest ref for `ingests`. */
    resourceId: text("resource_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.namespace, t.leaseId, t.type, t.resourceId] }),
    index("lease_resources_by_resource").on(t.namespace, t.type, t.resourceId),
  ],
);

export type LeaseRow = typeof leases.$inferSelect;
export type LeaseResourceRow = typeof leaseResources.$inferSelect;
