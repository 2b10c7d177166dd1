/**
 * Typed errors. Every failure a caller can act on is one of these kinds; the HTTP edge maps each
 * kind to a status in one table (`src/http/errors.ts`). Messages name the object
 * (`lease "build-42" not found`) and never carry internal exception text, SQL or stacks.
 */
export const ERROR_CODES = [
  "invalid_argument",
  "unauthenticated",
  "permission_denied",
  "not_found",
  "already_exists",
  "conflict",
  "length_required",
  "failed_precondition",
  "payload_too_large",
  "range_not_satisfiable",
  "not_implemented",
  "internal",
  "unavailable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** LeaseholdError is the base of every typed error; `code` is the contract's error code. */
export class LeaseholdError extends Error {
  readonly code: ErrorCode;
  /** Extra response headers the edge should send with this error (e.g. `Upload-Offset`). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; headers?: Record<string, string> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "LeaseholdError";
    this.code = code;
    this.headers = options?.headers ?? {};
  }
}

/** invalidArgument: the request is malformed (id, digest, label, filter, body, query). */
export const invalidArgument = (message: string) => new LeaseholdError("invalid_argument", message);

/** notFound: names what is missing, e.g. `notFound("lease", "build-42")`. */
export const notFound = (kind: string, id: string) => new LeaseholdError("not_found", `${kind} "${id}" not found`);

/** alreadyExists: names what is taken, e.g. `alreadyExists("lease", "build-42")`. */
export const alreadyExists = (kind: string, id: string) =>
  new LeaseholdError("already_exists", `${kind} "${id}" already exists`);

/** failedPrecondition: the object exists but is in the wrong state (expired lease, open ingest). */
export const failedPrecondition = (message: string) => new LeaseholdError("failed_precondition", message);

/** notImplemented: a well-formed request for something the service does not manage. */
export const notImplemented = (message: string) => new LeaseholdError("not_implemented", message);

/** unavailable wraps a transient failure of a backing store; the caller may retry. */
export const unavailable = (what: string, cause: unknown) =>
  new LeaseholdError("unavailable", `${what} is unavailable, retry later`, { cause });

/** conflict: the request raced another or names a stale state (ingest `Upload-Offset`). */
export const conflict = (message: string, headers?: Record<string, string>) =>
  new LeaseholdError("conflict", message, headers ? { headers } : undefined);

/** lengthRequired: a byte upload came without `Content-Length`. */
export const lengthRequired = () =>
  new LeaseholdError("length_required", "Content-Length is required for a blob upload");

/** payloadTooLarge: a single-request upload above the limit; the message points at ingests. */
export const payloadTooLarge = (limit: number) =>
  new LeaseholdError(
    "payload_too_large",
    `single-request uploads are limited to ${limit} bytes; use an ingest (POST .../ingests) for larger blobs`,
  );

/** rangeNotSatisfiable: a bad `Range`; carries `Content-Range: bytes *\/size` as RFC 9110 asks. */
export const rangeNotSatisfiable = (size: number) =>
  new LeaseholdError("range_not_satisfiable", `range not satisfiable for a blob of ${size} bytes`, {
    headers: { "Content-Range": `bytes */${size}` },
  });
