/**
 * Shared zod schemas of the HTTP contract: identifiers, labels, times, pagination and the error
 * envelope. Routes compose these; the same definitions validate requests and feed /openapi.json.
 */
import { z } from "@hono/zod-openapi";
import type { ErrorCode } from "../errors";
import { isDigest } from "../model/digest";
import { isIdentifier, MAX_IDENTIFIER_LENGTH } from "../model/identifiers";
import { countProblem, labelProblem } from "../model/labels";
import { parseTime } from "../time";

export const IdentifierSchema = z
  .string()
  .refine(isIdentifier, {
    message: `must match ^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$ and be 1 to ${MAX_IDENTIFIER_LENGTH} characters`,
  })
  .openapi({ example: "build-42" });

export const NamespaceParams = z.object({
  ns: IdentifierSchema.openapi({ param: { name: "ns", in: "path" }, example: "default" }),
});

export const DigestSchema = z
  .string()
  .refine(isDigest, { message: "must be sha256:<64 lowercase hex> or sha512:<128 lowercase hex>" })
  .openapi({ example: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" });

export const TimeSchema = z
  .string()
  .refine((v) => parseTime(v) !== null, { message: "must be an RFC 3339 time such as 2026-12-03T18:00:00.000Z" })
  .openapi({ example: "2026-12-03T18:00:00.000Z" });

/** TtlSchema: seconds from now, 1 to 315360000 (ten years). */
export const TtlSchema = z.number().int().min(1).max(315_360_000).openapi({ example: 3600 });

function checkLabels(labels: Record<string, string | null>, ctx: z.RefinementCtx): void {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelProblem(key, value ?? "");
    if (problem) ctx.addIssue({ code: "custom", message: problem, path: [key] });
  }
}

export const LabelsSchema = z
  .record(z.string(), z.string())
  .superRefine((labels, ctx) => {
    checkLabels(labels, ctx);
    const problem = countProblem(labels);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .openapi({ example: { team: "ci", "containerd.io/gc.flat": "true" } });

/** LabelPatchSchema: a string sets a label, null removes it. The merged count is checked later. */
export const LabelPatchSchema = z
  .record(z.string(), z.string().nullable())
  .superRefine(checkLabels)
  .openapi({ example: { team: "release", obsolete: null } });

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ example: 100 }),
  cursor: z
    .string()
    .max(4096)
    .optional()
    .openapi({ description: "nextCursor of the previous page", example: "WyJidWlsZC00MiJd" }),
});

/** FilterQuery: `filter` is repeatable; one value or many arrive as an array. */
export const FilterQuery = z.object({
  filter: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .openapi({ description: "containerd filter syntax; repeat for OR", example: "labels.team==ci" }),
});

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: 'lease "build-42" not found' }),
      requestId: z.string().openapi({ example: "4f9d2c1a-8b7e-4e0f-9a51-3c2d6b7e8f90" }),
    }),
  })
  .openapi("Error");

/** ERROR_EXAMPLES: for each documented error status, a typical code and message. */
const ERROR_EXAMPLES: Record<number, { code: ErrorCode; message: string }> = {
  400: { code: "invalid_argument", message: "invalid body: ttl: Too small: expected number to be >=1" },
  401: { code: "unauthenticated", message: "missing Authorization header; send Authorization: Bearer <token>" },
  403: { code: "permission_denied", message: 'this route needs an admin token; token "3f9c" is write' },
  404: { code: "not_found", message: 'lease "build-42" not found' },
  409: { code: "already_exists", message: 'lease "build-42" already exists' },
  411: { code: "length_required", message: "Content-Length is required for a blob upload" },
  412: { code: "failed_precondition", message: 'lease "build-42" has expired' },
  413: {
    code: "payload_too_large",
    message: "single-request uploads are limited to 104857600 bytes; use an ingest (POST .../ingests) for larger blobs",
  },
  416: { code: "range_not_satisfiable", message: "range not satisfiable for a blob of 17 bytes" },
  501: { code: "not_implemented", message: 'resource type "images" is not supported' },
  503: { code: "unavailable", message: "the garbage collector is busy with another run, retry later" },
};

/** errorResponses documents error statuses for a route, each with an example of its own code. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => {
      const { code, message } = ERROR_EXAMPLES[s] ?? { code: "internal", message: "internal error" };
      const example = { error: { code, message, requestId: "4f9d2c1a-8b7e-4e0f-9a51-3c2d6b7e8f90" } };
      return [s, { description: "Error", content: { "application/json": { schema: ErrorSchema, example } } }];
    }),
  );
}

/** jsonBody wraps a schema as a required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** jsonResponse wraps a schema as a JSON response. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
