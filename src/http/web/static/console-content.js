// Content of one namespace, a page at a time, with sizes and the page's total.
import { apiGet, nsPath } from "./console-api.js";
import { formatBytes, formatTime, h, labelList, moreButton, shortDigest, table } from "./console-dom.js";

const PAGE = 100;

/** renderContent fills `body` with a page of the namespace's blobs. */
export async function renderContent(body, ns, cursor) {
  const page = await apiGet(nsPath(ns, "content"), { limit: PAGE, cursor });
  const total = page.content.reduce((sum, c) => sum + c.size, 0);
  const columns = [
    { title: "digest", cell: (c) => shortDigest(c.digest) },
    { title: "size", class: "num", cell: (c) => h("span", { title: `${c.size} bytes` }, formatBytes(c.size)) },
    { title: "created", cell: (c) => formatTime(c.createdAt) },
    { title: "labels", cell: (c) => labelList(c.labels) },
  ];
  const summary =
    page.content.length === 0
      ? ""
      : h(
          "p",
          { class: "summary" },
          `${page.content.length} blob${page.content.length === 1 ? "" : "s"}, ${formatBytes(total)}`,
          page.nextCursor ? " on this page" : "",
        );
  body.replaceChildren(
    summary,
    table(columns, page.content, `No content in "${ns}".`),
    moreButton(page.nextCursor, (next) => renderContent(body, ns, next)) ?? "",
  );
}
