import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { openDb } from "../src/db/client";
import { LeaseholdError } from "../src/errors";
import { createLease, deleteLease } from "../src/leases/manager";
import { addResources, assertHeld, holdStatement, leaseExpiryStatement } from "../src/leases/resources";
import { freshNamespace } from "./helpers";

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

it("add: racing a lease delete answers not_found, never an internal error", async () => {
  const db = openDb(env.DB);
  const ns = freshNamespace();
  const outcomes = new Set<string>();
  for (let round = 0; round < 30; round++) {
    const id = `l${round}`;
    await createLease(db, ns, { id });
    const [added] = await Promise.allSettled([
      addResources(db, ns, id, [{ type: "content", id: digest(round) }]),
      deleteLease(db, ns, id),
    ]);
    if (added.status === "fulfilled") outcomes.add("added");
    else {
      expect(added.reason).toBeInstanceOf(LeaseholdError);
      expect((added.reason as LeaseholdError).code).toBe("not_found");
      outcomes.add("not_found");
    }
  }
  // Whatever the interleaving, no resource row outlives its lease.
  const orphans = await env.DB.prepare(
    "SELECT count(*) AS n FROM lease_resources r WHERE r.namespace = ? AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.namespace = r.namespace AND l.id = r.lease_id)",
  )
    .bind(ns)
    .first<{ n: number }>();
  expect(orphans?.n).toBe(0);
  expect(outcomes.size).toBeGreaterThan(0);
});

it("add: a batch that finds its lease gone reports not_found (the lease read may find no row)", async () => {
  const db = openDb(env.DB);
  const ns = freshNamespace();
  const held = [{ type: "content" as const, id: digest(1) }];
  const [, [lease]] = await db.batch([
    holdStatement(db, ns, "gone", held, Date.now()),
    leaseExpiryStatement(db, ns, "gone"),
  ]);
  expect(lease).toBeUndefined();
  expect(() => assertHeld(lease, "gone", Date.now())).toThrow('lease "gone" not found');
});
