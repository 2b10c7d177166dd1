/**
 * `GET /assets/{name}`: the files of `WEB_FILES`, without authentication. Every use revalidates
 * (`Cache-Control: no-cache`) against a strong ETag, so an unchanged file costs a 304 and a new
 * deployment is picked up at once.
 */
import { matchesNoneMatch } from "../../content/read";
import { notFound } from "../../errors";
import type { App } from "../context";

/**
 * etags holds each file's ETag once computed. It is derived from text fixed when the Worker was
 * built, so sharing it between requests leaks nothing and never goes stale.
 */
const etags = new Map<string, Promise<string>>();

function etagOf(name: string, body: string): Promise<string> {
  let etag = etags.get(name);
  if (!etag) {
    etag = crypto.subtle.digest("SHA-256", new TextEncoder().encode(body)).then((hash) => {
      const hex = Array.from(new Uint8Array(hash).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
      return `"${hex}"`;
    });
    etags.set(name, etag);
  }
  return etag;
}

/** registerAssets adds the asset route to the app. */
export function registerAssets(app: App): void {
  app.get("/assets/:name", async (c) => {
    // Imported on first use rather than at startup: Node tools that build the app only for its
    // OpenAPI document (scripts/client-types.ts) cannot load `?raw` modules, and never get here.
    const { WEB_FILES } = await import("./files");
    const name = c.req.param("name");
    const file = Object.hasOwn(WEB_FILES, name) ? WEB_FILES[name] : undefined;
    if (!file) throw notFound("asset", name);

    const etag = await etagOf(name, file.body);
    const headers = { "Content-Type": file.type, "Cache-Control": "no-cache", ETag: etag };
    const ifNoneMatch = c.req.header("If-None-Match");
    if (ifNoneMatch !== undefined && matchesNoneMatch(ifNoneMatch, etag)) return c.body(null, 304, headers);
    return c.body(file.body, 200, headers);
  });
}
