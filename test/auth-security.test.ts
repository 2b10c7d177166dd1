import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, expectError, freshNamespace, json } from "./helpers";

type Issued = { id: string; token: string; role: string; namespaces: string[] | "*"; createdAt: string };

async function issue(role: string, namespaces: string[] | "*"): Promise<Issued> {
  const res = await json<Issued>("POST", "/v1/tokens", { json: { role, namespaces } });
  expect(res.status).toBe(201);
  return res.body;
}

// Every /v1 route of the published OpenAPI document, with its parameters filled in.
async function routes(ns: string): Promise<{ method: string; path: string }[]> {
  const doc = await json<{ paths: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
  const fill: Record<string, string> = {
    ns,
    id: "x",
    digest: `sha256:${"0".repeat(64)}`,
    ref: "r",
  };
  return Object.entries(doc.body.paths)
    .filter(([p]) => p.startsWith("/v1/"))
    .flatMap(([p, ops]) =>
      Object.keys(ops).map((method) => ({
        method: method.toUpperCase(),
        path: p.replace(/\{(\w+)\}/g, (_, name: string) => fill[name] ?? "x"),
      })),
    );
}

describe("authentication", () => {
  let ns: string;
  let all: { method: string; path: string }[];
  let revoked: Issued;
  beforeAll(async () => {
    ns = freshNamespace("sec");
    all = await routes(ns);
    revoked = await issue("admin", "*");
    expect((await call("DELETE", `/v1/tokens/${revoked.id}`)).status).toBe(204);
  });

  it("auth: the published routes include every area", () => {
    expect(all.length).toBeGreaterThanOrEqual(10);
    expect(all.map((r) => r.path)).toContain("/v1/tokens");
  });

  const cases: [string, () => Record<string, string>][] = [
    ["no token", () => ({})],
    ["a malformed header", () => ({ authorization: "Token abc" })],
    ["an unknown token", () => ({ authorization: `Bearer lh_${"1".repeat(16)}_${"2".repeat(64)}` })],
    ["garbage", () => ({ authorization: "Bearer %%%" })],
    ["an empty bearer", () => ({ authorization: "Bearer " })],
    ["a revoked token", () => ({ authorization: `Bearer ${revoked.token}` })],
  ];
  it.each(cases)("auth: every /v1 route answers 401 to %s", async (_name, headers) => {
    for (const route of all) {
      const res = await call(route.method, route.path, { headers: headers(), token: null });
      expect(`${route.method} ${route.path} ${res.status}`).toBe(`${route.method} ${route.path} 401`);
      if (route.method !== "HEAD") await expectError(res, 401, "unauthenticated");
    }
  });

  it("auth: unauthenticated routes stay open", async () => {
    for (const path of ["/healthz", "/openapi.json", "/docs", "/console", "/assets/console.js"]) {
      expect((await call("GET", path, { token: null })).status).toBe(200);
    }
  });
});

describe("authorization", () => {
  it("auth: a read token may only read, inside its namespaces", async () => {
    const ns = freshNamespace("sec");
    const reader = await issue("read", [ns]);
    for (const route of await routes(ns)) {
      const res = await call(route.method, route.path, { token: reader.token });
      const admin =
        route.path.startsWith("/v1/tokens") ||
        route.path.startsWith("/v1/gc") ||
        route.path === "/v1/namespaces" ||
        route.path.endsWith("/resource-counts");
      if (admin || !["GET", "HEAD"].includes(route.method)) {
        expect(`${route.method} ${route.path} ${res.status}`).toBe(`${route.method} ${route.path} 403`);
      } else {
        expect(`${route.method} ${route.path} ${res.status}`).not.toMatch(/ 40[13]$/);
      }
    }
  });

  it("auth: a write token is refused admin routes and other namespaces", async () => {
    const [mine, theirs] = [freshNamespace("sec"), freshNamespace("sec")];
    const writer = await issue("write", [mine]);
    for (const route of await routes(theirs)) {
      const res = await call(route.method, route.path, { token: writer.token });
      expect(`${route.method} ${route.path} ${res.status}`).toBe(`${route.method} ${route.path} 403`);
    }
    const own = await call("POST", `/v1/namespaces/${mine}/leases`, { token: writer.token, json: { id: "l" } });
    expect(own.status).toBe(201);
  });

  it("auth: another namespace's lease cannot be probed: 403, not 404", async () => {
    const [a, b] = [freshNamespace("sec"), freshNamespace("sec")];
    await json("POST", `/v1/namespaces/${b}/leases`, { json: { id: "secret" } });
    const token = (await issue("write", [a])).token;
    await expectError(await call("GET", `/v1/namespaces/${b}/leases/secret`, { token }), 403, "permission_denied");
    await expectError(await call("GET", `/v1/namespaces/${b}/leases/absent`, { token }), 403, "permission_denied");
  });

  it("auth: revocation takes effect on the next request", async () => {
    const ns = freshNamespace("sec");
    const t = await issue("write", "*");
    expect((await call("GET", `/v1/namespaces/${ns}/leases`, { token: t.token })).status).toBe(200);
    expect((await call("DELETE", `/v1/tokens/${t.id}`)).status).toBe(204);
    await expectError(await call("GET", `/v1/namespaces/${ns}/leases`, { token: t.token }), 401, "unauthenticated");
    await expectError(await call("DELETE", `/v1/tokens/${t.id}`), 404, "not_found");
  });
});

describe("tokens", () => {
  it("tokens: issued secret shown once; list shows no secret and no hash", async () => {
    const t = await issue("read", ["a", "b"]);
    expect(t.token).toMatch(/^lh_[0-9a-f]{16}_[0-9a-f]{64}$/);
    const list = await json<{ tokens: Record<string, unknown>[] }>("GET", "/v1/tokens");
    const row = list.body.tokens.find((x) => x.id === t.id);
    expect(row).toMatchObject({ id: t.id, role: "read", namespaces: ["a", "b"] });
    expect(JSON.stringify(list.body)).not.toContain(t.token.slice(20));
    const stored = await env.DB.prepare("SELECT * FROM tokens WHERE id = ?").bind(t.id).first<Record<string, string>>();
    expect(JSON.stringify(stored)).not.toContain(t.token.slice(20));
  });

  it.each([
    [{ role: "root", namespaces: "*" }],
    [{ role: "read", namespaces: [] }],
    [{ role: "read", namespaces: ["bad ns"] }],
    [{ role: "read" }],
    [{ role: "read", namespaces: "all" }],
  ])("tokens: %j is invalid_argument", async (body) => {
    await expectError(await call("POST", "/v1/tokens", { json: body }), 400, "invalid_argument");
  });
});
