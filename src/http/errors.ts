/**
 * The one error mapper. Every error thrown anywhere below a route ends here and leaves as the
 * contract's envelope: `{"error": {"code", "message", "requestId"}}`. Typed errors keep their
 * code and message; Hono's own HTTP exceptions are mapped by status; anything else is a bug:
 * logged with the request id and answered 500 with a generic message.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type ErrorCode, LeaseholdError } from "../errors";
import { describeError, log } from "../log";

/** STATUS maps each error code to its HTTP status. */
export const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  already_exists: 409,
  conflict: 409,
  length_required: 411,
  failed_precondition: 412,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  not_implemented: 501,
  internal: 500,
  unavailable: 503,
};

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  Object.entries(STATUS).map(([code, status]) => [status, code as ErrorCode]),
);

/** toLeaseholdError turns any thrown value into a typed error, logging those that are bugs. */
export function toLeaseholdError(err: unknown, requestId: string): LeaseholdError {
  if (err instanceof LeaseholdError) return err;
  if (err instanceof HTTPException && err.status < 500) {
    const code = CODE_BY_STATUS.get(err.status) ?? "invalid_argument";
    // Hono's messages for client errors are plain sentences ("Malformed JSON in request body").
    return new LeaseholdError(code, err.message || "the request is not valid");
  }
  log.error("internal error", { requestId, ...describeError(err) });
  return new LeaseholdError("internal", `internal error; quote request id ${requestId} when reporting it`);
}

/** errorResponse renders a typed error as the envelope. */
export function errorResponse(c: Context, err: LeaseholdError): Response {
  const requestId = (c.get("requestId") as string | undefined) ?? "";
  if (err.code === "unavailable") log.warn("backing store unavailable", { requestId, ...describeError(err.cause) });
  for (const [name, value] of Object.entries(err.headers)) c.header(name, value);
  return c.json({ error: { code: err.code, message: err.message, requestId } }, STATUS[err.code]);
}

/** onError is registered once on the app. */
export function onError(err: unknown, c: Context): Response {
  const requestId = (c.get("requestId") as string | undefined) ?? "";
  return errorResponse(c, toLeaseholdError(err, requestId));
}
