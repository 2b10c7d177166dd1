import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, freshNamespace, json, sha256, sha512 } from "./helpers";

type Info = { digest: string; size: number; labels: Record<string, string>; createdAt: string; updatedAt: string };
type Page = { content: Info[]; nextCursor: string | null };

const enc = (s: string) => new TextEncoder().encode(s);

/** randomBytes fills n bytes 64 KiB at a time (getRandomValues' limit). */
function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

const blobPath = (ns: string, digest: string) => `/v1/namespaces/${ns}/content/${digest}`;

/** put uploads bytes with a correct Content-Length. */
async function put(ns: string, data: Uint8Array | string, headers: Record<string, string> = {}, digest?: string) {
  const bytes = typeof data === "string" ? enc(data) : data;
  const d = digest ?? (await sha256(bytes));
  const res = await call("PUT", blobPath(ns, d), {
    body: bytes,
    headers: { "content-length": String(bytes.length), ...headers },
  });
  return { res, digest: d };
}

const objectsUnder = async (prefix: string) => (await env.BLOBS.list({ prefix })).objects.length;

async function lease(ns: string, id: string, body: Record<string, unknown> = {}) {
  expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id, ...body } })).status).toBe(201);
}

async function leased(ns: string, id: string): Promise<{ type: string; id: string }[]> {
  const res = await json<{ resources: { type: string; id: string }[] }>(
    "GET",
    `/v1/namespaces/${ns}/leases/${id}/resources`,
  );
  return res.body.resources;
}

describe("put", () => {
  it("put: a sha256 blob round-trips with its info", async () => {
    const ns = freshNamespace();
    const { res, digest } = await put(ns, "hello, leasehold");
    expect(res.status).toBe(201);
    const info = (await res.json()) as Info;
    expect(info).toEqual({ digest, size: 16, labels: {}, createdAt: info.createdAt, updatedAt: info.createdAt });
    expect(info.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const get = await call("GET", blobPath(ns, digest));
    expect(get.status).toBe(200);
    expect(get.headers.get("ETag")).toBe(`"${digest}"`);
    expect(get.headers.get("Content-Length")).toBe("16");
    expect(get.headers.get("Accept-Ranges")).toBe("bytes");
    expect(get.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(get.headers.get("Request-Id")).toBeTruthy();
    expect(await get.text()).toBe("hello, leasehold");
    expect((await json("GET", `${blobPath(ns, digest)}/info`)).body).toEqual(info);
  });

  it("put: a sha512 blob round-trips", async () => {
    const ns = freshNamespace();
    const bytes = randomBytes(200_000);
    const digest = await sha512(bytes);
    const { res } = await put(ns, bytes, {}, digest);
    expect(res.status).toBe(201);
    const back = new Uint8Array(await (await call("GET", blobPath(ns, digest))).arrayBuffer());
    expect(await sha512(back)).toBe(digest);
  });

  it("put: an empty blob is legal", async () => {
    const ns = freshNamespace();
    const { res, digest } = await put(ns, "");
    expect(res.status).toBe(201);
    const get = await call("GET", blobPath(ns, digest));
    expect({ status: get.status, text: await get.text() }).toEqual({ status: 200, text: "" });
  });

  it("put: the same digest again is 200 and stores nothing new", async () => {
    const ns = freshNamespace();
    const first = await put(ns, "same bytes");
    const second = await put(ns, "same bytes");
    expect([first.res.status, second.res.status]).toEqual([201, 200]);
    expect(await second.res.json()).toEqual(await first.res.json());
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(1);
  });

  it("put: a present digest with another Content-Length is 400, and the blob stays as it was", async () => {
    const ns = freshNamespace();
    const first = await put(ns, "same bytes");
    const info = await first.res.json();
    const { res } = await put(ns, "longer, different bytes", {}, first.digest);
    expect(await expectError(res, 400, "invalid_argument")).toMatch(/size mismatch/);
    expect((await json("GET", `${blobPath(ns, first.digest)}/info`)).body).toEqual(info);
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(1);
  });

  it("put: a digest mismatch is 400 and keeps nothing", async () => {
    const ns = freshNamespace();
    const wrong = await sha256("other bytes");
    const { res } = await put(ns, "these bytes", {}, wrong);
    expect(await expectError(res, 400, "invalid_argument")).toMatch(/digest mismatch/);
    await expectError(await call("GET", blobPath(ns, wrong)), 404, "not_found");
    expect((await json<Page>("GET", `/v1/namespaces/${ns}/content`)).body.content).toEqual([]);
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(0);
  });

  it("put: a body shorter than Content-Length is 400 and keeps nothing", async () => {
    const ns = freshNamespace();
    const digest = await sha256("short");
    const res = await call("PUT", blobPath(ns, digest), { body: "short", headers: { "content-length": "9" } });
    expect(await expectError(res, 400, "invalid_argument")).toMatch(/^size mismatch: .* ended early$/);
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(0);
  });

  it("put: without Content-Length is 411", async () => {
    const ns = freshNamespace();
    const body = new ReadableStream({
      start(c) {
        c.enqueue(enc("streamed"));
        c.close();
      },
    });
    const res = await call("PUT", blobPath(ns, await sha256("streamed")), { body });
    expect(res.headers.get("content-length")).not.toBe("8");
    await expectError(res, 411, "length_required");
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(0);
  });

  it("put: above MAX_UPLOAD_BYTES is 413 and points at ingests", async () => {
    const ns = freshNamespace();
    const res = await call("PUT", blobPath(ns, await sha256("x")), {
      body: "x",
      headers: { "content-length": String(Number(env.MAX_UPLOAD_BYTES) + 1) },
    });
    expect(await expectError(res, 413, "payload_too_large")).toMatch(/ingest/);
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(0);
  });

  it.each([
    ["a bad digest", "sha256:abc", {}],
    ["an upper-case digest", `sha256:${"A".repeat(64)}`, {}],
    ["a malformed Content-Length", null, { "content-length": "12abc" }],
    ["a malformed Lease-Id", null, { "lease-id": "not a lease!" }],
    ["a huge Lease-Id", null, { "lease-id": "a".repeat(5000) }],
  ])("put: %s is 400", async (_name, digest, headers) => {
    const ns = freshNamespace();
    const d = digest ?? (await sha256("x"));
    const res = await call("PUT", blobPath(ns, d), { body: "x", headers: { "content-length": "1", ...headers } });
    await expectError(res, 400, "invalid_argument");
  });
});

describe("put with Lease-Id", () => {
  it("put: a missing lease is 404 before any byte is stored", async () => {
    const ns = freshNamespace();
    const { res } = await put(ns, "leased bytes", { "lease-id": "nope" });
    await expectError(res, 404, "not_found");
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(0);
  });

  it("put: an expired lease is 412 before any byte is stored", async () => {
    const ns = freshNamespace();
    await lease(ns, "old", { expiresAt: "2020-01-01T00:00:00Z" });
    const { res } = await put(ns, "leased bytes", { "lease-id": "old" });
    await expectError(res, 412, "failed_precondition");
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(0);
  });

  it("put: a new blob joins the lease", async () => {
    const ns = freshNamespace();
    await lease(ns, "l");
    const { res, digest } = await put(ns, "leased bytes", { "lease-id": "l" });
    expect(res.status).toBe(201);
    expect(await leased(ns, "l")).toEqual([{ type: "content", id: digest }]);
  });

  it("put: an already present blob is 200 and joins the lease atomically", async () => {
    const ns = freshNamespace();
    const { digest } = await put(ns, "shared bytes");
    await lease(ns, "later");
    const again = await put(ns, "shared bytes", { "lease-id": "later" });
    expect(again.res.status).toBe(200);
    expect(((await again.res.json()) as Info).digest).toBe(digest);
    expect(await leased(ns, "later")).toEqual([{ type: "content", id: digest }]);
    expect(await objectsUnder(`blobs/${ns}/`)).toBe(1);
  });

  it("put: a refused upload under a lease leaves the lease as it was", async () => {
    const ns = freshNamespace();
    await lease(ns, "held");
    const claimed = await sha256("claimed bytes");
    const wrongDigest = await put(ns, "other bytes", { "lease-id": "held" }, claimed);
    await expectError(wrongDigest.res, 400, "invalid_argument");
    const short = await call("PUT", blobPath(ns, claimed), {
      body: "claimed",
      headers: { "content-length": "13", "lease-id": "held" },
    });
    await expectError(short, 400, "invalid_argument");
    const { digest: present } = await put(ns, "present bytes");
    const wrongSize = await put(ns, "present bytes, longer", { "lease-id": "held" }, present);
    await expectError(wrongSize.res, 400, "invalid_argument");
    expect(await leased(ns, "held")).toEqual([]);
  });
});

describe("get", () => {
  const text = "0123456789abcdef";

  it.each([
    ["bytes=2-5", 206, "2345", "bytes 2-5/16"],
    ["bytes=-3", 206, "def", "bytes 13-15/16"],
    ["bytes=10-", 206, "abcdef", "bytes 10-15/16"],
    ["bytes=14-99", 206, "ef", "bytes 14-15/16"],
    ["bytes=-99", 206, text, "bytes 0-15/16"],
    ["bytes=0-1,4-5", 200, text, null],
    ["items=0-1", 200, text, null],
  ])("get: Range %s is %i", async (range, status, body, contentRange) => {
    const ns = freshNamespace();
    const { digest } = await put(ns, text);
    const res = await call("GET", blobPath(ns, digest), { headers: { range } });
    expect(res.status).toBe(status);
    expect(res.headers.get("Content-Range")).toBe(contentRange);
    expect(res.headers.get("Content-Length")).toBe(String(body.length));
    expect(await res.text()).toBe(body);
  });

  it.each(["bytes=16-", "bytes=99-100", "bytes=5-2", "bytes=-0", "bytes=x-y", "bytes=-", "garbage"])(
    "get: Range %s is 416 with Content-Range bytes */size",
    async (range) => {
      const ns = freshNamespace();
      const { digest } = await put(ns, text);
      const res = await call("GET", blobPath(ns, digest), { headers: { range } });
      expect(res.headers.get("Content-Range")).toBe("bytes */16");
      await expectError(res, 416, "range_not_satisfiable");
    },
  );

  it("get: If-None-Match with the digest or * is 304", async () => {
    const ns = freshNamespace();
    const { digest } = await put(ns, text);
    for (const tag of [`"${digest}"`, "*", `"other", W/"${digest}"`]) {
      const res = await call("GET", blobPath(ns, digest), { headers: { "if-none-match": tag } });
      expect(res.status).toBe(304);
      expect(res.headers.get("ETag")).toBe(`"${digest}"`);
      expect(await res.text()).toBe("");
    }
    const other = await call("GET", blobPath(ns, digest), { headers: { "if-none-match": '"sha256:0"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe(text);
  });

  it("head: the headers of GET and no body", async () => {
    const ns = freshNamespace();
    const { digest } = await put(ns, text);
    const res = await call("HEAD", blobPath(ns, digest));
    expect(res.status).toBe(200);
    expect(res.headers.get("ETag")).toBe(`"${digest}"`);
    expect(res.headers.get("Content-Length")).toBe("16");
    expect(res.headers.get("Accept-Ranges")).toBe("bytes");
    expect(await res.text()).toBe("");
    const missing = await call("HEAD", blobPath(ns, await sha256("missing")));
    expect(missing.status).toBe(404);
  });

  it("get: a row whose object is gone is 404, not 500", async () => {
    const ns = freshNamespace();
    const { digest } = await put(ns, text);
    const listed = await env.BLOBS.list({ prefix: `blobs/${ns}/` });
    await env.BLOBS.delete(listed.objects.map((o) => o.key));
    await expectError(await call("GET", blobPath(ns, digest)), 404, "not_found");
    await expectError(await call("GET", blobPath(ns, digest), { headers: { range: "bytes=0-1" } }), 404, "not_found");
    expect((await call("HEAD", blobPath(ns, digest))).status).toBe(404);
  });

  it("get: an absent digest is 404 and a bad one 400", async () => {
    const ns = freshNamespace();
    await expectError(await call("GET", blobPath(ns, await sha256("absent"))), 404, "not_found");
    await expectError(await call("GET", blobPath(ns, "sha1:abc")), 400, "invalid_argument");
    await expectError(await call("GET", `${blobPath(ns, "md5:x")}/info`), 400, "invalid_argument");
  });
});
