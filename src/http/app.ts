/**
 * The HTTP edge: one Hono app. Middleware gives every response a `Request-Id`; routes register
 * per room; every error leaves through the one mapper in `errors.ts`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import pkg from "../../package.json";
import { LeaseholdError } from "../errors";
import { accessLog } from "./access-log";
import { requireToken } from "./auth";
import type { App, AppEnv } from "./context";
import { errorResponse, onError } from "./errors";
import { requestLimits } from "./limits";
import { registerContentRoutes } from "./routes/content";
import { registerGcRoutes } from "./routes/gc";
import { registerIngestRoutes } from "./routes/ingests";
import { registerLeaseRoutes } from "./routes/leases";
import { registerNamespaceRoutes } from "./routes/namespaces";
import { registerResourceRoutes } from "./routes/resources";
import { registerTokenRoutes } from "./routes/tokens";
import { validationHook } from "./validation";
import { registerAssets } from "./web/assets";
import { registerConsolePage } from "./web/console";
import { CONTENT_SECURITY_POLICY } from "./web/csp";
import { registerDocsPage } from "./web/docs";

/** VERSION is the service version reported by /healthz and /openapi.json. */
export const VERSION: string = pkg.version;

/**
 * allowedOrigins answers CORS only for the origins listed in CORS_ORIGINS (comma-separated);
 * with none configured, no CORS headers are sent and browsers keep other origins out.
 */
const allowedOrigins: MiddlewareHandler<AppEnv> = async (c, next) => {
  const origins = (c.env.CORS_ORIGINS ?? "")
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean);
  if (origins.length === 0) return next();
  return cors({
    origin: origins,
    allowHeaders: ["Authorization", "Content-Type", "Lease-Id", "Upload-Offset", "Range", "If-None-Match"],
    exposeHeaders: ["Request-Id", "Upload-Offset", "ETag", "Content-Range"],
  })(c, next);
};

/** createApp builds the application with every route registered. */
export function createApp(): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(requestId({ headerName: "Request-Id" }));
  app.use(accessLog);
  app.use(secureHeaders({ crossOriginResourcePolicy: "same-origin", contentSecurityPolicy: CONTENT_SECURITY_POLICY }));
  app.use(allowedOrigins);
  app.use("/v1/*", requestLimits, requireToken);
  app.onError(onError);
  app.notFound((c) =>
    errorResponse(c, new LeaseholdError("not_found", `route ${c.req.method} ${new URL(c.req.url).pathname} not found`)),
  );

  app.get("/healthz", (c) => c.json({ status: "ok", version: VERSION }));
  // A person who opens the bare address lands on the API reference.
  app.get("/", (c) => c.redirect("/docs", 302));
  registerLeaseRoutes(app);
  registerResourceRoutes(app);
  registerContentRoutes(app);
  registerIngestRoutes(app);
  registerGcRoutes(app);
  registerTokenRoutes(app);
  registerNamespaceRoutes(app);
  registerDocsPage(app);
  registerConsolePage(app);
  registerAssets(app);

  // Every operation is under /v1 and takes a bearer token; /docs offers it through "Authorize".
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A Leasehold token (`lh_…`), or the ADMIN_TOKEN secret",
  });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    security: [{ bearer: [] }],
    info: { title: "Leasehold", version: VERSION, description: "Lease-based content store on Workers, D1 and R2." },
  });
  return app;
}
