/**
 * The client's one error type. Every non-2xx answer of the service becomes a `LeaseholdApiError`
 * carrying the contract's envelope (`code`, `message`, `requestId`) and the HTTP status, so callers
 * test `err.code`, never the message text.
 */

/** ApiErrorCode lists the contract's error codes (docs/contract.md, "Errors"). */
export type ApiErrorCode =
  | "invalid_argument"
  | "unauthenticated"
  | "permission_denied"
  | "not_found"
  | "already_exists"
  | "conflict"
  | "length_required"
  | "failed_precondition"
  | "payload_too_large"
  | "range_not_satisfiable"
  | "not_implemented"
  | "internal"
  | "unavailable";

/** LeaseholdApiError is thrown for every error answer of the service. */
export class LeaseholdApiError extends Error {
  /** The contract's error code, e.g. `not_found`. */
  readonly code: ApiErrorCode;
  /** The HTTP status, e.g. 404. */
  readonly status: number;
  /** The request id the service logged the request under (the `Request-Id` header). */
  readonly requestId: string;
  /** The response's headers (e.g. `Upload-Offset` on an ingest conflict). */
  readonly headers: Headers;

  constructor(code: ApiErrorCode, status: number, message: string, requestId: string, headers = new Headers()) {
    super(message);
    this.name = "LeaseholdApiError";
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.headers = headers;
  }
}

/** isApiError tells whether `err` is a service error, optionally of one code. */
export function isApiError(err: unknown, code?: ApiErrorCode): err is LeaseholdApiError {
  return err instanceof LeaseholdApiError && (code === undefined || err.code === code);
}

type Envelope = { error?: { code?: unknown; message?: unknown; requestId?: unknown } };

/**
 * errorFromResponse reads an error response into a `LeaseholdApiError`. A body that is not the
 * envelope (a proxy's HTML page, say) still yields an error with a code derived from the status.
 */
export async function errorFromResponse(res: Response): Promise<LeaseholdApiError> {
  const requestId = res.headers.get("Request-Id") ?? "";
  let envelope: Envelope = {};
  try {
    envelope = (await res.json()) as Envelope;
  } catch {
    // Not JSON (or HEAD, which has no body): fall back to the status below.
  }
  const e = envelope?.error;
  const code = typeof e?.code === "string" ? (e.code as ApiErrorCode) : codeOfStatus(res.status);
  const message = typeof e?.message === "string" ? e.message : `HTTP ${res.status} ${res.statusText}`.trim();
  const id = typeof e?.requestId === "string" ? e.requestId : requestId;
  return new LeaseholdApiError(code, res.status, message, id, res.headers);
}

const STATUS_CODES: Record<number, ApiErrorCode> = {
  400: "invalid_argument",
  401: "unauthenticated",
  403: "permission_denied",
  404: "not_found",
  409: "conflict",
  411: "length_required",
  412: "failed_precondition",
  413: "payload_too_large",
  416: "range_not_satisfiable",
  501: "not_implemented",
  503: "unavailable",
};

const codeOfStatus = (status: number): ApiErrorCode => STATUS_CODES[status] ?? "internal";
