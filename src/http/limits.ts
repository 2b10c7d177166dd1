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
  return jsonLimit(c, next);
};
