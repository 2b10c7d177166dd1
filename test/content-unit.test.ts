import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parseRange } from "../src/content/range";
import { checkContentLabels, contentRefRows, rootOf } from "../src/content/refs";
import { putContent } from "../src/content/upload";
import { openDb } from "../src/db/client";
import { LeaseholdError } from "../src/errors";
import type { Digest } from "../src/model/digest";
import { freshNamespace, sha256, sha512 } from "./helpers";

const REF = "containerd.io/gc.ref.content";

describe("parseRange", () => {
  it.each([
    [undefined, 10, null],
    ["bytes=0-0", 10, { offset: 0, length: 1 }],
    ["bytes=3-", 10, { offset: 3, length: 7 }],
    ["bytes=-4", 10, { offset: 6, length: 4 }],
    ["bytes=-40", 10, { offset: 0, length: 10 }],
    ["bytes=8-1000", 10, { offset: 8, length: 2 }],
    ["BYTES = 1-2", 10, { offset: 1, length: 2 }],
    ["bytes=0-1, 3-4", 10, null],
    ["lines=1-2", 10, null],
  ])("parseRange: %s of %i bytes", (header, size, want) => {
    expect(parseRange(header, size)).toEqual(want);
  });

  it.each([
    ["bytes=10-", 10],
    ["bytes=4-3", 10],
    ["bytes=-0", 10],
    ["bytes=-1", 0],
    ["bytes=0-", 0],
    ["bytes=a-b", 10],
    ["bytes=1-2-3", 10],
    ["bytes", 10],
    [`bytes=${"9".repeat(400)}-`, 10],
  ])("parseRange: %s of %i bytes is range_not_satisfiable", (header, size) => {
    expect(() => parseRange(header, size)).toThrow(LeaseholdError);
    try {
      parseRange(header, size);
    } catch (err) {
      expect((err as LeaseholdError).code).toBe("range_not_satisfiable");
      expect((err as LeaseholdError).headers).toEqual({ "Content-Range": `bytes */${size}` });
    }
  });
});

describe("contentRefRows", () => {
  it("contentRefRows: one row per reference label, none for look-alikes or empty values", async () => {
    const [a, b, c] = [await sha256("a"), await sha256("b"), await sha256("c")];
    const labels = {
      [REF]: a,
      [`${REF}.config`]: b,
      [`${REF}/layer.0`]: c,
      [`${REF}X`]: a,
      [`${REF}.`]: a,
      [`${REF}.empty`]: "",
      "containerd.io/gc.ref.snapshot.overlayfs": "x",
      team: "ci",
    };
    expect(contentRefRows("ns", "sha256:parent", labels)).toEqual([
      { namespace: "ns", digest: "sha256:parent", label: REF, target: a },
      { namespace: "ns", digest: "sha256:parent", label: `${REF}.config`, target: b },
      { namespace: "ns", digest: "sha256:parent", label: `${REF}/layer.0`, target: c },
    ]);
  });

  it("rootOf: set only by a non-empty gc.root", () => {
    expect([rootOf({}), rootOf({ "containerd.io/gc.root": "" }), rootOf({ "containerd.io/gc.root": "x" })]).toEqual([
      0, 0, 1,
    ]);
  });

  it("checkContentLabels: refuses a reference that is not a digest", () => {
    expect(() => checkContentLabels({ [REF]: "latest" })).toThrow(/must reference a digest/);
    expect(() => checkContentLabels({ [`${REF}X`]: "latest" })).not.toThrow();
  });
});

describe("putContent", () => {
  const stream = (text: string) => new Response(text).body;

  it("putContent: above maxBytes is payload_too_large before the body is read", async () => {
    const ns = freshNamespace();
    const body = stream("0123456789");
    const digest = (await sha256("0123456789")) as Digest;
    await expect(
      putContent(openDb(env.DB), env.BLOBS, ns, digest, { length: 10, body, maxBytes: 9 }),
    ).rejects.toMatchObject({ code: "payload_too_large" });
    expect(body?.locked).toBe(false);
    expect((await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects).toEqual([]);
  });

  it("putContent: at maxBytes is accepted", async () => {
    const ns = freshNamespace();
    const digest = (await sha256("0123456789")) as Digest;
    const result = await putContent(openDb(env.DB), env.BLOBS, ns, digest, {
      length: 10,
      body: stream("0123456789"),
      maxBytes: 10,
    });
    expect(result).toMatchObject({ created: true, info: { digest, size: 10 } });
  });

  it("putContent: a body longer than its length is invalid_argument and keeps nothing", async () => {
    const ns = freshNamespace();
    const digest = (await sha256("0123456789")) as Digest;
    await expect(
      putContent(openDb(env.DB), env.BLOBS, ns, digest, { length: 5, body: stream("0123456789"), maxBytes: 100 }),
    ).rejects.toMatchObject({ code: "invalid_argument", message: expect.stringMatching(/carried more$/) });
    expect((await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects).toEqual([]);
  });

  it("putContent: a sha512 mismatch is refused by R2, names both digests and keeps nothing", async () => {
    const ns = freshNamespace();
    const wrong = await sha512("other");
    const err = await putContent(openDb(env.DB), env.BLOBS, ns, wrong as Digest, {
      length: 4,
      body: stream("mine"),
      maxBytes: 100,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "invalid_argument" });
    expect((err as Error).message).toMatch(
      new RegExp(`^digest mismatch: expected ${wrong}, got sha512:[0-9a-f]{128}$`),
    );
    expect((await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects).toEqual([]);
  });

  it("putContent: a bucket that stores without verifying the checksum gets nothing published", async () => {
    // The same binding, but every put loses its checksum option: what R2 did not verify must not
    // become readable under the digest, even when the bytes happen to be right.
    const unverified = new Proxy(env.BLOBS, {
      get(target, prop) {
        if (prop === "put") return (key: string, value: ReadableStream) => target.put(key, value);
        const v = Reflect.get(target, prop);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const ns = freshNamespace();
    const digest = (await sha256("right bytes")) as Digest;
    await expect(
      putContent(openDb(env.DB), unverified, ns, digest, { length: 11, body: stream("right bytes"), maxBytes: 100 }),
    ).rejects.toMatchObject({ code: "unavailable" });
    expect((await env.BLOBS.list({ prefix: `blobs/${ns}/` })).objects).toEqual([]);
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM content WHERE namespace = ?").bind(ns).first("n");
    expect(rows).toBe(0);
  });
});
