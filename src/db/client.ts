import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** Db is the typed Drizzle handle on the D1 database. */
export type Db = DrizzleD1Database<typeof schema>;

/** openDb wraps the D1 binding; cheap enough to call once a request. */
export const openDb = (d1: D1Database): Db => drizzle(d1, { schema });

/**
 * MAX_BOUND_PARAMETERS is D1's limit on bound parameters in one statement. Statements that take
 * many values pass them as one JSON parameter read with json_each instead of one parameter each.
 */
export const MAX_BOUND_PARAMETERS = 100;
