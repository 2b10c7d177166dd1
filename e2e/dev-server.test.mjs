// The e2e harness itself: the dev server answers, takes the dev admin token, runs the cron
// endpoint, and is gone after stop().
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startDevServer } from "./lib/dev-server.mjs";

let server;
before(async () => {
  server = await startDevServer();
});
after(() => server?.stop());

test("dev server: /healthz answers and the admin token is accepted", async () => {
  assert.equal((await fetch(`${server.base}/healthz`)).status, 200);
  const denied = await fetch(`${server.base}/v1/tokens`);
  assert.equal(denied.status, 401);
  const listed = await fetch(`${server.base}/v1/tokens`, { headers: { authorization: `Bearer ${server.token}` } });
  assert.equal(listed.status, 200);
});

test("dev server: the cron test endpoint is on", async () => {
  const res = await fetch(`${server.base}/__scheduled?cron=*/5+*+*+*+*`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Ran scheduled event/);
});

test("dev server: stop() ends it", async () => {
  const { base, stop } = await startDevServer();
  assert.notEqual(base, server.base);
  assert.doesNotMatch(base, /:(8787|8801)$/);
  await stop();
  await assert.rejects(fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) }));
});
