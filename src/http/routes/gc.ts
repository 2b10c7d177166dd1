/** Garbage collection routes: run a collection, list runs, explain why a resource is kept. */
import { createRoute, z } from "@hono/zod-openapi";
import { openDb } from "../../db/client";
import { collect } from "../../gc/collector";
import { collectorDeps } from "../../gc/config";
import { explain } from "../../gc/explain";
import { listRuns } from "../../gc/runs";
import type { App } from "../context";
import { errorResponses, IdentifierSchema, jsonBody, jsonResponse, NamespaceParams } from "../schemas";

/** RUN_EXAMPLE is a finished run, for the examples of /openapi.json. */
export const RUN_EXAMPLE = {
  id: "6d1f0c9e-2b4a-4c8e-9f3d-7a5b1e2c4d60",
  trigger: "cron" as const,
  dryRun: false,
  startedAt: "2026-12-03T18:05:00.012Z",
  finishedAt: "2026-12-03T18:05:00.196Z",
  complete: true,
  leasesExpired: 1,
  contentDeleted: 2,
  ingestsAborted: 0,
  objectsDeleted: 2,
  orphansDeleted: 0,
  bytesFreed: 12582929,
  durationMs: 184,
};

/** RunSchema is the contract's run object. */
export const RunSchema = z
  .object({
    id: z.string(),
    trigger: z.enum(["cron", "manual", "sync"]),
    dryRun: z.boolean(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    complete: z.boolean(),
    leasesExpired: z.number().int(),
    contentDeleted: z.number().int(),
    ingestsAborted: z.number().int(),
    objectsDeleted: z.number().int(),
    orphansDeleted: z.number().int(),
    bytesFreed: z.number().int(),
    durationMs: z.number().int().nullable(),
  })
  .openapi("GcRun", { example: RUN_EXAMPLE });

const ExplanationSchema = z
  .object({
    type: z.string(),
    id: z.string(),
    live: z.boolean(),
    reason: z.enum(["lease", "root", "reference", "ingest"]).nullable(),
    path: z.array(z.object({ type: z.string(), id: z.string() })),
  })
  .openapi("GcExplanation", {
    example: {
      type: "content",
      id: "sha256:53d49cae00d8cebf64c6f66ee04f1818a28af697113cba301b644cd4e4780a04",
      live: true,
      reason: "lease",
      path: [
        { type: "lease", id: "build-42" },
        { type: "content", id: "sha256:53d49cae00d8cebf64c6f66ee04f1818a28af697113cba301b644cd4e4780a04" },
      ],
    },
  });

const tags = ["Garbage collection"];

const run = createRoute({
  method: "post",
  path: "/v1/gc",
  tags,
  summary: "Run a collection now (admin)",
  request: {
    body: jsonBody(
      z
        .strictObject({ dryRun: z.boolean().optional(), namespace: IdentifierSchema.optional() })
        .openapi({ example: { dryRun: true, namespace: "default" } }),
    ),
  },
  responses: { 200: jsonResponse(RunSchema, "The finished run"), ...errorResponses(400, 401, 403, 503) },
});

const runs = createRoute({
  method: "get",
  path: "/v1/gc/runs",
  tags,
  summary: "List the latest collections, newest first (admin)",
  request: {
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100).openapi({ example: 20 }) }),
  },
  responses: {
    200: jsonResponse(z.object({ runs: z.array(RunSchema) }).openapi({ example: { runs: [RUN_EXAMPLE] } }), "Runs"),
    ...errorResponses(400, 401, 403),
  },
});

const explainRoute = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/gc/explain",
  tags,
  summary: "Explain why the collector keeps (or would remove) a resource",
  request: {
    params: NamespaceParams,
    query: z.object({
      type: z.string().openapi({ example: "content" }),
      id: z
        .string()
        .min(1)
        .openapi({ example: "sha256:53d49cae00d8cebf64c6f66ee04f1818a28af697113cba301b644cd4e4780a04" }),
    }),
  },
  responses: { 200: jsonResponse(ExplanationSchema, "The explanation"), ...errorResponses(400, 401, 403, 501) },
});

/**
 * MANUAL_WAIT_MS: a manual run waits this long for a running collection to release the lock
 * before answering 503 `unavailable`.
 */
const MANUAL_WAIT_MS = 10_000;

/** registerGcRoutes adds the collector routes to the app. */
export function registerGcRoutes(app: App): void {
  app.openapi(run, async (c) => {
    const { dryRun, namespace } = c.req.valid("json");
    const deps = collectorDeps(c.env);
    const { run } = await collect(deps, { trigger: "manual", dryRun, namespace, waitMs: MANUAL_WAIT_MS });
    return c.json(run, 200);
  });

  app.openapi(runs, async (c) => {
    const { limit } = c.req.valid("query");
    return c.json({ runs: await listRuns(openDb(c.env.DB), limit) }, 200);
  });

  app.openapi(explainRoute, async (c) => {
    const { ns } = c.req.valid("param");
    const { type, id } = c.req.valid("query");
    return c.json(await explain(c.env.DB, ns, type, id), 200);
  });
}
