import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * tokens: bearer tokens issued through `POST /v1/tokens`. Only a SHA-256 hash of each token is
 * stored; the secret is shown once, when it is created. The bootstrap admin token is not a row: it
 * is the `ADMIN_TOKEN` secret of the deployment.
 */
export const tokens = sqliteTable("tokens", {
  /** Public id, also the first part of the token (`lh_<id>_<secret>`). */
  id: text("id").primaryKey(),
  /** Hex SHA-256 of the whole token. */
  hash: text("hash").notNull(),
  /** `read`, `write` or `admin`. */
  role: text("role").notNull(),
  /** JSON array of namespace names, or the JSON string "*" for all namespaces. */
  namespaces: text("namespaces").notNull(),
  description: text("description").notNull().default(""),
  /** Milliseconds since the Unix epoch. */
  createdAt: integer("created_at").notNull(),
});

export type TokenRow = typeof tokens.$inferSelect;
