/** The HTML shell of the pages the Worker serves: fixed markup, every script and style from /assets/. */

export interface PageInput {
  title: string;
  /** Names under /assets/ of the stylesheets, in order. */
  styles: string[];
  /** Names under /assets/ of the classic scripts, in order, run after the body is parsed. */
  scripts?: string[];
  /** Name under /assets/ of the page's ES module, if it has one. */
  module?: string;
  /** The body's markup; static, never built from request data. */
  body: string;
}

/** htmlPage renders a complete document. */
export function htmlPage(input: PageInput): string {
  const styles = input.styles.map((s) => `<link rel="stylesheet" href="/assets/${s}">`);
  const scripts = (input.scripts ?? []).map((s) => `<script src="/assets/${s}" defer></script>`);
  if (input.module) scripts.push(`<script type="module" src="/assets/${input.module}"></script>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${input.title}</title>
${[...styles, ...scripts].join("\n")}
</head>
<body>
${input.body}
</body>
</html>
`;
}

/** pageHeaders go with every page: revalidated on each use, like the assets. */
export const pageHeaders = { "Cache-Control": "no-cache" };
