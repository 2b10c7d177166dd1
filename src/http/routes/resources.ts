/** Lease resource routes: add, remove and list what a lease holds. */
import { createRoute, z } from "@hono/zod-openapi";
import { openDb } from "../../db/client";
import { addResources, listResources, removeResource } from "../../leases/resources";
import type { App } from "../context";
import { errorResponses, IdentifierSchema, jsonBody, jsonResponse, NamespaceParams, PageQuery } from "../schemas";

// Shapes only; the type and id rules are checked after the lease, as containerd does.
export const ResourceSchema = z
  .strictObject({
    type: z.string().max(256).openapi({ example: "content" }),
    id: z
      .string()
      .max(1024)
      .openapi({ example: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" }),
  })
  .openapi("Resource");

const RESOURCES_EXAMPLE = [
  { type: "content", id: "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae" },
  { type: "ingests", id: "upload-1" },
];

const AddBody = z
  .union([ResourceSchema, z.strictObject({ resources: z.array(ResourceSchema).min(1).max(1000) })])
  .openapi("AddResources", { example: { resources: RESOURCES_EXAMPLE } });

const Params = NamespaceParams.extend({
  id: IdentifierSchema.openapi({ param: { name: "id", in: "path" } }),
});

const tags = ["Lease resources"];

const add = createRoute({
  method: "post",
  path: "/v1/namespaces/{ns}/leases/{id}/resources",
  tags,
  summary: "Add resources to a lease (atomic, idempotent)",
  request: { params: Params, body: jsonBody(AddBody) },
  responses: { 204: { description: "Added" }, ...errorResponses(400, 404, 412, 501) },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/namespaces/{ns}/leases/{id}/resources",
  tags,
  summary: "Remove a resource from a lease",
  request: { params: Params, query: ResourceSchema },
  responses: { 204: { description: "Removed, or was not held" }, ...errorResponses(400, 404, 501) },
});

const list = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/leases/{id}/resources",
  tags,
  summary: "List a lease's resources by type then id",
  request: {
    params: Params,
    query: PageQuery.extend({ type: z.string().max(256).optional().openapi({ example: "content" }) }),
  },
  responses: {
    200: jsonResponse(
      z
        .object({ resources: z.array(ResourceSchema), nextCursor: z.string().nullable() })
        .openapi({ example: { resources: RESOURCES_EXAMPLE, nextCursor: null } }),
      "A page of resources",
    ),
    ...errorResponses(400, 404, 501),
  },
});

/** registerResourceRoutes adds the lease resource routes to the app. */
export function registerResourceRoutes(app: App): void {
  app.openapi(add, async (c) => {
    const { ns, id } = c.req.valid("param");
    const body = c.req.valid("json");
    await addResources(openDb(c.env.DB), ns, id, "resources" in body ? body.resources : [body]);
    return c.body(null, 204);
  });

  app.openapi(remove, async (c) => {
    const { ns, id } = c.req.valid("param");
    await removeResource(openDb(c.env.DB), ns, id, c.req.valid("query"));
    return c.body(null, 204);
  });

  app.openapi(list, async (c) => {
    const { ns, id } = c.req.valid("param");
    return c.json(await listResources(openDb(c.env.DB), ns, id, c.req.valid("query")), 200);
  });
}
