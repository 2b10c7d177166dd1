/**
 * Namespace routes (admin; extensions to the contract, see docs/api.md): list the namespaces in
 * use, and count what some leases hold. The operator console reads both.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { openDb } from "../../db/client";
import { listNamespaces } from "../../db/namespaces";
import { countResources } from "../../leases/counts";
import type { App } from "../context";
import { errorResponses, IdentifierSchema, jsonResponse, NamespaceParams, PageQuery } from "../schemas";

/** MAX_COUNTED_LEASES: one request counts at most this many leases (a console page). */
const MAX_COUNTED_LEASES = 100;

const NamespacePage = z
  .object({ namespaces: z.array(z.string()), nextCursor: z.string().nullable() })
  .openapi("NamespacePage", { example: { namespaces: ["ci", "default"], nextCursor: null } });

const ResourceCountSchema = z
  .object({ lease: z.string(), content: z.number().int(), ingests: z.number().int() })
  .openapi("ResourceCount");

const CountsQuery = z.object({
  lease: z
    .union([IdentifierSchema, z.array(IdentifierSchema).min(1).max(MAX_COUNTED_LEASES)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .openapi({ description: `a lease id; repeat for more (at most ${MAX_COUNTED_LEASES})`, example: "build-42" }),
});

const tags = ["Namespaces"];

const list = createRoute({
  method: "get",
  path: "/v1/namespaces",
  tags,
  summary: "List the namespaces holding a lease, a blob or an ingest, by name (admin; extension)",
  request: { query: PageQuery },
  responses: { 200: jsonResponse(NamespacePage, "A page of namespace names"), ...errorResponses(400, 401, 403) },
});

const counts = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/resource-counts",
  tags,
  summary: "Count the resources some leases hold, by type (admin; extension)",
  request: { params: NamespaceParams, query: CountsQuery },
  responses: {
    200: jsonResponse(
      z.object({ counts: z.array(ResourceCountSchema) }).openapi({
        example: { counts: [{ lease: "build-42", content: 2, ingests: 1 }] },
      }),
      "One entry per lease that exists, in the order asked",
    ),
    ...errorResponses(400, 401, 403),
  },
});

/** registerNamespaceRoutes adds the namespace routes to the app. */
export function registerNamespaceRoutes(app: App): void {
  app.openapi(list, async (c) => c.json(await listNamespaces(c.env.DB, c.req.valid("query")), 200));

  app.openapi(counts, async (c) => {
    const { ns } = c.req.valid("param");
    return c.json({ counts: await countResources(openDb(c.env.DB), ns, c.req.valid("query").lease) }, 200);
  });
}
