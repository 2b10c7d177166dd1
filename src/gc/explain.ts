/** Explain: why the collector keeps a resource, as a path from a root to it. */
import { parseResource } from "../leases/resource";
import { now } from "../time";
import { GcStore } from "./d1";

/** PathNode is one step of a path: a lease, a blob or an ingest. */
export interface PathNode {
  type: string;
  id: string;
}

/** Reason says what keeps a resource: a lease, the gc.root label, a reference, an ingest's own expiry. */
export type Reason = "lease" | "root" | "reference" | "ingest";

/** Explanation is the contract's explain object; a dead resource has reason null and an empty path. */
export interface Explanation {
  type: string;
  id: string;
  live: boolean;
  reason: Reason | null;
  path: PathNode[];
}

/**
 * explain tells whether the next collection would keep a resource and why, evaluated now. A
 * leased digest that does not exist yet is live (it is protected from its first instant). The
 * type and id are validated like lease resources (`invalid_argument` / `not_implemented`).
 */
export async function explain(db: D1Database, namespace: string, type: string, id: string): Promise<Explanation> {
  const resource = parseResource({ type, id });
  const row = await new GcStore(db).explain(namespace, resource.type, resource.id, now());
  if (!row) return { type: resource.type, id: resource.id, live: false, reason: null, path: [] };
  return {
    type: resource.type,
    id: resource.id,
    live: true,
    reason: row.reason as Reason,
    path: JSON.parse(row.path) as PathNode[],
  };
}
