import { env } from "cloudflare:workers";
import { expect, it } from "vitest";

it("migrations: every file in migrations/ was applied", async () => {
  const applied = await env.DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
  const names = applied.results.map((r) => r.name);
  expect(names).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
  expect(names.length).toBeGreaterThan(0);
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'leases'").all();
  expect(tables.results).toHaveLength(1);
});
