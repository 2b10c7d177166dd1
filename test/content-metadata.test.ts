import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, freshNamespace, json, sha256 } from "./helpers";

type Info = { digest: string; size: number; labels: Record<string, string>; createdAt: string; updatedAt: string };
type Page = { content: Info[]; nextCursor: string | null };

const REF = "containerd.io/gc.ref.content";
const ROOT = "containerd.io/gc.root";
const blobPath = (ns: string, digest: string) => `/v1/namespaces/${ns}/content/${digest}`;

async function put(ns: string, text: string): Promise<string> {
  const digest = await sha256(text);
  const res = await call("PUT", blobPath(ns, digest), {
    body: text,
    headers: { "content-length": String(new TextEncoder().encode(text).length) },
  });
  expect(res.status).toBe(201);
  return digest;
}

const patch = (ns: string, digest: string, labels: Record<string, string | null>) =>
  json<Info>("PATCH", blobPath(ns, digest), { json: { labels } });

async function refRows(ns: string, digest: string) {
  const { results } = await env.DB.prepare(
    "SELECT label, target FROM content_refs WHERE namespace = ? AND digest = ? ORDER BY label",
  )
    .bind(ns, digest)
    .all<{ label: string; target: string }>();
  return results;
}

async function rootColumn(ns: string, digest: string) {
  return env.DB.prepare("SELECT root FROM content WHERE namespace = ? AND digest = ?").bind(ns, digest).first("root");
}

describe("patch", () => {
  it("patch: merges labels, null and empty remove, and keeps refs and root in step", async () => {
    const ns = freshNamespace();
    const [a, b, c] = [await put(ns, "a"), await sha256("b"), await sha256("c")];

    const first = await patch(ns, a, { team: "ci", [REF]: b, [`${REF}.config`]: c, [ROOT]: "1" });
    expect(first.status).toBe(200);
    expect(first.body.labels).toEqual({ team: "ci", [REF]: b, [`${REF}.config`]: c, [ROOT]: "1" });
    expect(await refRows(ns, a)).toEqual([
      { label: REF, target: b },
      { label: `${REF}.config`, target: c },
    ]);
    expect(await rootColumn(ns, a)).toBe(1);

    const second = await patch(ns, a, { team: null, [REF]: "", [`${REF}/layer`]: b, [ROOT]: null, other: "x" });
    expect(second.body.labels).toEqual({ [`${REF}.config`]: c, [`${REF}/layer`]: b, other: "x" });
    expect(await refRows(ns, a)).toEqual([
      { label: `${REF}.config`, target: c },
      { label: `${REF}/layer`, target: b },
    ]);
    expect(await rootColumn(ns, a)).toBe(0);
    expect((await json<Info>("GET", `${blobPath(ns, a)}/info`)).body).toEqual(second.body);
  });

  it("patch: a label that only looks like a reference is not one", async () => {
    const ns = freshNamespace();
    const a = await put(ns, "a");
    expect((await patch(ns, a, { [`${REF}X`]: "not a digest" })).status).toBe(200);
    expect(await refRows(ns, a)).toEqual([]);
  });

  it.each([
    ["a reference to a non-digest", { [REF]: "sha256:nope" }],
    ["a named reference to a non-digest", { [`${REF}/x`]: "latest" }],
    ["an empty key", { "": "x" }],
    ["an oversized label", { big: "x".repeat(4096) }],
  ])("patch: %s is 400 and changes nothing", async (_name, labels) => {
    const ns = freshNamespace();
    const a = await put(ns, "a");
    await expectError(await call("PATCH", blobPath(ns, a), { json: { labels } }), 400, "invalid_argument");
    expect((await json<Info>("GET", `${blobPath(ns, a)}/info`)).body.labels).toEqual({});
    expect(await refRows(ns, a)).toEqual([]);
  });

  it("patch: more than 64 labels after the merge is 400", async () => {
    const ns = freshNamespace();
    const a = await put(ns, "a");
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, "v"]));
    expect((await patch(ns, a, many)).status).toBe(200);
    const more = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`extra${i}`, "v"]));
    await expectError(await call("PATCH", blobPath(ns, a), { json: { labels: more } }), 400, "invalid_argument");
  });

  it.each([
    ["bad JSON", { body: "{labels:", headers: { "content-type": "application/json" } }],
    ["labels not an object", { json: { labels: ["x"] } }],
    ["a label value not a string", { json: { labels: { a: 1 } } }],
    ["an unknown field", { json: { labels: {}, size: 3 } }],
    ["no labels", { json: {} }],
  ])("patch: %s is 400", async (_name, init) => {
    const ns = freshNamespace();
    const a = await put(ns, "a");
    await expectError(await call("PATCH", blobPath(ns, a), init), 400, "invalid_argument");
  });

  it("patch: concurrent patches lose no update", async () => {
    const ns = freshNamespace();
    const a = await put(ns, "a");
    const targets = await Promise.all(Array.from({ length: 8 }, (_, i) => sha256(`t${i}`)));
    const results = await Promise.all(targets.map((t, i) => patch(ns, a, { [`k${i}`]: "v", [`${REF}.${i}`]: t })));
    expect(results.map((r) => r.status)).toEqual(targets.map(() => 200));
    const labels = (await json<Info>("GET", `${blobPath(ns, a)}/info`)).body.labels;
    expect(Object.keys(labels)).toHaveLength(16);
    expect((await refRows(ns, a)).map((r) => r.target).sort()).toEqual([...targets].sort());
  });

  it("patch: an absent blob is 404", async () => {
    const ns = freshNamespace();
    await expectError(await call("PATCH", blobPath(ns, await sha256("x")), { json: { labels: {} } }), 404, "not_found");
  });
});

describe("delete", () => {
  it("delete: removes the row and refs now and queues the bytes; lease entries stay", async () => {
    const ns = freshNamespace();
    const a = await put(ns, "a");
    await patch(ns, a, { [REF]: await sha256("b") });
    expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id: "l" } })).status).toBe(201);
    await call("POST", `/v1/namespaces/${ns}/leases/l/resources`, { json: { type: "content", id: a } });
    const [object] = (await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects;

    expect((await call("DELETE", blobPath(ns, a))).status).toBe(204);
    await expectError(await call("GET", `${blobPath(ns, a)}/info`), 404, "not_found");
    expect(await refRows(ns, a)).toEqual([]);
    const queued = await env.DB.prepare("SELECT object_key, upload_id, size FROM gc_deletions WHERE namespace = ?")
      .bind(ns)
      .all();
    expect(queued.results).toEqual([{ object_key: object?.key, upload_id: null, size: 1 }]);
    const resources = await json<{ resources: unknown[] }>("GET", `/v1/namespaces/${ns}/leases/l/resources`);
    expect(resources.body.resources).toEqual([{ type: "content", id: a }]);

    await expectError(await call("DELETE", blobPath(ns, a)), 404, "not_found");
  });
});

describe("list", () => {
  it("list: sorted by digest, paginated without repeats", async () => {
    const ns = freshNamespace();
    const digests = await Promise.all(Array.from({ length: 7 }, (_, i) => put(ns, `blob ${i}`)));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: Page } = await json<Page>(
        "GET",
        `/v1/namespaces/${ns}/content?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.body.content.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.content.map((i) => i.digest));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...digests].sort());
  });

  it("list: filters by digest and labels", async () => {
    const ns = freshNamespace();
    const [a, b, c] = [await put(ns, "a"), await put(ns, "b"), await put(ns, "c")];
    await patch(ns, a, { team: "ci" });
    await patch(ns, b, { team: "release", [ROOT]: "yes" });
    const list = async (...filters: string[]) => {
      const q = filters.map((f) => `filter=${encodeURIComponent(f)}`).join("&");
      const res = await json<Page>("GET", `/v1/namespaces/${ns}/content?${q}`);
      expect(res.status).toBe(200);
      return res.body.content.map((i) => i.digest);
    };
    expect(await list("labels.team==ci")).toEqual([a]);
    expect(await list("labels.team")).toEqual([a, b].sort());
    expect(await list(`labels."${ROOT}"`)).toEqual([b]);
    expect(await list(`digest==${c}`)).toEqual([c]);
    expect(await list("labels.team==ci", `digest==${c}`)).toEqual([a, c].sort());
    expect(await list("labels.team!=ci")).toEqual([b, c].sort());
  });

  it.each(["digest~=[", 'labels."unterminated'])("list: bad filter %s is 400", async (filter) => {
    const ns = freshNamespace();
    const res = await call("GET", `/v1/namespaces/${ns}/content?filter=${encodeURIComponent(filter)}`);
    await expectError(res, 400, "invalid_argument");
  });

  it("list: a bad cursor or limit is 400", async () => {
    const ns = freshNamespace();
    await expectError(await call("GET", `/v1/namespaces/${ns}/content?cursor=!!`), 400, "invalid_argument");
    await expectError(await call("GET", `/v1/namespaces/${ns}/content?limit=0`), 400, "invalid_argument");
    await expectError(await call("GET", `/v1/namespaces/${ns}/content?limit=x`), 400, "invalid_argument");
  });
});

describe("namespace isolation", () => {
  it("isolation: another namespace sees nothing of a blob", async () => {
    const [ns, other] = [freshNamespace(), freshNamespace()];
    const a = await put(ns, "private bytes");
    await expectError(await call("GET", blobPath(other, a)), 404, "not_found");
    await expectError(await call("GET", blobPath(other, a), { headers: { range: "bytes=0-1" } }), 404, "not_found");
    await expectError(
      await call("GET", blobPath(other, a), { headers: { "if-none-match": `"${a}"` } }),
      404,
      "not_found",
    );
    expect((await call("HEAD", blobPath(other, a))).status).toBe(404);
    await expectError(await call("GET", `${blobPath(other, a)}/info`), 404, "not_found");
    await expectError(await call("PATCH", blobPath(other, a), { json: { labels: { x: "y" } } }), 404, "not_found");
    await expectError(await call("DELETE", blobPath(other, a)), 404, "not_found");
    expect((await json<Page>("GET", `/v1/namespaces/${other}/content`)).body.content).toEqual([]);
    expect((await json<Info>("GET", `${blobPath(ns, a)}/info`)).status).toBe(200);
  });

  it("isolation: the same digest uploaded in two namespaces is two blobs", async () => {
    const [ns, other] = [freshNamespace(), freshNamespace()];
    const a = await put(ns, "twice");
    expect(await put(other, "twice")).toBe(a);
    expect((await call("DELETE", blobPath(ns, a))).status).toBe(204);
    expect(await (await call("GET", blobPath(other, a))).text()).toBe("twice");
  });
});
