// Why the collector keeps a resource (GET …/gc/explain): live or not, the reason, and the path
// from the root that holds it.
import { apiGet, nsPath } from "./console-api.js";
import { h } from "./console-dom.js";

const REASONS = {
  lease: "an unexpired lease holds it",
  root: "it is labelled containerd.io/gc.root",
  reference: "live content references it",
  ingest: "it is an unexpired ingest",
};

/** renderExplanation fills `body` with the explanation for one resource. */
export async function renderExplanation(body, ns, type, id) {
  const result = await apiGet(nsPath(ns, "gc/explain"), { type, id });
  const verdict = result.live
    ? h("p", { class: "live" }, "Kept: ", REASONS[result.reason] ?? result.reason)
    : h("p", { class: "dead" }, "Not held: the next collection removes it (if it exists).");
  const path =
    result.path.length === 0
      ? ""
      : h(
          "ol",
          { class: "path" },
          result.path.map((step) => h("li", {}, h("span", { class: "muted" }, step.type, " "), h("code", {}, step.id))),
        );
  body.replaceChildren(verdict, path);
}
