// The pages the Worker serves itself: /docs and /console answer HTML without a token, every
// script and stylesheet they load (and every module those import) is served from /assets/ with
// its media type, and the CSP keeps scripts and styles to the Worker's own origin.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError } from "./helpers";

const PAGES = ["/docs", "/console"];

/** assetsOf lists the /assets/ names a page's markup loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1] ?? "");
}

/** importsOf lists the relative modules a served script imports (`./x.js`). */
function importsOf(js: string): string[] {
  return [...js.matchAll(/^\s*import\s[^"']*["']\.\/([^"']+)["']/gm)].map((m) => m[1] ?? "");
}

describe("web pages", () => {
  it.each(PAGES)("GET %s: HTML without a token, no reference to another origin", async (path) => {
    const res = await call("GET", path, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html; charset=utf-8$/i);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(html).not.toMatch(/<script>|<style>| style=/);
    expect(assetsOf(html).length).toBeGreaterThan(1);
  });

  it.each(PAGES)("GET %s: CSP allows scripts and styles from 'self' only", async (path) => {
    const csp = (await call("GET", path, { token: null })).headers.get("content-security-policy") ?? "";
    const directives = new Map(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values.join(" ")] as const;
      }),
    );
    expect(directives.get("default-src")).toBe("'none'");
    expect(directives.get("script-src")).toBe("'self'");
    expect(directives.get("style-src")).toBe("'self'");
    expect(directives.get("connect-src")).toBe("'self'");
    expect(directives.get("frame-ancestors")).toBe("'none'");
  });

  it("GET /: redirects to the API reference, without a token", async () => {
    // `manual`: the Worker's fetch would otherwise follow the redirect and answer /docs itself.
    const res = await exports.default.fetch(new Request("https://leasehold.test/", { redirect: "manual" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/docs");
  });

  it("GET /docs: loads Swagger UI and its initializer", async () => {
    const html = await (await call("GET", "/docs", { token: null })).text();
    expect(assetsOf(html)).toEqual(["swagger-ui.css", "docs.css", "swagger-ui.js", "docs.js"]);
  });

  it("GET /console: loads uPlot's styles and the console module", async () => {
    const html = await (await call("GET", "/console", { token: null })).text();
    expect(assetsOf(html)).toEqual(["uplot.css", "console.css", "console.js"]);
    expect(html).toContain('type="password"');
  });

  it("assets: every file a page loads, and every module those import, is served with its type", async () => {
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const page of PAGES) queue.push(...assetsOf(await (await call("GET", page, { token: null })).text()));
    while (queue.length > 0) {
      const name = queue.shift() ?? "";
      if (seen.has(name)) continue;
      seen.add(name);
      const res = await call("GET", `/assets/${name}`, { token: null });
      expect({ name, status: res.status }).toEqual({ name, status: 200 });
      const type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
      expect({ name, type: res.headers.get("content-type") }).toEqual({ name, type });
      const text = await res.text();
      expect(text.length).toBeGreaterThan(100);
      if (name.endsWith(".js")) queue.push(...importsOf(text));
    }
    // The console's modules, uPlot among them, were reached through the imports.
    expect([...seen]).toEqual(expect.arrayContaining(["uplot.js", "console-api.js", "console-runs.js"]));
  });

  it("assets: the vendored libraries are the real ones", async () => {
    expect(await (await call("GET", "/assets/swagger-ui.js", { token: null })).text()).toContain("SwaggerUIBundle");
    expect(await (await call("GET", "/assets/uplot.js", { token: null })).text()).toMatch(
      /export \{ uPlot as default \}/,
    );
    expect(await (await call("GET", "/assets/swagger-ui.css", { token: null })).text()).toContain(".swagger-ui");
  });

  it("assets: a known ETag is a 304, a changed one the file again", async () => {
    const first = await call("GET", "/assets/console.js", { token: null });
    const etag = first.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("cache-control")).toBe("no-cache");
    await first.text();

    const same = await call("GET", "/assets/console.js", { token: null, headers: { "if-none-match": `W/${etag}` } });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe("");
    const other = await call("GET", "/assets/console.js", { token: null, headers: { "if-none-match": '"stale"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toContain("import");
  });

  it("assets: HEAD answers headers only", async () => {
    const res = await call("HEAD", "/assets/uplot.css", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await res.text()).toBe("");
  });

  it.each(["nope.js", "toString", "__proto__", "..%2Fdocs.ts"])("assets: GET /assets/%s is 404", async (name) => {
    await expectError(await call("GET", `/assets/${name}`, { token: null }), 404, "not_found");
  });
});
