/**
 * `GET /console`: the read-only operator console. The page itself needs no token; its script asks
 * for an admin token, keeps it in sessionStorage (never in a URL) and reads everything through
 * the /v1 API: namespaces, leases with their resource counts, content, why a blob is kept, and
 * the collector's recent runs with a chart. See docs/console.md.
 */
import type { App } from "../context";
import { htmlPage, pageHeaders } from "./page";

const BODY = `<header class="bar">
  <h1>Leasehold console</h1>
  <span class="muted">read-only</span>
  <span class="spacer"></span>
  <label id="ns-picker" hidden>namespace <select id="namespace"></select></label>
  <button type="button" id="refresh" hidden>Refresh</button>
  <button type="button" id="sign-out" hidden>Forget token</button>
</header>
<main>
  <form id="token-form" class="card" autocomplete="off">
    <h2>Admin token</h2>
    <p>The console reads the API with an admin token. It is kept in this tab's session storage and
    sent only in the Authorization header.</p>
    <input id="token" type="password" name="token" placeholder="Bearer token" autocomplete="off" required>
    <button type="submit">Open the console</button>
    <p id="token-error" class="error" role="alert"></p>
  </form>
  <div id="views" hidden>
    <p id="status" class="error" role="alert"></p>
    <section class="card" id="leases">
      <h2>Leases</h2>
      <div class="body"></div>
    </section>
    <section class="card" id="explain">
      <h2>What holds a resource</h2>
      <form id="explain-form" autocomplete="off">
        <select id="explain-type"><option value="content">content</option><option value="ingests">ingests</option></select>
        <input id="explain-id" placeholder="sha256:… or ingest ref" required>
        <button type="submit">Explain</button>
      </form>
      <div class="body"></div>
    </section>
    <section class="card" id="content">
      <h2>Content</h2>
      <div class="body"></div>
    </section>
    <section class="card" id="runs">
      <h2>Collector runs</h2>
      <div id="runs-chart"></div>
      <div class="body"></div>
    </section>
  </div>
</main>`;

const CONSOLE_PAGE = htmlPage({
  title: "Leasehold console",
  styles: ["uplot.css", "console.css"],
  module: "console.js",
  body: BODY,
});

/** registerConsolePage adds /console to the app. */
export function registerConsolePage(app: App): void {
  app.get("/console", (c) => c.html(CONSOLE_PAGE, 200, pageHeaders));
}
