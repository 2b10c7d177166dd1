// Leases of one namespace, a page at a time, with expiry and how many resources each holds
// (GET …/leases, then one GET …/resource-counts for the whole page).
import { apiGet, nsPath } from "./console-api.js";
import { formatRelative, formatTime, h, labelList, moreButton, table } from "./console-dom.js";

const PAGE = 50;

function expiry(lease, now) {
  if (!lease.expiresAt) return h("span", { class: "muted" }, "never");
  const expired = Date.parse(lease.expiresAt) < now;
  return h(
    "span",
    { class: expired ? "expired" : undefined, title: lease.expiresAt },
    expired ? `expired ${formatRelative(lease.expiresAt, now)}` : formatRelative(lease.expiresAt, now),
  );
}

/** renderLeases fills `body` with a page of the namespace's leases. */
export async function renderLeases(body, ns, cursor) {
  const page = await apiGet(nsPath(ns, "leases"), { limit: PAGE, cursor });
  const ids = page.leases.map((l) => l.id);
  const counts = new Map();
  if (ids.length > 0) {
    const { counts: list } = await apiGet(nsPath(ns, "resource-counts"), { lease: ids });
    for (const c of list) counts.set(c.lease, c);
  }

  const now = Date.now();
  const columns = [
    { title: "id", cell: (l) => h("code", {}, l.id) },
    { title: "created", cell: (l) => formatTime(l.createdAt) },
    { title: "expires", cell: (l) => expiry(l, now) },
    { title: "content", class: "num", cell: (l) => counts.get(l.id)?.content ?? "—" },
    { title: "ingests", class: "num", cell: (l) => counts.get(l.id)?.ingests ?? "—" },
    { title: "labels", cell: (l) => labelList(l.labels) },
  ];
  body.replaceChildren(
    table(columns, page.leases, `No lease in "${ns}".`),
    moreButton(page.nextCursor, (next) => renderLeases(body, ns, next)) ?? "",
  );
}
