/**
 * One structured log line per request: method, route pattern, status, duration, namespace and
 * token id. Never the token, never a body. 5xx answers log at error level, the rest at info.
 */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { enabled, log } from "../log";
import type { AppEnv } from "./context";

/** accessLog is the outermost middleware after the request id. */
export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  const fields = {
    requestId: c.get("requestId"),
    method: c.req.method,
    route: routePath(c, -1),
    status: c.res.status,
    durationMs: Date.now() - started,
    namespace: c.req.param("ns"),
    tokenId: c.get("principal")?.tokenId,
  };
  if (c.res.status >= 500) log.error("request", fields);
  else if (enabled(c.env.LOG_LEVEL, "info")) log.info("request", fields);
};
