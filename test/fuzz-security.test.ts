/**
 * Property test: random and malformed paths, ids, labels, filters, headers and bodies thrown at
 * every published route. Whatever arrives: never a 5xx, always the error envelope on a 4xx, and a
 * 4xx changes no stored state.
 */
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { call, freshNamespace, json } from "./helpers";

type Route = { method: string; template: string };

const TABLES = ["leases", "lease_resources", "content", "content_refs", "ingests", "tokens", "gc_deletions"];

/** fingerprint summarises every table that a request could change. */
async function fingerprint(): Promise<string> {
  const existing = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>();
  const names = new Set(existing.results.map((r) => r.name));
  const parts = await Promise.all(
    TABLES.filter((t) => names.has(t)).map(async (t) => {
      const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${t}`).first<{ n: number }>();
      return `${t}:${row?.n}`;
    }),
  );
  const labels = await env.DB.prepare("SELECT group_concat(labels, '|') AS l FROM leases").first<{ l: string }>();
  return `${parts.join(",")};${labels?.l ?? ""}`;
}

let routes: Route[] = [];
const statuses = new Map<number, number>();
let ns = "";

beforeAll(async () => {
  ns = freshNamespace("fuzz");
  const doc = await json<{ paths: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
  routes = Object.entries(doc.body.paths)
    .filter(([p]) => p.startsWith("/v1/"))
    .flatMap(([p, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), template: p })));
  await json("POST", `/v1/namespaces/${ns}/leases`, { json: { id: "present", labels: { a: "b" } } });
});

const nasty = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom(
    "..",
    "%2e%2e",
    "a%2Fb",
    "%00",
    "a%0Ab",
    "%ZZ",
    "present",
    "x".repeat(300),
    `sha256:${"0".repeat(64)}`,
    `sha256:${"A".repeat(64)}`,
    "ünï",
    "%F0%9F%92%A9",
    "a b",
  ),
);

const body = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.constantFrom(
    "{",
    "[]",
    "null",
    '{"labels": {"": "x"}}',
    '{"labels": {"containerd.io/gc.expire": "never"}}',
    `{"resources": ${JSON.stringify(Array(1001).fill({ type: "content", id: "x" }))}}`,
    '{"id": "present"}',
    "\u0000\u0001",
    JSON.stringify({ a: { b: { c: { d: { e: { f: { g: {} } } } } } } }),
  ),
);

const query = fc.oneof(
  fc.constant(""),
  fc.string({ maxLength: 40 }).map((s) => `?filter=${encodeURIComponent(s)}`),
  fc.constantFrom(
    "?limit=-1",
    "?limit=99999",
    "?cursor=%%",
    "?sync=maybe",
    "?type=snapshots&id=x",
    "?filter=id~=(",
    "?filter=%00",
  ),
);

const headers = fc.record(
  {
    "content-type": fc.constantFrom(
      "application/json",
      "text/plain",
      "application/octet-stream",
      "multipart/form-data",
    ),
    "lease-id": nasty.map((s) => s.replace(/[^\x20-\x7e]/g, "?")),
    "upload-offset": fc.oneof(fc.nat().map(String), fc.string({ maxLength: 10 })),
    range: fc.constantFrom("bytes=0-0", "bytes=5-1", "bytes=-0", "garbage", "bytes=0-1,3-4"),
    "if-none-match": fc.string({ maxLength: 20 }),
  },
  { requiredKeys: [] },
);

it("fuzz: no input makes a route answer 5xx, every 4xx is the envelope and changes nothing", async () => {
  expect(routes.length).toBeGreaterThan(5);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 10_000 }),
      nasty,
      nasty,
      query,
      body,
      headers,
      async (pick, a, b, q, payload, hdrs) => {
        const route = routes[pick % routes.length] as Route;
        const safe = (s: string) => s.replaceAll("/", "%2F").replaceAll("?", "%3F").replaceAll("#", "%23");
        let n = 0;
        const path = route.template.replace(/\{(\w+)\}/g, (_, name: string) =>
          name === "ns" ? (pick % 3 === 0 ? safe(a) : ns) : safe(n++ % 2 === 0 ? a : b),
        );
        const before = await fingerprint();
        const canHaveBody = !["GET", "HEAD"].includes(route.method);
        const res = await call(route.method, `${path}${q}`, {
          headers: hdrs as Record<string, string>,
          ...(canHaveBody ? { body: payload } : {}),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, `${route.method} ${path}${q} -> ${res.status} ${text}`).toBeLessThan(500);
        if (res.status >= 400 && route.method !== "HEAD") {
          const parsed = JSON.parse(text) as { error: { code: string; message: string; requestId: string } };
          expect(parsed.error.requestId).toBe(res.headers.get("Request-Id"));
          expect(parsed.error.message).not.toMatch(/SQLITE|D1_ERROR|\.ts:\d+/);
          expect(await fingerprint(), `${route.method} ${path}${q} changed state`).toBe(before);
        }
      },
    ),
    { numRuns: 300, seed: 20261203 },
  );
  // The inputs reach past validation too: some requests succeed, most are refused.
  const ok = [...statuses].filter(([s]) => s < 300).reduce((n, [, c]) => n + c, 0);
  expect(ok).toBeGreaterThan(0);
  expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
});
