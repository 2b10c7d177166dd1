/**
 * `GET /docs`: the interactive API reference, Swagger UI rendering /openapi.json. Unauthenticated
 * like the document itself; "Try it out" sends the bearer token given to its Authorize dialog,
 * which Swagger UI keeps in memory only.
 */
import type { App } from "../context";
import { htmlPage, pageHeaders } from "./page";

const DOCS_PAGE = htmlPage({
  title: "Leasehold API reference",
  styles: ["swagger-ui.css", "docs.css"],
  scripts: ["swagger-ui.js", "docs.js"],
  body: `<div id="swagger-ui"><p class="loading">Loading the API reference from /openapi.json…</p></div>`,
});

/** registerDocsPage adds /docs to the app. */
export function registerDocsPage(app: App): void {
  app.get("/docs", (c) => c.html(DOCS_PAGE, 200, pageHeaders));
}
