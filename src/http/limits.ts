/**
 * Request limits applied before any parsing. JSON bodies are small by design (64 labels of 4 KiB,
 * 1,000 resources), so any request that is not a byte upload may carry at most JSON_BODY_LIMIT
 * bytes; byte uploads are bounded by their own routes (MAX_UPLOAD_BYTES, the ingest part size).
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { LeaseholdError } from "../errors";
import type { AppEnv } from "./context";

/** JSON_BODY_LIMIT is the largest non-upload request body, in bytes (1 MiB). */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** Byte uploads: PUT a blob, PATCH an ingest part. (PATCH on content is a JSON label patch.) */
const UPLOADS: Record<string, RegExp> = {
  PUT: /^\/v1\/namespaces\/[^/]+\/content\/[^/]+$/,
  PATCH: /^\/v1\/namespaces\/[^/]+\/ingests\/[^/]+$/,
};

/** MAX_URL_LENGTH bounds the request target (path and query), in characters. */
export const MAX_URL_LENGTH = 16 * 1024;

const jsonLimit = bodyLimit({
  maxSize: JSON_BODY_LIMIT,
  onError: () => {
    throw new LeaseholdError("payload_too_large", `request body is larger than ${JSON_BODY_LIMIT} bytes`);
  },
});

/** requestLimits bounds the URL and, for every route but byte uploads, the body. */
export const requestLimits: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.url.length > MAX_URL_LENGTH) {
    throw new LeaseholdError("invalid_argument", `request URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  if (UPLOADS[c.req.method]?.test(c.req.path)) return next();
  return jsonLimit(c, async () => {
    await refuseProtoKeys(c, next);
  });
};

/** The one JSON key no JavaScript object holds as data: assigning it replaces the prototype. */
const PROTO_KEY = "__proto__";

/**
 * refuseProtoKeys answers 400 to a JSON body with a `__proto__` key at any depth. Validation
 * would drop such a key silently (a label `{"__proto__": "x"}` would vanish while the request
 * succeeded); refusing it loses nothing. A body that is not valid JSON passes on to the route's
 * validator, which reports it; Hono keeps the parsed body, so it is parsed once.
 */
const refuseProtoKeys: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!(c.req.header("content-type") ?? "").toLowerCase().includes("json")) return next();
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return next();
  }
  if (hasProtoKey(body)) throw new LeaseholdError("invalid_argument", `JSON key "${PROTO_KEY}" is not allowed`);
  return next();
};

/** hasProtoKey walks a parsed JSON value without recursion (nesting may be deep). */
function hasProtoKey(root: unknown): boolean {
  const stack = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== "object") continue;
    if (!Array.isArray(value) && Object.hasOwn(value, PROTO_KEY)) return true;
    for (const child of Object.values(value)) stack.push(child);
  }
  return false;
}
