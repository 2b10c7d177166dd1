// The operator console: asks for an admin token, then shows one namespace's leases and content,
// explains what holds a resource, and charts the collector's runs. Read-only: GET requests only.
import { ApiError, apiGet, token } from "./console-api.js";
import { renderContent } from "./console-content.js";
import { h } from "./console-dom.js";
import { renderExplanation } from "./console-explain.js";
import { renderLeases } from "./console-leases.js";
import { renderRuns } from "./console-runs.js";

const $ = (id) => document.getElementById(id);
const NS_KEY = "leasehold.console.namespace";

/** describe turns a failure into one sentence for the page. */
function describe(err) {
  if (err instanceof ApiError) return `${err.message} (${err.code}, HTTP ${err.status})`;
  return `The API could not be reached: ${err?.message ?? err}`;
}

/** showTokenForm asks for a token again, saying why. */
function showTokenForm(message = "") {
  token.clear();
  $("views").hidden = true;
  for (const id of ["ns-picker", "refresh", "sign-out"]) $(id).hidden = true;
  $("token-form").hidden = false;
  $("token-error").textContent = message;
  $("token").focus();
}

/** guarded runs one view's load, writing its failure into the view instead of throwing. */
async function guarded(target, load) {
  try {
    await load();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showTokenForm("The token was not accepted. Enter an admin token.");
      return;
    }
    target.replaceChildren(h("p", { class: "error" }, describe(err)));
  }
}

const namespace = () => $("namespace").value;
const body = (section) => $(section).querySelector(".body");

function loadNamespaceViews() {
  const ns = namespace();
  if (!ns) {
    const empty = () => h("p", { class: "muted" }, "No namespace holds anything yet.");
    body("leases").replaceChildren(empty());
    body("content").replaceChildren(empty());
    return Promise.resolve();
  }
  sessionStorage.setItem(NS_KEY, ns);
  return Promise.all([
    guarded(body("leases"), () => renderLeases(body("leases"), ns)),
    guarded(body("content"), () => renderContent(body("content"), ns)),
  ]);
}

/** loadNamespaces fills the picker from GET /v1/namespaces, keeping the current choice. */
async function loadNamespaces() {
  const names = [];
  let cursor;
  do {
    const page = await apiGet("/v1/namespaces", { limit: 1000, cursor });
    names.push(...page.namespaces);
    cursor = page.nextCursor;
  } while (cursor);
  const wanted = namespace() || sessionStorage.getItem(NS_KEY) || "default";
  $("namespace").replaceChildren(...names.map((n) => h("option", { value: n }, n)));
  $("namespace").value = names.includes(wanted) ? wanted : (names[0] ?? "");
}

/** loadAll checks the token with the namespace list, then loads every view. */
async function loadAll() {
  $("status").textContent = "";
  try {
    await loadNamespaces();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return showTokenForm("The token was not accepted.");
    if (err instanceof ApiError && err.status === 403) {
      return showTokenForm("The console needs an admin token; this one may not list namespaces.");
    }
    // Before the first load the views are hidden: say it beside the token field instead.
    $($("views").hidden ? "token-error" : "status").textContent = describe(err);
    return;
  }
  $("token-form").hidden = true;
  $("views").hidden = false;
  for (const id of ["ns-picker", "refresh", "sign-out"]) $(id).hidden = false;
  await Promise.all([loadNamespaceViews(), guarded(body("runs"), () => renderRuns($("runs-chart"), body("runs")))]);
}

$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  token.set($("token").value.trim());
  $("token").value = "";
  loadAll();
});

$("explain-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const target = body("explain");
  guarded(target, () => renderExplanation(target, namespace(), $("explain-type").value, $("explain-id").value.trim()));
});

$("namespace").addEventListener("change", () => loadNamespaceViews());
$("refresh").addEventListener("click", () => loadAll());
$("sign-out").addEventListener("click", () => showTokenForm());

if (token.get()) loadAll();
else showTokenForm();
