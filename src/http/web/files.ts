/**
 * The files the pages load, bundled into the Worker as text by the `?raw` rule of wrangler.toml:
 * Swagger UI for /docs, uPlot for the console's chart, and the pages' own scripts and styles.
 * Each is served under `/assets/<name>`; nothing is fetched from another origin.
 */
import swaggerCss from "swagger-ui-dist/swagger-ui.css?raw";
import swaggerJs from "swagger-ui-dist/swagger-ui-bundle.js?raw";
import uplotJs from "uplot/dist/uPlot.esm.js?raw";
import uplotCss from "uplot/dist/uPlot.min.css?raw";
import consoleCss from "./static/console.css?raw";
import consoleJs from "./static/console.js?raw";
import consoleApiJs from "./static/console-api.js?raw";
import consoleContentJs from "./static/console-content.js?raw";
import consoleDomJs from "./static/console-dom.js?raw";
import consoleExplainJs from "./static/console-explain.js?raw";
import consoleLeasesJs from "./static/console-leases.js?raw";
import consoleRunsJs from "./static/console-runs.js?raw";
import consoleScalesJs from "./static/console-scales.js?raw";
import docsCss from "./static/docs.css?raw";
import docsJs from "./static/docs.js?raw";

/** WebFile is one served file: its text and its media type. */
export interface WebFile {
  body: string;
  type: string;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/** WEB_FILES maps each name under /assets/ to its file. */
export const WEB_FILES: Readonly<Record<string, WebFile>> = {
  "swagger-ui.js": { body: swaggerJs, type: JS },
  "swagger-ui.css": { body: swaggerCss, type: CSS },
  "uplot.js": { body: uplotJs, type: JS },
  "uplot.css": { body: uplotCss, type: CSS },
  "docs.js": { body: docsJs, type: JS },
  "docs.css": { body: docsCss, type: CSS },
  "console.js": { body: consoleJs, type: JS },
  "console.css": { body: consoleCss, type: CSS },
  "console-api.js": { body: consoleApiJs, type: JS },
  "console-content.js": { body: consoleContentJs, type: JS },
  "console-dom.js": { body: consoleDomJs, type: JS },
  "console-explain.js": { body: consoleExplainJs, type: JS },
  "console-leases.js": { body: consoleLeasesJs, type: JS },
  "console-runs.js": { body: consoleRunsJs, type: JS },
  "console-scales.js": { body: consoleScalesJs, type: JS },
};
