/**
 * Validation failures from the route schemas become `invalid_argument` errors. The message says
 * where (body, query, path, header) and what, from the first zod issue.
 */
import type { z } from "@hono/zod-openapi";
import { invalidArgument } from "../errors";

const PLACE: Record<string, string> = {
  json: "body",
  query: "query parameter",
  param: "path parameter",
  header: "header",
  form: "form field",
  cookie: "cookie",
};

/** describeIssue renders the first zod issue of a failed validation as one sentence. */
export function describeIssue(target: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const place = PLACE[target] ?? target;
  if (!issue) return `invalid ${place}`;
  const path = issue.path.map(String).join(".");
  if (target === "json") return path ? `invalid body: ${path}: ${issue.message}` : `invalid body: ${issue.message}`;
  return path ? `invalid ${place} ${path}: ${issue.message}` : `invalid ${place}: ${issue.message}`;
}

/** validationHook is the app's default hook: every failed schema throws one typed error. */
export function validationHook(result: { success: boolean; target: string; error?: z.ZodError }): void {
  if (!result.success && result.error) throw invalidArgument(describeIssue(result.target, result.error));
}
