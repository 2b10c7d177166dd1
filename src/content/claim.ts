/**
 * Ingest claims: at most one request at a time writes a part of an ingest or commits it.
 *
 * Why: R2 replaces a part uploaded twice under the same number. If two PATCHes at the same offset
 * both uploaded part n and only one recorded its etag, the bytes in R2 could be the other's and
 * the commit would fail. So a request first claims the ingest with one conditional UPDATE (a
 * random token and an expiry), uploads only if it won, and clears the claim in the UPDATE that
 * records its part. A request that dies leaves a claim that goes stale after CLAIM_TTL_MS.
 *
 * Taking the claim also moves an unleased ingest's expiry to 24 h from then, in the same UPDATE:
 * a part that starts just before the expiry must not lose its ingest to the collector mid-upload.
 * The claim and a sweep are serialised by D1: the sweep either came first (the claim finds no row,
 * 404) or sees the new expiry.
 */
import { and, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { INGEST_TTL_MS, type IngestRow, ingests } from "./schema";

/** CLAIM_TTL_MS is how long a claim stays valid: long enough for a 100 MiB part on a slow link. */
export const CLAIM_TTL_MS = 15 * 60_000;

/** byRef selects one ingest. */
export const byRef = (namespace: string, ref: string) => and(eq(ingests.namespace, namespace), eq(ingests.ref, ref));

/** claimIngest takes the claim when no live one exists and `condition` holds; undefined when it did not. */
export async function claimIngest(
  db: Db,
  namespace: string,
  ref: string,
  token: string,
  at: number,
  condition?: SQL,
): Promise<IngestRow | undefined> {
  const [row] = await db
    .update(ingests)
    .set({
      claim: token,
      claimExpiresAt: at + CLAIM_TTL_MS,
      expiresAt: sql`CASE WHEN ${ingests.leaseId} IS NULL THEN ${at + INGEST_TTL_MS} ELSE ${ingests.expiresAt} END`,
    })
    .where(and(byRef(namespace, ref), or(isNull(ingests.claim), lt(ingests.claimExpiresAt, at)), condition))
    .returning();
  return row;
}

/** releaseClaim clears the claim if it is still `token`'s. */
export async function releaseClaim(db: Db, namespace: string, ref: string, token: string): Promise<void> {
  await db
    .update(ingests)
    .set({ claim: null, claimExpiresAt: null })
    .where(and(byRef(namespace, ref), eq(ingests.claim, token)));
}

/** holdsClaim is true inside a statement while the ingest exists and `token` holds its claim. */
export const holdsClaim = (namespace: string, ref: string, token: string): SQL =>
  sql`EXISTS (SELECT 1 FROM ingests WHERE namespace = ${namespace} AND ref = ${ref} AND claim = ${token})`;
