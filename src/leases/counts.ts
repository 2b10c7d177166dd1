/** Resource counts: how many resources of each managed type some leases hold, in one statement. */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

/** ResourceCount is what one lease holds, by type. */
export interface ResourceCount {
  lease: string;
  content: number;
  ingests: number;
}

/**
 * countResources counts the resources each named lease of the namespace holds. The ids travel as
 * one JSON parameter, so the statement stays within D1's bound-parameter limit whatever their
 * number. Leases that do not exist are left out; the others come back in the order asked.
 * Expired leases not yet collected are counted like the rest.
 */
export async function countResources(db: Db, namespace: string, leaseIds: string[]): Promise<ResourceCount[]> {
  const rows = await db.all<ResourceCount>(sql`
    SELECT l.id AS lease,
      COUNT(CASE WHEN r.type = 'content' THEN 1 END) AS content,
      COUNT(CASE WHEN r.type = 'ingests' THEN 1 END) AS ingests
    FROM leases AS l
    LEFT JOIN lease_resources AS r ON r.namespace = l.namespace AND r.lease_id = l.id
    WHERE l.namespace = ${namespace} AND l.id IN (SELECT value FROM json_each(${JSON.stringify(leaseIds)}))
    GROUP BY l.id`);
  const byId = new Map(rows.map((r) => [r.lease, r]));
  return [...new Set(leaseIds)].flatMap((id) => byId.get(id) ?? []);
}
