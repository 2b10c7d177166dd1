import { describe, expect, it } from "vitest";
import { call, expectError, freshNamespace, json } from "./helpers";

type Lease = { id: string; createdAt: string; labels: Record<string, string>; expiresAt: string | null };
const base = (ns: string) => `/v1/namespaces/${ns}/leases`;

describe("create", () => {
  it("create: stores a lease with the given id and labels, dropping empty values", async () => {
    const ns = freshNamespace();
    const res = await json<Lease>("POST", base(ns), { json: { id: "build-42", labels: { team: "ci", empty: "" } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: "build-42", labels: { team: "ci" }, expiresAt: null });
    expect(res.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(res.headers.get("Request-Id")).toMatch(/\S/);

    const got = await json<Lease>("GET", `${base(ns)}/build-42`);
    expect(got.body).toEqual(res.body);
  });

  it("create: generates an id with at least 96 random bits when none is given", async () => {
    const ns = freshNamespace();
    const a = await json<Lease>("POST", base(ns), { json: {} });
    const b = await json<Lease>("POST", base(ns), { json: {} });
    expect(a.status).toBe(201);
    expect(a.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it("create: ttl sets the gc.expire label and expiresAt", async () => {
    const ns = freshNamespace();
    const before = Date.now();
    const res = await json<Lease>("POST", base(ns), { json: { ttl: 60 } });
    expect(res.status).toBe(201);
    const expires = Date.parse(res.body.expiresAt ?? "");
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(res.body.labels["containerd.io/gc.expire"]).toBe(res.body.expiresAt);
  });

  it("create: expiresAt and the gc.expire label both set the expiry", async () => {
    const ns = freshNamespace();
    const a = await json<Lease>("POST", base(ns), { json: { expiresAt: "2030-01-02T03:04:05+01:00" } });
    expect(a.body.expiresAt).toBe("2030-01-02T02:04:05.000Z");
    const b = await json<Lease>("POST", base(ns), {
      json: { labels: { "containerd.io/gc.expire": "2030-01-02T03:04:05Z" } },
    });
    expect(b.body.expiresAt).toBe("2030-01-02T03:04:05.000Z");
    expect(b.body.labels["containerd.io/gc.expire"]).toBe("2030-01-02T03:04:05Z");
  });

  it("create: a taken id is already_exists", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "dup" } });
    const msg = await expectError(await call("POST", base(ns), { json: { id: "dup" } }), 409, "already_exists");
    expect(msg).toContain('lease "dup"');
  });

  it("create: the same id in two namespaces is two leases", async () => {
    const [a, b] = [freshNamespace(), freshNamespace()];
    expect((await json("POST", base(a), { json: { id: "same" } })).status).toBe(201);
    expect((await json("POST", base(b), { json: { id: "same" } })).status).toBe(201);
  });

  const invalid: [string, unknown][] = [
    ["two expiry fields", { ttl: 10, expiresAt: "2030-01-01T00:00:00Z" }],
    ["ttl with the label", { ttl: 10, labels: { "containerd.io/gc.expire": "2030-01-01T00:00:00Z" } }],
    [
      "expiresAt with the label",
      { expiresAt: "2030-01-01T00:00:00Z", labels: { "containerd.io/gc.expire": "2030-01-01T00:00:00Z" } },
    ],
    ["an unparseable gc.expire", { labels: { "containerd.io/gc.expire": "tomorrow" } }],
    ["an unparseable expiresAt", { expiresAt: "2030-13-01" }],
    ["ttl zero", { ttl: 0 }],
    ["ttl fractional", { ttl: 1.5 }],
    ["ttl too large", { ttl: 315_360_001 }],
    ["ttl as a string", { ttl: "10" }],
    ["a bad id", { id: "bad id" }],
    ["an id with a trailing separator", { id: "a-" }],
    ["an id too long", { id: "a".repeat(77) }],
    ["an empty label key", { labels: { "": "x" } }],
    ["an oversized label", { labels: { k: "v".repeat(4096) } }],
    ["65 labels", { labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, "v"])) }],
    ["a non-string label value", { labels: { k: 1 } }],
    ["an unknown field", { idd: "x" }],
    ["an array body", []],
    ["a string body", "lease"],
  ];
  it.each(invalid)("create: rejects %s with invalid_argument", async (_name, body) => {
    const ns = freshNamespace();
    await expectError(await call("POST", base(ns), { json: body }), 400, "invalid_argument");
    const list = await json<{ leases: Lease[] }>("GET", base(ns));
    expect(list.body.leases).toEqual([]);
  });

  it("create: a label of exactly 4096 bytes is accepted", async () => {
    const ns = freshNamespace();
    const res = await json("POST", base(ns), { json: { labels: { k: "v".repeat(4095) } } });
    expect(res.status).toBe(201);
  });

  it("create: malformed JSON is invalid_argument, never a 500", async () => {
    const ns = freshNamespace();
    const res = await call("POST", base(ns), { body: "{not json", headers: { "content-type": "application/json" } });
    await expectError(res, 400, "invalid_argument");
  });

  it("create: a body that is not JSON is invalid_argument", async () => {
    const ns = freshNamespace();
    const res = await call("POST", base(ns), { body: "id=x", headers: { "content-type": "text/plain" } });
    await expectError(res, 400, "invalid_argument");
  });

  it("create: a bad namespace is invalid_argument", async () => {
    await expectError(await call("POST", base("bad..ns"), { json: {} }), 400, "invalid_argument");
  });
});

describe("get", () => {
  it("get: a missing lease is not_found and names it", async () => {
    const msg = await expectError(await call("GET", `${base(freshNamespace())}/nope`), 404, "not_found");
    expect(msg).toBe('lease "nope" not found');
  });
});

describe("patch", () => {
  it("patch: merges labels, null removes a key", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "l", labels: { a: "1", b: "2" } } });
    const res = await json<Lease>("PATCH", `${base(ns)}/l`, { json: { labels: { b: null, c: "3", a: "9" } } });
    expect(res.status).toBe(200);
    expect(res.body.labels).toEqual({ a: "9", c: "3" });
    expect((await json<Lease>("GET", `${base(ns)}/l`)).body.labels).toEqual({ a: "9", c: "3" });
  });

  it("patch: sets and removes expiry", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "l" } });
    const set = await json<Lease>("PATCH", `${base(ns)}/l`, { json: { expiresAt: "2031-05-05T05:05:05.005Z" } });
    expect(set.body.expiresAt).toBe("2031-05-05T05:05:05.005Z");
    const ttl = await json<Lease>("PATCH", `${base(ns)}/l`, { json: { ttl: 3600 } });
    expect(Date.parse(ttl.body.expiresAt ?? "")).toBeGreaterThan(Date.now() + 3_500_000);
    const cleared = await json<Lease>("PATCH", `${base(ns)}/l`, { json: { expiresAt: null } });
    expect(cleared.body.expiresAt).toBeNull();
    expect(cleared.body.labels).toEqual({});
  });

  it("patch: an expired lease is failed_precondition and stays as it was", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "old", expiresAt: "2020-01-01T00:00:00Z" } });
    await expectError(await call("PATCH", `${base(ns)}/old`, { json: { ttl: 3600 } }), 412, "failed_precondition");
    expect((await json<Lease>("GET", `${base(ns)}/old`)).body.expiresAt).toBe("2020-01-01T00:00:00.000Z");
  });

  it("patch: a missing lease is not_found", async () => {
    await expectError(await call("PATCH", `${base(freshNamespace())}/nope`, { json: {} }), 404, "not_found");
  });

  it("patch: rejects conflicting expiry fields and too many labels", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), {
      json: { id: "l", labels: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, "v"])) },
    });
    await expectError(
      await call("PATCH", `${base(ns)}/l`, {
        json: { ttl: 5, labels: { "containerd.io/gc.expire": "2030-01-01T00:00:00Z" } },
      }),
      400,
      "invalid_argument",
    );
    await expectError(
      await call("PATCH", `${base(ns)}/l`, { json: { labels: { extra: "x" } } }),
      400,
      "invalid_argument",
    );
    expect(Object.keys((await json<Lease>("GET", `${base(ns)}/l`)).body.labels)).toHaveLength(64);
  });

  it("patch: concurrent label patches lose nothing", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "l" } });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call("PATCH", `${base(ns)}/l`, { json: { labels: { [`k${i}`]: "v" } } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(Object.keys((await json<Lease>("GET", `${base(ns)}/l`)).body.labels).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `k${i}`).sort(),
    );
  });
});

describe("delete", () => {
  it("delete: removes the lease and its resource entries; a second delete is not_found", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "l" } });
    await call("POST", `${base(ns)}/l/resources`, { json: { type: "ingests", id: "up-1" } });
    expect((await call("DELETE", `${base(ns)}/l`)).status).toBe(204);
    await expectError(await call("GET", `${base(ns)}/l`), 404, "not_found");
    await expectError(await call("DELETE", `${base(ns)}/l`), 404, "not_found");
    // A new lease with the same id starts empty.
    await json("POST", base(ns), { json: { id: "l" } });
    expect((await json<{ resources: unknown[] }>("GET", `${base(ns)}/l/resources`)).body.resources).toEqual([]);
  });

  it("delete: sync=true is accepted; a bad sync value is invalid_argument", async () => {
    const ns = freshNamespace();
    await json("POST", base(ns), { json: { id: "l" } });
    await expectError(await call("DELETE", `${base(ns)}/l?sync=yes`), 400, "invalid_argument");
    expect((await call("DELETE", `${base(ns)}/l?sync=false`)).status).toBe(204);
  });
});

describe("edge", () => {
  it("edge: unknown routes are not_found in the envelope", async () => {
    await expectError(await call("GET", "/v1/nothing-here"), 404, "not_found");
    await expectError(await call("PUT", `${base(freshNamespace())}`), 404, "not_found");
  });

  it("edge: /healthz and /openapi.json answer without a token", async () => {
    const health = await json<{ status: string; version: string }>("GET", "/healthz");
    expect(health.body.status).toBe("ok");
    const doc = await json<{ paths: Record<string, unknown> }>("GET", "/openapi.json");
    expect(Object.keys(doc.body.paths)).toContain("/v1/namespaces/{ns}/leases/{id}/resources");
  });
});
