/**
 * Shared zod schemas of the HTTP contract: identifiers, labels, times, pagination and the error
 * envelope. Routes compose these; the same definitions validate requests and feed /openapi.json.
 */
import { z } from "@hono/zod-openapi";
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
  cursor: z.string().max(4096).optional().openapi({ description: "nextCursor of the previous page" }),
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
      requestId: z.string(),
    }),
  })
  .openapi("Error");

/** errorResponses documents error statuses for a route. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: "Error", content: { "application/json": { schema: ErrorSchema } } }]),
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
