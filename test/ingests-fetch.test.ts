import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { collectNs } from "./gc-seed";
import { call, expectError, freshNamespace, json, sha256 } from "./helpers";

type Status = {
  ref: string;
  offset: number;
  partSize: number;
  expectedDigest: string | null;
  expectedSize: number | null;
  startedAt: string;
  updatedAt: string;
  expiresAt: string | null;
};
type Info = { digest: string; size: number; labels: Record<string, string> };
type Resource = { type: string; id: string };

const MiB = 1024 * 1024;
const enc = (s: string) => new TextEncoder().encode(s);
const ingests = (ns: string) => `/v1/namespaces/${ns}/ingests`;

/** pattern returns n bytes that differ from part to part (cheap, deterministic). */
function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 7 + (i >> 10)) & 0xff;
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function start(ns: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return json<Status>("POST", ingests(ns), { json: body, headers });
}

const patchPart = (ns: string, ref: string, offset: number, bytes: Uint8Array, extra: Record<string, string> = {}) =>
  call("PATCH", `${ingests(ns)}/${ref}`, {
    body: bytes,
    headers: { "upload-offset": String(offset), "content-length": String(bytes.length), ...extra },
  });

const commit = (ns: string, ref: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call("POST", `${ingests(ns)}/${ref}/commit`, { json: body, headers });

async function lease(ns: string, id: string, body: Record<string, unknown> = {}) {
  expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id, ...body } })).status).toBe(201);
}

const leased = async (ns: string, id: string) =>
  (await json<{ resources: Resource[] }>("GET", `/v1/namespaces/${ns}/leases/${id}/resources`)).body.resources;

/** small runs a one-part ingest of `text` and returns its ref. */
async function small(ns: string, ref: string, text: string, body: Record<string, unknown> = {}, headers = {}) {
  expect((await start(ns, { ref, ...body }, headers)).status).toBe(201);
  expect((await patchPart(ns, ref, 0, enc(text))).status).toBe(204);
  return ref;
}

describe("create", () => {
  it("create: an unleased ingest expires 24 h after its last write", async () => {
    const ns = freshNamespace();
    const res = await start(ns, { ref: "up-1" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ref: "up-1",
      offset: 0,
      partSize: 8 * MiB,
      expectedDigest: null,
      expectedSize: null,
    });
    const { updatedAt, expiresAt } = res.body;
    expect(Date.parse(expiresAt ?? "") - Date.parse(updatedAt)).toBe(24 * 3600 * 1000);

    await new Promise((r) => setTimeout(r, 5));
    await patchPart(ns, "up-1", 0, enc("abc"));
    const after = (await json<Status>("GET", `${ingests(ns)}/up-1`)).body;
    expect(after.offset).toBe(3);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(updatedAt));
    expect(Date.parse(after.expiresAt ?? "") - Date.parse(after.updatedAt)).toBe(24 * 3600 * 1000);
  });

  it("create: under a lease the ingest joins it and does not expire by itself", async () => {
    const ns = freshNamespace();
    await lease(ns, "l");
    const res = await start(ns, { ref: "up-1", partSize: 5 * MiB }, { "lease-id": "l" });
    expect(res.status).toBe(201);
    expect(res.body.expiresAt).toBeNull();
    expect(await leased(ns, "l")).toEqual([{ type: "ingests", id: "up-1" }]);
  });

  it("create: a taken ref is 409 already_exists", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "dup" });
    await expectError(await call("POST", ingests(ns), { json: { ref: "dup" } }), 409, "already_exists");
  });

  it("create: a missing lease is 404 and an expired one 412, and no ingest is created", async () => {
    const ns = freshNamespace();
    await lease(ns, "old", { expiresAt: "2020-01-01T00:00:00Z" });
    const missing = await call("POST", ingests(ns), { json: { ref: "a" }, headers: { "lease-id": "nope" } });
    await expectError(missing, 404, "not_found");
    const expired = await call("POST", ingests(ns), { json: { ref: "a" }, headers: { "lease-id": "old" } });
    await expectError(expired, 412, "failed_precondition");
    expect((await json<{ ingests: Status[] }>("GET", ingests(ns))).body.ingests).toEqual([]);
  });

  it.each([
    ["a part size below 5 MiB", { ref: "a", partSize: 5 * MiB - 1 }],
    ["a part size above 100 MiB", { ref: "a", partSize: 100 * MiB + 1 }],
    ["a fractional part size", { ref: "a", partSize: 5 * MiB + 0.5 }],
    ["a string part size", { ref: "a", partSize: "8388608" }],
    ["a bad ref", { ref: "../etc" }],
    ["a too long ref", { ref: "a".repeat(257) }],
    ["no ref", {}],
    ["a bad expected digest", { ref: "a", expectedDigest: "sha256:xyz" }],
    ["a negative expected size", { ref: "a", expectedSize: -1 }],
    ["an unknown field", { ref: "a", colour: "blue" }],
  ])("create: %s is 400", async (_name, body) => {
    const ns = freshNamespace();
    await expectError(await call("POST", ingests(ns), { json: body }), 400, "invalid_argument");
  });

  it("create: bad JSON is 400", async () => {
    const res = await call("POST", ingests(freshNamespace()), {
      body: "{ref:",
      headers: { "content-type": "application/json" },
    });
    await expectError(res, 400, "invalid_argument");
  });
});

describe("write", () => {
  it("write: a 12 MiB blob in 5 MiB parts round-trips byte for byte", async () => {
    const ns = freshNamespace();
    const parts = [pattern(5 * MiB, 1), pattern(5 * MiB, 2), pattern(2 * MiB, 3)];
    const whole = concat(parts);
    const digest = await sha256(whole);
    expect((await start(ns, { ref: "big", partSize: 5 * MiB, expectedSize: whole.length })).status).toBe(201);

    let offset = 0;
    for (const part of parts) {
      const res = await patchPart(ns, "big", offset, part);
      expect(res.status).toBe(204);
      offset += part.length;
      expect(res.headers.get("Upload-Offset")).toBe(String(offset));
    }
    const res = await commit(ns, "big", { digest, size: whole.length });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ digest, size: 12 * MiB, labels: {} });

    const back = new Uint8Array(await (await call("GET", `/v1/namespaces/${ns}/content/${digest}`)).arrayBuffer());
    expect(back.length).toBe(whole.length);
    expect(await sha256(back)).toBe(digest);
    await expectError(await call("GET", `${ingests(ns)}/big`), 404, "not_found");
  });

  it("write: a stale Upload-Offset is 409 with the current offset", async () => {
    const ns = freshNamespace();
    await small(ns, "r", "abc", { partSize: 5 * MiB });
    const res = await patchPart(ns, "r", 0, enc("abc"));
    expect(res.headers.get("Upload-Offset")).toBe("3");
    expect(await expectError(res, 409, "conflict")).toMatch(/offset 3/);
    const ahead = await patchPart(ns, "r", 99, enc("x"));
    expect(ahead.headers.get("Upload-Offset")).toBe("3");
    await expectError(ahead, 409, "conflict");
  });

  it("write: two racing parts at one offset: one lands, the other is 409", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "race", partSize: 5 * MiB });
    const [a, b] = await Promise.all([
      patchPart(ns, "race", 0, pattern(5 * MiB, 1)),
      patchPart(ns, "race", 0, pattern(5 * MiB, 2)),
    ]);
    expect([a.status, b.status].sort()).toEqual([204, 409]);
    const loser = a.status === 409 ? a : b;
    await expectError(loser, 409, "conflict");
    expect((await json<Status>("GET", `${ingests(ns)}/race`)).body.offset).toBe(5 * MiB);
  });

  it("write: after a short part no more parts are accepted", async () => {
    const ns = freshNamespace();
    await small(ns, "r", "short", { partSize: 5 * MiB });
    await expectError(await patchPart(ns, "r", 5, enc("more")), 400, "invalid_argument");
  });

  it("write: a part larger than the part size, or empty, is 400", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "r", partSize: 5 * MiB });
    await expectError(await patchPart(ns, "r", 0, new Uint8Array(5 * MiB + 1)), 400, "invalid_argument");
    await expectError(await patchPart(ns, "r", 0, new Uint8Array(0)), 400, "invalid_argument");
    expect((await json<Status>("GET", `${ingests(ns)}/r`)).body.offset).toBe(0);
  });

  it("write: bytes beyond the expected size are 400", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "r", partSize: 5 * MiB, expectedSize: 3 });
    await expectError(await patchPart(ns, "r", 0, enc("abcd")), 400, "invalid_argument");
    expect((await patchPart(ns, "r", 0, enc("abc"))).status).toBe(204);
  });

  it("write: a body shorter than Content-Length is 400 and the offset stays", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "r", partSize: 5 * MiB });
    const res = await call("PATCH", `${ingests(ns)}/r`, {
      body: "abc",
      headers: { "upload-offset": "0", "content-length": "10" },
    });
    await expectError(res, 400, "invalid_argument");
    expect((await patchPart(ns, "r", 0, enc("abc"))).status).toBe(204);
  });

  it("write: missing Content-Length is 411, missing or bad Upload-Offset 400, unknown ingest 404", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "r", partSize: 5 * MiB });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(enc("abc"));
        c.close();
      },
    });
    const noLength = await call("PATCH", `${ingests(ns)}/r`, { body: stream, headers: { "upload-offset": "0" } });
    await expectError(noLength, 411, "length_required");
    const noOffset = await call("PATCH", `${ingests(ns)}/r`, { body: "abc", headers: { "content-length": "3" } });
    await expectError(noOffset, 400, "invalid_argument");
    await expectError(await patchPart(ns, "r", 0, enc("abc"), { "upload-offset": "-1" }), 400, "invalid_argument");
    await expectError(await patchPart(ns, "r", 0, enc("abc"), { "upload-offset": "1e3" }), 400, "invalid_argument");
    await expectError(await patchPart(ns, "nope", 0, enc("abc")), 404, "not_found");
  });
});

describe("expiry while writing", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const row = (ns: string) =>
    env.DB.prepare("SELECT claim, expires_at AS expiresAt FROM ingests WHERE namespace = ? AND ref = 'slow'")
      .bind(ns)
      .first<{ claim: string | null; expiresAt: number }>();

  it("write: a part that starts just before an unleased ingest's expiry keeps it through a collection", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "slow", partSize: 5 * MiB });
    await env.DB.prepare("UPDATE ingests SET expires_at = ? WHERE namespace = ?")
      .bind(Date.now() + 150, ns)
      .run();

    // The body's last byte waits for `release`, so the part is in flight while the collector runs.
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const body = new ReadableStream<Uint8Array>({
      async start(c) {
        c.enqueue(enc("ab"));
        await gate;
        c.enqueue(enc("c"));
        c.close();
      },
    });
    const patch = call("PATCH", `${ingests(ns)}/slow`, {
      body,
      headers: { "upload-offset": "0", "content-length": "3" },
    });
    for (let i = 0; i < 100 && (await row(ns))?.claim == null; i++) await sleep(10);
    expect((await row(ns))?.claim).not.toBeNull();
    await sleep(200);

    const { run } = await collectNs(ns);
    expect(run.ingestsAborted).toBe(0);
    release();
    expect((await patch).status).toBe(204);
    const after = (await json<Status>("GET", `${ingests(ns)}/slow`)).body;
    expect(after.offset).toBe(3);
    expect(Date.parse(after.expiresAt ?? "")).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
  });
});

describe("commit", () => {
  it("commit: a wrong digest is 400 and keeps the ingest; a retry with the right one succeeds", async () => {
    const ns = freshNamespace();
    await small(ns, "r", "payload", { partSize: 5 * MiB });
    const wrong = await commit(ns, "r", { digest: await sha256("other") });
    expect(await expectError(wrong, 400, "invalid_argument")).toMatch(/digest mismatch/);
    expect((await json<Status>("GET", `${ingests(ns)}/r`)).body.offset).toBe(7);
    await expectError(await call("GET", `/v1/namespaces/${ns}/content/${await sha256("other")}`), 404, "not_found");

    const wrongSize = await commit(ns, "r", { digest: await sha256("payload"), size: 8 });
    await expectError(wrongSize, 400, "invalid_argument");

    const right = await commit(ns, "r", { digest: await sha256("payload"), labels: { team: "ci" } });
    expect(right.status).toBe(201);
    expect(await right.json()).toMatchObject({ size: 7, labels: { team: "ci" } });
    const get = await call("GET", `/v1/namespaces/${ns}/content/${await sha256("payload")}`);
    expect(await get.text()).toBe("payload");
  });

  it("commit: uses expectedDigest, and a different digest is 400", async () => {
    const ns = freshNamespace();
    const digest = await sha256("expected");
    await small(ns, "r", "expected", { partSize: 5 * MiB, expectedDigest: digest });
    await expectError(await commit(ns, "r", { digest: await sha256("x") }), 400, "invalid_argument");
    const res = await commit(ns, "r", {});
    expect(res.status).toBe(201);
    expect(((await res.json()) as Info).digest).toBe(digest);
  });

  it("commit: without any digest is 400; short of the expected size is 412", async () => {
    const ns = freshNamespace();
    await small(ns, "r", "abc", { partSize: 5 * MiB });
    await expectError(await commit(ns, "r", {}), 400, "invalid_argument");
    await start(ns, { ref: "s", partSize: 5 * MiB, expectedSize: 10 * MiB });
    await patchPart(ns, "s", 0, pattern(5 * MiB, 1));
    await expectError(await commit(ns, "s", { digest: await sha256("x") }), 412, "failed_precondition");
  });

  it("commit: zero parts is the empty blob", async () => {
    const ns = freshNamespace();
    await start(ns, { ref: "empty" });
    const digest = await sha256("");
    const res = await commit(ns, "empty", { digest });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ digest, size: 0 });
    expect(await (await call("GET", `/v1/namespaces/${ns}/content/${digest}`)).text()).toBe("");
  });

  it("commit: under a lease swaps ingests for content in the lease, and joins the Lease-Id lease", async () => {
    const ns = freshNamespace();
    await lease(ns, "upload");
    await lease(ns, "other");
    await small(ns, "r", "leased", { partSize: 5 * MiB }, { "lease-id": "upload" });
    expect(await leased(ns, "upload")).toEqual([{ type: "ingests", id: "r" }]);

    const digest = await sha256("leased");
    const res = await commit(ns, "r", { digest }, { "lease-id": "other" });
    expect(res.status).toBe(201);
    expect(await leased(ns, "upload")).toEqual([{ type: "content", id: digest }]);
    expect(await leased(ns, "other")).toEqual([{ type: "content", id: digest }]);
  });

  it("commit: a missing Lease-Id lease is 404 and keeps the ingest", async () => {
    const ns = freshNamespace();
    await small(ns, "r", "abc", { partSize: 5 * MiB });
    await expectError(await commit(ns, "r", { digest: await sha256("abc") }, { "lease-id": "nope" }), 404, "not_found");
    expect((await json<Status>("GET", `${ingests(ns)}/r`)).status).toBe(200);
  });

  it("commit: a digest already present is 200, the old row stays and the upload is queued", async () => {
    const ns = freshNamespace();
    const digest = await sha256("dup");
    await call("PUT", `/v1/namespaces/${ns}/content/${digest}`, { body: "dup", headers: { "content-length": "3" } });
    const before = await env.DB.prepare("SELECT object_key FROM content WHERE namespace = ?").bind(ns).first();
    await small(ns, "r", "dup", { partSize: 5 * MiB });
    const ingestKey = await env.DB.prepare("SELECT object_key FROM ingests WHERE namespace = ?").bind(ns).first();

    const res = await commit(ns, "r", { digest, labels: { ignored: "yes" } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Info).labels).toEqual({});
    expect(await env.DB.prepare("SELECT object_key FROM content WHERE namespace = ?").bind(ns).first()).toEqual(before);
    const queued = await env.DB.prepare("SELECT object_key FROM gc_deletions WHERE namespace = ?").bind(ns).all();
    expect(queued.results).toEqual([ingestKey]);
    await expectError(await call("GET", `${ingests(ns)}/r`), 404, "not_found");
  });

  it("commit: a reference label that is not a digest is 400 and keeps the ingest", async () => {
    const ns = freshNamespace();
    await small(ns, "r", "abc", { partSize: 5 * MiB });
    const res = await commit(ns, "r", {
      digest: await sha256("abc"),
      labels: { "containerd.io/gc.ref.content": "nope" },
    });
    await expectError(res, 400, "invalid_argument");
    expect((await json<Status>("GET", `${ingests(ns)}/r`)).status).toBe(200);
  });
});

describe("abort and list", () => {
  it("abort: removes the ingest and its lease entry and aborts the upload", async () => {
    const ns = freshNamespace();
    await lease(ns, "l");
    await small(ns, "r", "abc", { partSize: 5 * MiB }, { "lease-id": "l" });
    expect((await call("DELETE", `${ingests(ns)}/r`)).status).toBe(204);
    await expectError(await call("GET", `${ingests(ns)}/r`), 404, "not_found");
    expect(await leased(ns, "l")).toEqual([]);
    const queued = await env.DB.prepare("SELECT count(*) AS n FROM gc_deletions WHERE namespace = ?").bind(ns).first();
    expect(queued).toEqual({ n: 0 });
    await expectError(await call("DELETE", `${ingests(ns)}/r`), 404, "not_found");
    expect((await start(ns, { ref: "r" })).status).toBe(201);
  });

  it("list: ingests by ref, paginated", async () => {
    const ns = freshNamespace();
    for (const ref of ["c", "a", "b", "e", "d"]) await start(ns, { ref });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { ingests: Status[]; nextCursor: string | null } } = await json(
        "GET",
        `${ingests(ns)}?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.body.ingests.map((i) => i.ref));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("isolation: another namespace sees no ingest", async () => {
    const [ns, other] = [freshNamespace(), freshNamespace()];
    await small(ns, "r", "abc", { partSize: 5 * MiB });
    await expectError(await call("GET", `${ingests(other)}/r`), 404, "not_found");
    await expectError(await patchPart(other, "r", 3, enc("x")), 404, "not_found");
    await expectError(await commit(other, "r", { digest: await sha256("abc") }), 404, "not_found");
    await expectError(await call("DELETE", `${ingests(other)}/r`), 404, "not_found");
    expect((await json<{ ingests: Status[] }>("GET", ingests(other))).body.ingests).toEqual([]);
    expect((await json<Status>("GET", `${ingests(ns)}/r`)).body.offset).toBe(3);
  });
});
