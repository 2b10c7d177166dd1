// /docs and /console in a real browser: Debian's headless Chromium, driven by playwright-core,
// against a fresh dev server. Data is made through the API first; the pages must show it, load
// nothing from another origin and raise no script or CSP error. Screenshots go to
// e2e/screenshots/ (git-ignored) for a person to look at.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDevServer } from "./lib/dev-server.mjs";

const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const SHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));

const LEASE = "e2e-build-1";
const BLOB = "hello from the browser test\n";

let server;
let browser;
let digest;

/** api calls the dev server as the admin and returns the parsed body (null when empty). */
async function api(method, path, { json, body, headers = {} } = {}) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: json === undefined ? body : JSON.stringify(json),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function sha256(text) {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return `sha256:${Buffer.from(hash).toString("hex")}`;
}

/** seed makes a lease holding a blob and an ingest, and two collector runs (one freeing bytes). */
async function seed() {
  const ns = "/v1/namespaces/default";
  await api("POST", `${ns}/leases`, { json: { id: LEASE, ttl: 3600, labels: { team: "e2e" } } });
  digest = await sha256(BLOB);
  await api("PUT", `${ns}/content/${digest}`, { body: BLOB, headers: { "lease-id": LEASE } });
  await api("POST", `${ns}/leases/${LEASE}/resources`, { json: { type: "ingests", id: "upload-e2e" } });

  await api("POST", `${ns}/leases`, { json: { id: "e2e-doomed", ttl: 3600 } });
  const doomed = "bytes the collector frees\n";
  await api("PUT", `${ns}/content/${await sha256(doomed)}`, { body: doomed, headers: { "lease-id": "e2e-doomed" } });
  const { gc } = await api("DELETE", `${ns}/leases/e2e-doomed?sync=true`);
  assert.equal(gc.bytesFreed, doomed.length);
  await api("POST", "/v1/gc", { json: {} });
}

/**
 * openPage opens a tab that records what must not happen: a request to another origin, a page
 * error, a console error (CSP violations are reported there).
 */
async function openPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const faults = [];
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(`${server.base}/`) && !url.startsWith("data:")) faults.push(`request to ${url}`);
  });
  page.on("pageerror", (e) => faults.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") faults.push(`console error: ${m.text()}`);
  });
  return { page, faults, close: () => context.close() };
}

/** submitToken types a token into the console's form and submits it. */
async function submitToken(page, token) {
  await page.fill("#token", token);
  await page.click("#token-form button[type=submit]");
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
  mkdirSync(SHOTS, { recursive: true });
  server = await startDevServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Runs first, before anything is stored.
describe("/console, empty store", () => {
  test("console: with nothing stored, every namespace view says so", async () => {
    const { page, faults, close } = await openPage();
    try {
      await page.goto(`${server.base}/console`);
      await submitToken(page, server.token);
      for (const view of ["#leases", "#content"]) {
        await page.locator(`${view} .body`, { hasText: "No namespace holds anything yet." }).waitFor();
      }
      assert.deepEqual(faults, []);
    } finally {
      await close();
    }
  });
});

describe("/docs", () => {
  test("docs: Swagger UI lists every operation of /openapi.json, with examples", async () => {
    const doc = await (await fetch(`${server.base}/openapi.json`)).json();
    const expected = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();

    const { page, faults, close } = await openPage();
    try {
      await page.goto(`${server.base}/docs`);
      await page.locator(".opblock").first().waitFor({ timeout: 30_000 });
      const shown = await page.$$eval(".opblock", (blocks) =>
        blocks.map((b) => {
          const method = b.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "";
          const path = b.querySelector(".opblock-summary-path")?.getAttribute("data-path") ?? "";
          return `${method} ${path}`;
        }),
      );
      assert.deepEqual(shown.sort(), expected);
      assert.ok(expected.length >= 28, `only ${expected.length} operations`);
      await page.screenshot({ path: `${SHOTS}docs.png` });

      // One operation opened: its example request body and responses are shown.
      const create = page.locator(".opblock-post", { has: page.locator('[data-path="/v1/namespaces/{ns}/leases"]') });
      await create.locator(".opblock-summary").click();
      const body = create.locator(".opblock-body");
      await body.getByText('"ttl": 3600').first().waitFor();
      await body.getByText('"already_exists"').first().waitFor();
      await create.screenshot({ path: `${SHOTS}docs-operation.png` });
      assert.deepEqual(faults, []);
    } finally {
      await close();
    }
  });
});

describe("/console", () => {
  before(seed);

  test("console: asks for a token, then shows the lease, its counts, the content and the runs", async () => {
    const { page, faults, close } = await openPage();
    try {
      await page.goto(`${server.base}/console`);
      await page.locator("#token-form").waitFor();
      assert.equal(await page.locator("#views").isVisible(), false);
      await submitToken(page, server.token);

      const row = page.locator("#leases tbody tr", { hasText: LEASE });
      await row.waitFor();
      const cells = await row.locator("td").allTextContents();
      assert.deepEqual(cells.slice(3, 5), ["1", "1"], `content and ingest counts in ${cells}`);
      assert.match(cells[2], /^in (59|60) min$/);
      assert.match(cells[5], /team=e2e/);

      const blob = page.locator("#content tbody tr", { hasText: digest.slice(0, 19) });
      await blob.waitFor();
      assert.match(await blob.textContent(), new RegExp(`${BLOB.length} B`));

      const runs = page.locator("#runs tbody tr");
      await page.locator("#runs tbody tr", { hasText: "sync" }).waitFor();
      assert.ok((await runs.count()) >= 2);
      const canvas = page.locator("#runs-chart canvas");
      await canvas.first().waitFor();
      const box = await canvas.first().boundingBox();
      assert.ok(box && box.width > 300 && box.height > 100, `chart canvas ${JSON.stringify(box)}`);
      assert.match(await page.locator("#runs-chart .u-legend").textContent(), /bytes freed.*duration/s);

      // The token lives in this tab's session storage and nowhere in the URL.
      assert.equal(await page.evaluate(() => sessionStorage.getItem("leasehold.console.token")), server.token);
      assert.equal(await page.evaluate(() => localStorage.length), 0);
      assert.ok(!page.url().includes(server.token), page.url());

      await page.fill("#explain-id", digest);
      await page.click("#explain-form button[type=submit]");
      const explained = page.locator("#explain .body");
      await explained.getByText("Kept: an unexpired lease holds it").waitFor();
      assert.match(await explained.textContent(), new RegExp(`lease\\s*${LEASE}`));

      await page.screenshot({ path: `${SHOTS}console.png`, fullPage: true });
      assert.deepEqual(faults, []);
    } finally {
      await close();
    }
  });

  test("console: a reload keeps the session; forgetting the token asks again", async () => {
    const { page, faults, close } = await openPage();
    try {
      await page.goto(`${server.base}/console`);
      await submitToken(page, server.token);
      await page.locator("#leases tbody tr", { hasText: LEASE }).waitFor();

      await page.reload();
      await page.locator("#leases tbody tr", { hasText: LEASE }).waitFor();
      assert.equal(await page.locator("#token-form").isVisible(), false);

      await page.click("#sign-out");
      await page.locator("#token-form").waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.getItem("leasehold.console.token")), null);
      assert.equal(await page.locator("#views").isVisible(), false);
      assert.deepEqual(faults, []);
    } finally {
      await close();
    }
  });

  test("console: the chart's scales, as the browser runs them", async () => {
    const { page, faults, close } = await openPage();
    try {
      await page.goto(`${server.base}/console`);
      const ranges = await page.evaluate(async () => {
        const { fromZero, timeRange } = await import("/assets/console-scales.js");
        return {
          one: timeRange(1000, 1000),
          close: timeRange(1000, 1000.4),
          apart: timeRange(1000, 1600),
          zero: fromZero(0),
        };
      });
      // A single run (or runs within a second) gets a minute around it, not uPlot's years.
      assert.deepEqual(ranges, { one: [970, 1030], close: [970, 1030.4], apart: [1000, 1600], zero: [0, 1.1] });
      assert.deepEqual(faults, []);
    } finally {
      await close();
    }
  });

  test("console: an API failure before the first view is shown beside the token field", async () => {
    const { page, close } = await openPage();
    try {
      await page.route("**/v1/namespaces?*", (route) =>
        route.fulfill({
          status: 503,
          contentType: "application/json",
          body: JSON.stringify({
            error: { code: "unavailable", message: "D1 is unavailable, retry later", requestId: "r" },
          }),
        }),
      );
      await page.goto(`${server.base}/console`);
      await submitToken(page, server.token);
      await page
        .locator("#token-error", { hasText: "D1 is unavailable, retry later (unavailable, HTTP 503)" })
        .waitFor();
      assert.equal(await page.locator("#views").isVisible(), false);
    } finally {
      await close();
    }
  });

  test("console: a wrong token, or one that is not admin, is refused with a reason", async () => {
    const writer = await api("POST", "/v1/tokens", { json: { role: "write", namespaces: "*" } });
    const { page, close } = await openPage();
    try {
      await page.goto(`${server.base}/console`);
      await submitToken(page, "not-a-token");
      await page.locator("#token-error", { hasText: "not accepted" }).waitFor();

      await submitToken(page, writer.token);
      await page.locator("#token-error", { hasText: "needs an admin token" }).waitFor();
      assert.equal(await page.locator("#views").isVisible(), false);
      assert.equal(await page.evaluate(() => sessionStorage.getItem("leasehold.console.token")), null);
      await page.screenshot({ path: `${SHOTS}console-refused.png` });
    } finally {
      await close();
    }
  });
});
