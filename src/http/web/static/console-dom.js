// Small DOM helpers for the console. Text from the API is only ever set as text, never as markup.

/** h creates an element with attributes (`class`, `title`, data-*, …) and children (nodes or text). */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/**
 * table renders rows under column headings. Each column is `{ title, cell(row) }`; `cell` returns
 * text or a node. `empty` is shown instead when there are no rows.
 */
export function table(columns, rows, empty) {
  if (rows.length === 0) return h("p", { class: "muted" }, empty);
  return h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        columns.map((c) => h("th", {}, c.title)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          {},
          columns.map((c) => h("td", { class: c.class }, c.cell(row))),
        ),
      ),
    ),
  );
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** formatBytes gives a size in binary units: 1536 is "1.5 KiB". */
export function formatBytes(n) {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** formatTime shows an RFC 3339 time in the browser's locale, the exact value as its tooltip. */
export function formatTime(iso) {
  if (!iso) return h("span", { class: "muted" }, "—");
  return h("time", { datetime: iso, title: iso }, new Date(iso).toLocaleString());
}

/** formatRelative says how far `iso` is from now: "in 2 h", "5 min ago". */
export function formatRelative(iso, now = Date.now()) {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  const [amount, unit] =
    abs < 90
      ? [abs, "s"]
      : abs < 5400
        ? [Math.round(abs / 60), "min"]
        : abs < 129600
          ? [Math.round(abs / 3600), "h"]
          : [Math.round(abs / 86400), "d"];
  return seconds >= 0 ? `in ${amount} ${unit}` : `${amount} ${unit} ago`;
}

/** labelList shows labels as `key=value` chips. */
export function labelList(labels) {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return h("span", { class: "muted" }, "—");
  return h(
    "span",
    { class: "labels" },
    entries.map(([k, v]) => h("code", { class: "label" }, `${k}=${v}`)),
  );
}

/** shortDigest keeps an algorithm and the first 12 hex digits, the full digest as tooltip. */
export function shortDigest(digest) {
  const [algorithm, hex = ""] = digest.split(":");
  return h("code", { title: digest }, `${algorithm}:${hex.slice(0, 12)}…`);
}

/** moreButton is a "Next page" button, or nothing when the page is the last one. */
export function moreButton(nextCursor, onClick) {
  if (!nextCursor) return null;
  const button = h("button", { type: "button", class: "more" }, "Next page");
  button.addEventListener("click", () => onClick(nextCursor));
  return button;
}
