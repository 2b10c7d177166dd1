/** Content routes: upload, read, describe, relabel, delete and list blobs. */
import { createRoute, z } from "@hono/zod-openapi";
import { getInfo } from "../../content/info";
import { requireContentLength } from "../../content/length";
import { readContent } from "../../content/read";
import { deleteContent, listContent, updateLabels } from "../../content/store";
import { DEFAULT_MAX_UPLOAD_BYTES, putContent } from "../../content/upload";
import { openDb } from "../../db/client";
import type { Digest } from "../../model/digest";
import type { App } from "../context";
import {
  DigestSchema,
  errorResponses,
  FilterQuery,
  IdentifierSchema,
  jsonBody,
  jsonResponse,
  LabelPatchSchema,
  NamespaceParams,
  PageQuery,
} from "../schemas";

/** INFO_EXAMPLE is a blob's info as the API returns it, for the examples of /openapi.json. */
export const INFO_EXAMPLE = {
  digest: "sha256:53d49cae00d8cebf64c6f66ee04f1818a28af697113cba301b644cd4e4780a04",
  size: 17,
  labels: { app: "demo" },
  createdAt: "2026-12-03T17:00:00.000Z",
  updatedAt: "2026-12-03T17:05:00.000Z",
};

export const ContentInfoSchema = z
  .object({
    digest: z.string(),
    size: z.number().int(),
    labels: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("ContentInfo", { example: INFO_EXAMPLE });

const Params = NamespaceParams.extend({
  digest: DigestSchema.openapi({ param: { name: "digest", in: "path" }, example: INFO_EXAMPLE.digest }),
});

/** LeaseHeader: `Lease-Id` adds the result to that lease in the step that makes it visible. */
export const LeaseHeader = z.object({ "lease-id": IdentifierSchema.optional() });

const PutHeaders = LeaseHeader.extend({
  "content-length": z.string().max(64).optional().openapi({ example: "17" }),
});

const ReadHeaders = z.object({
  range: z.string().max(1024).optional().openapi({ example: "bytes=0-4" }),
  "if-none-match": z
    .string()
    .max(8192)
    .optional()
    .openapi({ example: `"${INFO_EXAMPLE.digest}"` }),
});

const PatchBody = z
  .strictObject({ labels: LabelPatchSchema })
  .openapi("PatchContent", { example: { labels: { app: "demo", stage: null } } });

const bytes = (description: string, example: string) => ({
  description,
  content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary", example }) } },
});
const tags = ["Content"];

const put = createRoute({
  method: "put",
  path: "/v1/namespaces/{ns}/content/{digest}",
  tags,
  summary: "Upload a blob in one request (raw bytes; Content-Length required)",
  request: { params: Params, headers: PutHeaders },
  responses: {
    201: jsonResponse(ContentInfoSchema, "Stored"),
    200: jsonResponse(ContentInfoSchema, "Already present; added to the lease"),
    ...errorResponses(400, 404, 411, 412, 413),
  },
});

const get = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/content/{digest}",
  tags,
  summary: "Read a blob (also HEAD); one Range is 206, several are served whole",
  request: { params: Params, headers: ReadHeaders },
  responses: {
    200: bytes("The blob", "hello, leasehold\n"),
    206: bytes("The requested range", "hello"),
    304: { description: "Not modified" },
    ...errorResponses(404, 416),
  },
});

const info = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/content/{digest}/info",
  tags,
  summary: "Describe a blob",
  request: { params: Params },
  responses: { 200: jsonResponse(ContentInfoSchema, "The blob's info"), ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/v1/namespaces/{ns}/content/{digest}",
  tags,
  summary: "Merge labels into a blob (null removes a label)",
  request: { params: Params, body: jsonBody(PatchBody) },
  responses: { 200: jsonResponse(ContentInfoSchema, "The blob's info"), ...errorResponses(400, 404) },
});

const remove = createRoute({
  method: "delete",
  path: "/v1/namespaces/{ns}/content/{digest}",
  tags,
  summary: "Delete a blob's metadata now; the collector removes its bytes",
  request: { params: Params },
  responses: { 204: { description: "Deleted" }, ...errorResponses(404) },
});

const list = createRoute({
  method: "get",
  path: "/v1/namespaces/{ns}/content",
  tags,
  summary: "List blobs, filtered, by digest",
  request: { params: NamespaceParams, query: PageQuery.extend(FilterQuery.shape) },
  responses: {
    200: jsonResponse(
      z
        .object({ content: z.array(ContentInfoSchema), nextCursor: z.string().nullable() })
        .openapi({ example: { content: [INFO_EXAMPLE], nextCursor: null } }),
      "A page of blobs",
    ),
    ...errorResponses(400),
  },
});

/** maxUploadBytes reads MAX_UPLOAD_BYTES, falling back to the default when unset or unreadable. */
const maxUploadBytes = (env: Env): number => {
  const n = Number(env.MAX_UPLOAD_BYTES);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_UPLOAD_BYTES;
};

/** registerContentRoutes adds the content store routes to the app. */
export function registerContentRoutes(app: App): void {
  app.openapi(put, async (c) => {
    const { ns, digest } = c.req.valid("param");
    const headers = c.req.valid("header");
    const result = await putContent(openDb(c.env.DB), c.env.BLOBS, ns, digest as Digest, {
      length: requireContentLength(headers["content-length"]),
      body: c.req.raw.body,
      leaseId: headers["lease-id"],
      maxBytes: maxUploadBytes(c.env),
    });
    return c.json(result.info, result.created ? 201 : 200);
  });

  app.openapi(get, async (c) => {
    const { ns, digest } = c.req.valid("param");
    const headers = c.req.valid("header");
    const blob = await readContent(openDb(c.env.DB), c.env.BLOBS, ns, digest, {
      range: headers.range,
      ifNoneMatch: headers["if-none-match"],
      headOnly: c.req.method === "HEAD",
    });
    return c.newResponse(blob.body, blob.status, blob.headers);
  });

  app.openapi(info, async (c) => {
    const { ns, digest } = c.req.valid("param");
    return c.json(await getInfo(openDb(c.env.DB), ns, digest), 200);
  });

  app.openapi(patch, async (c) => {
    const { ns, digest } = c.req.valid("param");
    return c.json(await updateLabels(openDb(c.env.DB), ns, digest, c.req.valid("json").labels), 200);
  });

  app.openapi(remove, async (c) => {
    const { ns, digest } = c.req.valid("param");
    await deleteContent(openDb(c.env.DB), ns, digest);
    return c.body(null, 204);
  });

  app.openapi(list, async (c) => {
    const { ns } = c.req.valid("param");
    const { filter, limit, cursor } = c.req.valid("query");
    return c.json(await listContent(openDb(c.env.DB), ns, { filters: filter, limit, cursor }), 200);
  });
}
