import { expect, it } from "vitest";
import { call, expectError, freshNamespace, json } from "./helpers";

const leases = (ns: string) => `/v1/namespaces/${ns}/leases`;

it("limits: a deeply nested JSON body is invalid_argument, not a crash", async () => {
  const depth = 200_000;
  const res = await call("POST", leases(freshNamespace()), {
    body: `${"[".repeat(depth)}${"]".repeat(depth)}`,
    headers: { "content-type": "application/json" },
  });
  await expectError(res, 400, "invalid_argument");
});

it("limits: a __proto__ key anywhere in a JSON body is invalid_argument, never silently dropped", async () => {
  const ns = freshNamespace();
  const bodies = [
    `{"id": "a", "__proto__": {}}`,
    `{"id": "b", "labels": {"x": "1", "__proto__": "2"}}`,
    `{"id": "c", "labels": {}, "nested": [[{"__proto__": null}]]}`,
  ];
  for (const body of bodies) {
    const res = await call("POST", leases(ns), { body, headers: { "content-type": "application/json" } });
    expect(await expectError(res, 400, "invalid_argument"), body).toMatch(/__proto__/);
  }
  expect((await json<{ leases: unknown[] }>("GET", leases(ns))).body.leases).toEqual([]);
});

it("limits: a JSON body with 300,000 array items is a 400, not a crash", async () => {
  const res = await call("POST", `${leases(freshNamespace())}/x/resources`, {
    body: `{"resources": [${Array(300_000).fill("0").join(",")}]}`,
    headers: { "content-type": "application/json" },
  });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
});

it("limits: a JSON body over 1 MiB is payload_too_large before parsing", async () => {
  const res = await call("POST", leases(freshNamespace()), {
    body: JSON.stringify({ labels: { k: "v".repeat(1024 * 1024) } }),
    headers: { "content-type": "application/json" },
  });
  await expectError(res, 413, "payload_too_large");
});

it("limits: a content label patch is JSON and capped at 1 MiB too", async () => {
  const path = `/v1/namespaces/${freshNamespace()}/content/sha256:${"0".repeat(64)}`;
  const res = await call("PATCH", path, { json: { labels: { k: "v".repeat(1024 * 1024) } } });
  await expectError(res, 413, "payload_too_large");
});

it("limits: an overlong URL is invalid_argument", async () => {
  await expectError(
    await call("GET", `${leases(freshNamespace())}?filter=${"a".repeat(20_000)}`),
    400,
    "invalid_argument",
  );
});

it.each([
  ["an encoded slash", "/v1/namespaces/a%2Fb/leases"],
  ["a control character", "/v1/namespaces/a%0Ab/leases"],
  ["a NUL", "/v1/namespaces/a%00/leases"],
  ["a broken escape", "/v1/namespaces/a%ZZ/leases"],
  ["an overlong namespace", `/v1/namespaces/${"n".repeat(77)}/leases`],
])("limits: %s in the path is invalid_argument", async (_name, path) => {
  await expectError(await call("GET", path), 400, "invalid_argument");
});

it("limits: dot segments are resolved by URL parsing and reach no route", async () => {
  const ns = freshNamespace();
  // WHATWG URL parsing turns %2e%2e into "..", so these name other paths, which do not exist.
  await expectError(await call("GET", "/v1/namespaces/%2e%2e/leases"), 404, "not_found");
  await expectError(await call("GET", `${leases(ns)}/%2e%2e/resources`), 404, "not_found");
});

it("limits: a path segment is decoded once: %252F stays %2F and is refused", async () => {
  await expectError(await call("GET", `${leases(freshNamespace())}/a%252Fb`), 400, "invalid_argument");
});

it("limits: security headers are set and CORS is off by default", async () => {
  const res = await call("GET", leases(freshNamespace()), { headers: { origin: "https://evil.example" } });
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("access-control-allow-origin")).toBeNull();
  expect((await json("GET", "/healthz")).headers.get("x-frame-options")).toBeTruthy();
});
