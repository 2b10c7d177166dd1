// Label keys that collide with what every JavaScript object carries: a filter names only labels
// somebody set, and the one key an object cannot hold as data (`__proto__`) is refused, not lost.
import { describe, expect, it } from "vitest";
import { call, expectError, freshNamespace, json, sha256 } from "./helpers";

const JSON_TYPE = { "content-type": "application/json" };

async function blobWithoutLabels(ns: string): Promise<string> {
  const digest = await sha256("plain");
  expect((await call("PUT", `/v1/namespaces/${ns}/content/${digest}`, { body: "plain" })).status).toBe(201);
  return digest;
}

describe("inherited names in filters", () => {
  it("content list: labels.constructor is absent and labels.toString compares as empty", async () => {
    const ns = freshNamespace();
    const digest = await blobWithoutLabels(ns);
    const list = async (filter: string) =>
      (
        await json<{ content: { digest: string }[] }>(
          "GET",
          `/v1/namespaces/${ns}/content?filter=${encodeURIComponent(filter)}`,
        )
      ).body.content.map((c) => c.digest);
    expect(await list("labels.constructor")).toEqual([]);
    expect(await list("labels.__proto__")).toEqual([]);
    expect(await list("labels.toString~=^$")).toEqual([digest]);
    expect(await list("labels.hasOwnProperty!=x")).toEqual([digest]);
  });

  it("lease list: a regex filter on labels.constructor matches no lease without that label", async () => {
    const ns = freshNamespace();
    expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id: "l1" } })).status).toBe(201);
    const list = async (filter: string) =>
      (
        await json<{ leases: { id: string }[] }>(
          "GET",
          `/v1/namespaces/${ns}/leases?filter=${encodeURIComponent(filter)}`,
        )
      ).body.leases.map((l) => l.id);
    expect(await list("labels.constructor~=.")).toEqual([]);
    expect(await list("labels.toString~=^$")).toEqual(["l1"]);
  });

  it("lease list: a label key with a control character filters in the isolate, not in a broken JSON path", async () => {
    const ns = freshNamespace();
    expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id: "l1" } })).status).toBe(201);
    for (const filter of ['labels."k\x00z"', 'labels."k\x00z"==v', 'labels."\x00"!=v', 'labels."a\nb"']) {
      const res = await json<{ leases: { id: string }[] }>(
        "GET",
        `/v1/namespaces/${ns}/leases?filter=${encodeURIComponent(filter)}`,
      );
      expect({ filter, status: res.status }).toEqual({ filter, status: 200 });
      expect(res.body.leases.map((l) => l.id)).toEqual(filter.endsWith("!=v") ? ["l1"] : []);
    }
  });
});

describe("the __proto__ label key", () => {
  // Raw JSON text: an object literal with a __proto__ key would set a prototype, not a key.
  const body = (labels: string, extra = "") => `{${extra}"labels": {"__proto__": "x", "a": "b"}${labels}}`;

  it("lease create and patch: 400, and nothing changes", async () => {
    const ns = freshNamespace();
    const created = await call("POST", `/v1/namespaces/${ns}/leases`, {
      body: body("", '"id": "p", '),
      headers: JSON_TYPE,
    });
    expect(await expectError(created, 400, "invalid_argument")).toMatch(/__proto__/);
    await expectError(await call("GET", `/v1/namespaces/${ns}/leases/p`), 404, "not_found");

    expect((await call("POST", `/v1/namespaces/${ns}/leases`, { json: { id: "q" } })).status).toBe(201);
    const patched = await call("PATCH", `/v1/namespaces/${ns}/leases/q`, { body: body(""), headers: JSON_TYPE });
    expect(await expectError(patched, 400, "invalid_argument")).toMatch(/__proto__/);
    expect((await json<{ labels: object }>("GET", `/v1/namespaces/${ns}/leases/q`)).body.labels).toEqual({});
  });

  it("content label patch: 400, and the labels stay as they were", async () => {
    const ns = freshNamespace();
    const digest = await blobWithoutLabels(ns);
    const res = await call("PATCH", `/v1/namespaces/${ns}/content/${digest}`, { body: body(""), headers: JSON_TYPE });
    expect(await expectError(res, 400, "invalid_argument")).toMatch(/__proto__/);
    const info = await json<{ labels: object }>("GET", `/v1/namespaces/${ns}/content/${digest}/info`);
    expect(info.body.labels).toEqual({});
  });
});
