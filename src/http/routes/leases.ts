/** Lease routes: create, list, get, patch and delete leases. Each parses, calls one function, shapes. */
import { createRoute, z } from "@hono/zod-openapi";
import { openDb } from "../../db/client";
import { collectorDeps } from "../../gc/config";
import { deleteLeaseAndCollect } from "../../gc/sync";
import { createLease, deleteLease, getLease, listLeases, updateLease } from "../../leases/manager";
import type { App } from "../context";
import {
  errorResponses,
  FilterQuery,
  IdentifierSchema,
  jsonBody,
  jsonResponse,
  LabelPatchSchema,
  LabelsSchema,
  NamespaceParams,
  PageQuery,
  TimeSchema,
  TtlSchema,
} from "../schemas";
import { RUN_EXAMPLE, RunSchema } from "./gc";

/** LEASE_EXAMPLE is a lease as the API returns it, for the examples of /openapi.json. */
export const LEASE_EXAMPLE = {
  id: "build-42",
  createdAt: "2026-12-03T17:00:00.000Z",
  labels: { team: "ci", "containerd.io/gc.expire": "2026-12-03T18:00:00.000Z" },
  expiresAt: "2026-12-03T18:00:00.000Z",
};

export const LeaseSchema = z
  .object({
    id: z.string(),
    createdAt: z.string(),
    labels: z.record(z.string(), z.string()),
    expiresAt: z.string().nullable(),
  })
  .openapi("Lease", { example: LEASE_EXAMPLE });

const LeaseParams = NamespaceParams.extend({
  id: IdentifierSchema.openapi({ param: { name: "id", in: "path" } }),
});

const CreateLeaseBody = z
  .strictObject({
    id: IdentifierSchema.optional(),
    labels: LabelsSchema.optional(),
    ttl: TtlSchema.optional(),
    expiresAt: TimeSchema.optional(),
  })
  .openapi("CreateLease", { example: { id: "build-42", ttl: 3600, labels: { team: "ci" } } });

const UpdateLeaseBody = z
  .strictObject({
    labels: LabelPatchSchema.optional(),
    ttl: TtlSchema.optional(),
    expiresAt: TimeSchema.nullable().optional(),
  })
  .openapi("UpdateLease", { example: { labels: { team: null, stage: "test" }, ttl: 7200 } });

const tags = ["Leases"];

const create = createRoute({
  method: "post",
  path: "/v1/namespaces/{ns}/leases",
  tags,
  summary: "Create a lease",
  request: { params: NamespaceParams, body: jsonBody(CreateLeaseBody) },
  responses: { 201: jsonResponse(LeaseSchema, "The lease"), ...errorResponses(400, 409) },
});

const list = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/leases",
  tags,
  summary: "List leases, filtered, by id",
  request: { params: NamespaceParams, query: PageQuery.extend(FilterQuery.shape) },
  responses: {
    200: jsonResponse(
      z
        .object({ leases: z.array(LeaseSchema), nextCursor: z.string().nullable() })
        .openapi({ example: { leases: [LEASE_EXAMPLE], nextCursor: "WyJidWlsZC00MiJd" } }),
      "A page of leases",
    ),
    ...errorResponses(400),
  },
});

const get = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/leases/{id}",
  tags,
  summary: "Get a lease",
  request: { params: LeaseParams },
  responses: { 200: jsonResponse(LeaseSchema, "The lease"), ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/namespaces/{ns}/leases/{id}",
  tags,
  summary: "Change a lease's labels or expiry",
  request: { params: LeaseParams, body: jsonBody(UpdateLeaseBody) },
  responses: { 200: jsonResponse(LeaseSchema, "The lease"), ...errorResponses(400, 404, 412) },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/namespaces/{ns}/leases/{id}",
  tags,
  summary: "Delete a lease",
  request: {
    params: LeaseParams,
    query: z.object({
      sync: z
        .enum(["true", "false"])
        .optional()
        .openapi({ description: "true: collect before answering", example: "true" }),
    }),
  },
  responses: {
    200: jsonResponse(
      z.object({ gc: RunSchema }).openapi({ example: { gc: { ...RUN_EXAMPLE, trigger: "sync" } } }),
      "Deleted, and collected (sync=true)",
    ),
    204: { description: "Deleted" },
    ...errorResponses(404, 503),
  },
});

/** registerLeaseRoutes adds the lease routes to the app. */
export function registerLeaseRoutes(app: App): void {
  app.openapi(create, async (c) => {
    const { ns } = c.req.valid("param");
    return c.json(await createLease(openDb(c.env.DB), ns, c.req.valid("json")), 201);
  });

  app.openapi(list, async (c) => {
    const { ns } = c.req.valid("param");
    const { filter, limit, cursor } = c.req.valid("query");
    return c.json(await listLeases(openDb(c.env.DB), ns, { filters: filter, limit, cursor }), 200);
  });

  app.openapi(get, async (c) => {
    const { ns, id } = c.req.valid("param");
    return c.json(await getLease(openDb(c.env.DB), ns, id), 200);
  });

  app.openapi(patch, async (c) => {
    const { ns, id } = c.req.valid("param");
    return c.json(await updateLease(openDb(c.env.DB), ns, id, c.req.valid("json")), 200);
  });

  app.openapi(remove, async (c) => {
    const { ns, id } = c.req.valid("param");
    if (c.req.valid("query").sync === "true") {
      return c.json({ gc: await deleteLeaseAndCollect(collectorDeps(c.env), ns, id) }, 200);
    }
    await deleteLease(openDb(c.env.DB), ns, id);
    return c.body(null, 204);
  });
}
