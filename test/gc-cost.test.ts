import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { clearMarksSql, markSql, queuedSql, sweepSql, unreferencedSql } from "../src/gc/sql";
import { chain, collectNs, putBlobs, putLease } from "./gc-seed";
import { freshNamespace } from "./helpers";

const BLOBS = 20_000;
const CHAIN = 10;

it("cost: collecting 20,000 blobs in reference chains reads at most 10 rows per blob", async () => {
  const ns = freshNamespace();
  const blobs = await putBlobs(ns, BLOBS);
  const digests = blobs.map((b) => b.digest);
  // 2,000 chains of 10; every other chain is leased at its head, the rest is dead.
  const heads: string[] = [];
  for (let i = 0; i < BLOBS; i += CHAIN) {
    const links = digests.slice(i, i + CHAIN);
    await chain(ns, links);
    if ((i / CHAIN) % 2 === 0) heads.push(links[0] ?? "");
  }
  await putLease(ns, "half", { content: heads });

  const { run, cost } = await collectNs(ns);
  expect(run).toMatchObject({ complete: true, contentDeleted: BLOBS / 2, objectsDeleted: BLOBS / 2 });
  const perBlob = cost.rowsRead / BLOBS;
  console.info(JSON.stringify({ cost, perBlob }));
  expect(perBlob).toBeLessThanOrEqual(10);
}, 180_000);

it("cost: the collector's statements use indexes, never a scan of a table they only probe", async () => {
  const plans: string[] = [];
  const statements = [
    markSql(true),
    markSql(false),
    ...sweepSql(true),
    ...sweepSql(false),
    queuedSql(true),
    unreferencedSql,
  ];
  for (const sql of [clearMarksSql, ...statements]) {
    const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(
        ...Array.from({ length: Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((m) => Number(m[1]))) }, () => null),
      )
      .all<{ detail: string }>();
    plans.push(rows.results.map((r) => r.detail).join("\n"));
  }
  const all = plans.join("\n");
  // Probed tables (marks, references, leases, the lock, the queue) are searched by index, never scanned.
  expect(all).not.toMatch(/\bSCAN (m|f|l|gc_lock|gc_deletions|leases)\b/);
  expect(all).toMatch(/SEARCH content USING COVERING INDEX content_roots/);
  expect(all).toMatch(
    /SEARCH r USING INDEX lease_resources_by_resource \(namespace=\? AND type=\? AND resource_id=\?\)/,
  );
  expect(all).toMatch(/SEARCH f USING INDEX sqlite_autoindex_content_refs_1 \(namespace=\? AND digest=\?\)/);
  expect(all).toMatch(/content_object_key \(object_key=\?\)/);
  expect(all).toMatch(/ingests_object_key \(object_key=\?\)/);
});
