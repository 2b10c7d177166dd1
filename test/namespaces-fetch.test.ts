// The console's two admin reads (extensions, docs/api.md): GET /v1/namespaces lists the
// namespaces in use, GET /v1/namespaces/{ns}/resource-counts counts what leases hold.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { NAMESPACES_SQL } from "../src/db/namespaces";
import { needOf } from "../src/http/auth";
import { call, expectError, freshNamespace, json, sha256 } from "./helpers";

type Page = { namespaces: string[]; nextCursor: string | null };
type Counts = { counts: { lease: string; content: number; ingests: number }[] };

async function issue(role: string, namespaces: string[] | "*"): Promise<string> {
  const res = await json<{ token: string }>("POST", "/v1/tokens", { json: { role, namespaces } });
  expect(res.status).toBe(201);
  return res.body.token;
}

/** allNamespaces walks every page of GET /v1/namespaces. */
async function allNamespaces(limit: number): Promise<string[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`;
    const res = await json<Page>("GET", `/v1/namespaces?${query}`);
    expect(res.status).toBe(200);
    expect(res.body.namespaces.length).toBeLessThanOrEqual(limit);
    names.push(...res.body.namespaces);
    cursor = res.body.nextCursor;
  } while (cursor);
  return names;
}

const lease = (ns: string, id: string) => call("POST", `/v1/namespaces/${ns}/leases`, { json: { id } });

describe("GET /v1/namespaces", () => {
  it("namespaces: a lease, a blob or an ingest makes a namespace; each is listed once, by name", async () => {
    const base = freshNamespace("list");
    const [a, b, c] = [`${base}-a`, `${base}-b`, `${base}-c`];
    expect((await lease(a, "one")).status).toBe(201);
    expect((await lease(a, "two")).status).toBe(201);
    const digest = await sha256("namespaces");
    const put = await call("PUT", `/v1/namespaces/${b}/content/${digest}`, { body: "namespaces" });
    expect(put.status).toBe(201);
    expect((await call("POST", `/v1/namespaces/${c}/ingests`, { json: { ref: "up-1" } })).status).toBe(201);
    expect((await lease(c, "three")).status).toBe(201);

    for (const limit of [1, 2, 1000]) {
      const names = await allNamespaces(limit);
      expect(names.filter((n) => n.startsWith(base))).toEqual([a, b, c]);
      expect(names).toEqual([...new Set(names)].sort());
    }
  });

  it("namespaces: one is gone once nothing lives in it", async () => {
    const ns = freshNamespace("gone");
    expect((await lease(ns, "only")).status).toBe(201);
    expect(await allNamespaces(1000)).toContain(ns);
    expect((await call("DELETE", `/v1/namespaces/${ns}/leases/only`)).status).toBe(204);
    expect(await allNamespaces(1000)).not.toContain(ns);
  });

  it("namespaces: a page reads a few index entries per name, not every row", async () => {
    const base = freshNamespace("cost");
    const insert = env.DB.prepare(
      `INSERT INTO leases (namespace, id, created_at, labels, expires_at, flat)
       SELECT ?1, 'l-' || value, 0, '{}', NULL, 0 FROM json_each(?2)`,
    );
    const ids = JSON.stringify(Array.from({ length: 300 }, (_, i) => i));
    await env.DB.batch([`${base}-a`, `${base}-b`, `${base}-c`].map((ns) => insert.bind(ns, ids)));

    const result = await env.DB.prepare(NAMESPACES_SQL).bind(`${base}-`, 3).all<{ name: string }>();
    expect(result.results.map((r) => r.name)).toEqual([`${base}-a`, `${base}-b`, `${base}-c`]);
    expect(result.meta.rows_read).toBeLessThan(40);
    // The plain way reads every lease row it passes over: the bound above is not vacuous.
    const plain = await env.DB.prepare("SELECT DISTINCT namespace FROM leases WHERE namespace > ?1 LIMIT 3")
      .bind(`${base}-`)
      .all();
    expect(plain.meta.rows_read).toBeGreaterThan(300);
  });

  it.each(["limit=0", "limit=1001", "cursor=not-a-cursor"])("namespaces: %s is invalid_argument", async (q) => {
    await expectError(await call("GET", `/v1/namespaces?${q}`), 400, "invalid_argument");
  });

  it("namespaces: admin only (401 without a token, 403 for read and write tokens)", async () => {
    await expectError(await call("GET", "/v1/namespaces", { token: null }), 401, "unauthenticated");
    for (const role of ["read", "write"]) {
      const token = await issue(role, "*");
      await expectError(await call("GET", "/v1/namespaces", { token }), 403, "permission_denied");
    }
    expect((await call("GET", "/v1/namespaces", { token: await issue("admin", "*") })).status).toBe(200);
  });
});

describe("GET /v1/namespaces/{ns}/resource-counts", () => {
  const counts = (ns: string, ids: string[], token?: string | null) =>
    call("GET", `/v1/namespaces/${ns}/resource-counts?${ids.map((i) => `lease=${i}`).join("&")}`, { token });

  it("resource-counts: what each lease holds by type, in the order asked; missing leases left out", async () => {
    const ns = freshNamespace("counts");
    for (const id of ["full", "empty", "other"]) expect((await lease(ns, id)).status).toBe(201);
    const held = [
      { type: "content", id: `sha256:${"a".repeat(64)}` },
      { type: "content", id: `sha256:${"b".repeat(64)}` },
      { type: "ingests", id: "upload-1" },
    ];
    const add = await call("POST", `/v1/namespaces/${ns}/leases/full/resources`, { json: { resources: held } });
    expect(add.status).toBe(204);
    const other = await call("POST", `/v1/namespaces/${ns}/leases/other/resources`, { json: held[0] });
    expect(other.status).toBe(204);

    const res = await counts(ns, ["empty", "missing", "full", "other", "full"]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as Counts).counts).toEqual([
      { lease: "empty", content: 0, ingests: 0 },
      { lease: "full", content: 2, ingests: 1 },
      { lease: "other", content: 1, ingests: 0 },
    ]);
  });

  it("resource-counts: leases of another namespace are not counted", async () => {
    const [mine, theirs] = [freshNamespace("counts"), freshNamespace("counts")];
    expect((await lease(theirs, "shared-name")).status).toBe(201);
    const res = await counts(mine, ["shared-name"]);
    expect(((await res.json()) as Counts).counts).toEqual([]);
  });

  it("resource-counts: 100 leases in one request", async () => {
    const ns = freshNamespace("counts");
    const ids = Array.from({ length: 100 }, (_, i) => `l${i}`);
    const insert = env.DB.prepare(
      `INSERT INTO leases (namespace, id, created_at, labels, expires_at, flat)
       SELECT ?1, value, 0, '{}', NULL, 0 FROM json_each(?2)`,
    );
    await insert.bind(ns, JSON.stringify(ids)).run();
    const body = (await (await counts(ns, ids)).json()) as Counts;
    expect(body.counts.map((c) => c.lease)).toEqual(ids);
  });

  it.each([
    ["no lease", []],
    ["a malformed id", ["bad id"]],
    ["101 leases", Array.from({ length: 101 }, (_, i) => `l${i}`)],
  ])("resource-counts: %s is invalid_argument", async (_name, ids) => {
    await expectError(await counts(freshNamespace("counts"), ids), 400, "invalid_argument");
  });

  it("resource-counts: admin only, even for a token scoped to the namespace", async () => {
    const ns = freshNamespace("counts");
    await expectError(await counts(ns, ["x"], null), 401, "unauthenticated");
    for (const role of ["read", "write"]) {
      await expectError(await counts(ns, ["x"], await issue(role, [ns])), 403, "permission_denied");
    }
    expect((await counts(ns, ["x"], await issue("admin", "*"))).status).toBe(200);
  });

  it("auth: needOf makes exactly the extension reads admin-only", () => {
    expect(needOf("GET", "/v1/namespaces").access).toBe("admin");
    expect(needOf("GET", "/v1/namespaces/ci/resource-counts").access).toBe("admin");
    expect(needOf("GET", "/v1/namespaces/ci/leases")).toEqual({ namespace: "ci", access: "read" });
    expect(needOf("GET", "/v1/namespaces/resource-counts/leases")).toEqual({
      namespace: "resource-counts",
      access: "read",
    });
  });
});
