import { describe, expect, it } from "vitest";
import { call, expectError, freshNamespace, json } from "./helpers";

type Page = { resources: { type: string; id: string }[]; nextCursor: string | null };
const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;

async function lease(ns: string, id = "l", body: Record<string, unknown> = {}) {
  const res = await json("POST", `/v1/namespaces/${ns}/leases`, { json: { id, ...body } });
  expect(res.status).toBe(201);
  return `/v1/namespaces/${ns}/leases/${id}/resources`;
}

describe("add", () => {
  it("add: content and ingests, idempotent, listed sorted by type then id", async () => {
    const path = await lease(freshNamespace());
    for (const r of [
      { type: "ingests", id: "upload-1" },
      { type: "content", id: digest(2) },
      { type: "content", id: digest(1) },
      { type: "content", id: digest(1) },
    ]) {
      expect((await call("POST", path, { json: r })).status).toBe(204);
    }
    const page = await json<Page>("GET", path);
    expect(page.body).toEqual({
      resources: [
        { type: "content", id: digest(1) },
        { type: "content", id: digest(2) },
        { type: "ingests", id: "upload-1" },
      ],
      nextCursor: null,
    });
    const onlyIngests = await json<Page>("GET", `${path}?type=ingests`);
    expect(onlyIngests.body.resources).toEqual([{ type: "ingests", id: "upload-1" }]);
  });

  // containerd's resource validation table.
  const table: [string, { type: string; id: string }, number, string][] = [
    ["images", { type: "images", id: "docker.io/library/alpine:latest" }, 501, "not_implemented"],
    ["snapshots/overlayfs", { type: "snapshots/overlayfs", id: "sha256:abc" }, 501, "not_implemented"],
    ["leases", { type: "leases", id: "x" }, 501, "not_implemented"],
    ["containers", { type: "containers", id: "x" }, 501, "not_implemented"],
    ["snapshots", { type: "snapshots", id: "x" }, 400, "invalid_argument"],
    ["snapshots/a/b", { type: "snapshots/a/b", id: "x" }, 400, "invalid_argument"],
    ["content/x", { type: "content/x", id: digest(1) }, 400, "invalid_argument"],
    ["empty type", { type: "", id: "x" }, 400, "invalid_argument"],
    ["bad digest", { type: "content", id: "sha256:xyz" }, 400, "invalid_argument"],
    ["upper-case digest", { type: "content", id: digest(10).toUpperCase() }, 400, "invalid_argument"],
    ["bad ingest ref", { type: "ingests", id: "../x" }, 400, "invalid_argument"],
  ];
  it.each(table)("add: %s is %i", async (_name, resource, status, code) => {
    const path = await lease(freshNamespace());
    await expectError(await call("POST", path, { json: resource }), status, code);
    expect((await json<Page>("GET", path)).body.resources).toEqual([]);
  });

  it("add: a missing lease is not_found before the type is looked at", async () => {
    const path = `/v1/namespaces/${freshNamespace()}/leases/nope/resources`;
    await expectError(await call("POST", path, { json: { type: "images", id: "x" } }), 404, "not_found");
    await expectError(await call("POST", path, { json: { type: "", id: "" } }), 404, "not_found");
  });

  it("add: an expired lease is failed_precondition", async () => {
    const path = await lease(freshNamespace(), "old", { expiresAt: "2020-01-01T00:00:00Z" });
    await expectError(
      await call("POST", path, { json: { type: "content", id: digest(1) } }),
      412,
      "failed_precondition",
    );
  });

  it("add: 1000 resources in one request, all listed across pages without repeats", async () => {
    const path = await lease(freshNamespace());
    const resources = Array.from({ length: 1000 }, (_, i) => ({ type: "content", id: digest(i) }));
    expect((await call("POST", path, { json: { resources } })).status).toBe(204);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: Page } = await json<Page>("GET", `${path}?limit=300${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.body.resources.map((r) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(resources.map((r) => r.id));
  });

  it("add: a batch with one bad item adds nothing", async () => {
    const path = await lease(freshNamespace());
    const resources = Array.from({ length: 999 }, (_, i) => ({ type: "content", id: digest(i) }));
    resources.splice(500, 0, { type: "content", id: "sha256:nope" });
    await expectError(await call("POST", path, { json: { resources } }), 400, "invalid_argument");
    const unsupported = [
      { type: "content", id: digest(1) },
      { type: "images", id: "x" },
    ];
    await expectError(await call("POST", path, { json: { resources: unsupported } }), 501, "not_implemented");
    expect((await json<Page>("GET", path)).body.resources).toEqual([]);
  });

  it("add: 1001 resources, an empty list and a mixed body are invalid_argument", async () => {
    const path = await lease(freshNamespace());
    const resources = Array.from({ length: 1001 }, (_, i) => ({ type: "content", id: digest(i) }));
    await expectError(await call("POST", path, { json: { resources } }), 400, "invalid_argument");
    await expectError(await call("POST", path, { json: { resources: [] } }), 400, "invalid_argument");
    await expectError(await call("POST", path, { json: { type: "content" } }), 400, "invalid_argument");
    await expectError(await call("POST", path, { json: { type: "content", id: 5 } }), 400, "invalid_argument");
  });
});

describe("remove", () => {
  it("remove: drops one resource; removing an absent one still succeeds", async () => {
    const path = await lease(freshNamespace());
    await call("POST", path, {
      json: {
        resources: [
          { type: "content", id: digest(1) },
          { type: "content", id: digest(2) },
        ],
      },
    });
    expect((await call("DELETE", `${path}?type=content&id=${digest(1)}`)).status).toBe(204);
    expect((await call("DELETE", `${path}?type=content&id=${digest(1)}`)).status).toBe(204);
    expect((await json<Page>("GET", path)).body.resources).toEqual([{ type: "content", id: digest(2) }]);
  });

  it("remove: missing lease is not_found; bad type or id is invalid_argument", async () => {
    const ns = freshNamespace();
    await expectError(
      await call("DELETE", `/v1/namespaces/${ns}/leases/nope/resources?type=content&id=${digest(1)}`),
      404,
      "not_found",
    );
    const path = await lease(ns);
    await expectError(await call("DELETE", `${path}?type=content&id=bad`), 400, "invalid_argument");
    await expectError(await call("DELETE", `${path}?type=content`), 400, "invalid_argument");
    await expectError(await call("DELETE", `${path}?type=snapshots/a/b&id=x`), 400, "invalid_argument");
  });
});

describe("list", () => {
  it("list: a missing lease is not_found; a bad cursor is invalid_argument", async () => {
    const ns = freshNamespace();
    await expectError(await call("GET", `/v1/namespaces/${ns}/leases/nope/resources`), 404, "not_found");
    const path = await lease(ns);
    await expectError(await call("GET", `${path}?cursor=garbage`), 400, "invalid_argument");
    await expectError(await call("GET", `${path}?limit=0`), 400, "invalid_argument");
    await expectError(await call("GET", `${path}?limit=1001`), 400, "invalid_argument");
    await expectError(await call("GET", `${path}?type=snapshots`), 400, "invalid_argument");
  });

  it("list: dangling resources (objects that do not exist) are listed", async () => {
    const path = await lease(freshNamespace());
    await call("POST", path, { json: { type: "ingests", id: "never-started" } });
    expect((await json<Page>("GET", path)).body.resources).toEqual([{ type: "ingests", id: "never-started" }]);
  });
});
