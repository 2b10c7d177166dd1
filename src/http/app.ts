/**
 * The HTTP edge: one Hono app. Middleware gives every response a `Request-Id`; routes register
 * per room; every error leaves through the one mapper in `errors.ts`.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { requestId } from "hono/request-id";
import pkg from "../../package.json";
import { LeaseholdError } from "../errors";
import type { App, AppEnv } from "./context";
import { errorResponse, onError } from "./errors";
import { registerLeaseRoutes } from "./routes/leases";
import { registerResourceRoutes } from "./routes/resources";
import { validationHook } from "./validation";

/** VERSION is the service version reported by /healthz and /openapi.json. */
export const VERSION: string = pkg.version;

/** createApp builds the application with every route registered. */
export function createApp(): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(requestId({ headerName: "Request-Id" }));
  app.onError(onError);
  app.notFound((c) =>
    errorResponse(c, new LeaseholdError("not_found", `route ${c.req.method} ${new URL(c.req.url).pathname} not found`)),
  );

  app.get("/healthz", (c) => c.json({ status: "ok", version: VERSION }));
  registerLeaseRoutes(app);
  registerResourceRoutes(app);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Leasehold", version: VERSION, description: "Lease-based content store on Workers, D1 and R2." },
  });
  return app;
}
