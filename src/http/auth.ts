/**
 * Authentication and authorization for every /v1 route, before any route runs: 401 when the token
 * is missing, malformed or unknown; 403 when its role or namespace scope does not cover the
 * request. A namespace the token may not see is 403 before any lookup, so objects in other
 * namespaces cannot be probed.
 */
import type { MiddlewareHandler } from "hono";
import { authorize, type Need } from "../auth/principal";
import { authenticate } from "../auth/tokens";
import { openDb } from "../db/client";
import type { AppEnv } from "./context";

/**
 * ADMIN_PATHS are the admin-only routes: tokens, the collector, and the extension reads that span
 * namespaces or serve the console (the namespace list and resource counts, docs/api.md).
 */
const ADMIN_PATHS = [
  /^\/v1\/(?:tokens|gc)(?:\/|$)/,
  /^\/v1\/namespaces\/?$/,
  /^\/v1\/namespaces\/[^/]*\/resource-counts\/?$/,
];
const NAMESPACED = /^\/v1\/namespaces\/([^/]*)/;

/** needOf tells what a request needs from its method and path. */
export function needOf(method: string, path: string): Need {
  if (ADMIN_PATHS.some((p) => p.test(path))) return { namespace: null, access: "admin" };
  const access = method === "GET" || method === "HEAD" ? "read" : "write";
  const segment = NAMESPACED.exec(path)?.[1];
  let namespace: string | null = null;
  if (segment !== undefined) {
    try {
      namespace = decodeURIComponent(segment);
    } catch {
      namespace = segment; // malformed escapes: the route's validation answers 400 if the token allows
    }
  }
  return { namespace, access };
}

/** requireToken is the middleware on /v1/*. */
export const requireToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = await authenticate(openDb(c.env.DB), c.req.header("Authorization"), c.env.ADMIN_TOKEN);
  authorize(principal, needOf(c.req.method, c.req.path));
  c.set("principal", principal);
  await next();
};
