/** Ingest routes: start, write, inspect, list, commit and abort resumable uploads. */
import { createRoute, z } from "@hono/zod-openapi";
import { commitIngest } from "../../content/commit";
import { abortIngest, createIngest, getIngest, listIngests, PART_SIZE } from "../../content/ingest";
import { writePart } from "../../content/ingest-write";
import { parseByteCount, requireContentLength } from "../../content/length";
import { openDb } from "../../db/client";
import { invalidArgument } from "../../errors";
import { isIngestRef } from "../../model/identifiers";
import type { App } from "../context";
import {
  DigestSchema,
  errorResponses,
  jsonBody,
  jsonResponse,
  LabelsSchema,
  NamespaceParams,
  PageQuery,
} from "../schemas";
import { ContentInfoSchema, LeaseHeader } from "./content";

const RefSchema = z
  .string()
  .refine(isIngestRef, { message: "must match ^[A-Za-z0-9][A-Za-z0-9._:@-]{0,255}$" })
  .openapi({ example: "layer-upload-1" });

const Params = NamespaceParams.extend({ ref: RefSchema.openapi({ param: { name: "ref", in: "path" } }) });

const ByteCount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const STATUS_EXAMPLE = {
  ref: "layer-upload-1",
  offset: 5242880,
  partSize: 5242880,
  expectedDigest: "sha256:4ee8bd3a8bcf6f51e5e8e2a0c9b1d7f3e6a4c2b8d0f9e7a5c3b1d9f7e5a3c1b9",
  expectedSize: 12582912,
  startedAt: "2026-12-03T17:00:00.000Z",
  updatedAt: "2026-12-03T17:00:04.000Z",
  expiresAt: null,
};

export const IngestStatusSchema = z
  .object({
    ref: z.string(),
    offset: z.number().int(),
    partSize: z.number().int(),
    expectedDigest: z.string().nullable(),
    expectedSize: z.number().int().nullable(),
    startedAt: z.string(),
    updatedAt: z.string(),
    expiresAt: z.string().nullable(),
  })
  .openapi("IngestStatus", { example: STATUS_EXAMPLE });

const CreateBody = z
  .strictObject({
    ref: RefSchema,
    expectedDigest: DigestSchema.optional(),
    expectedSize: ByteCount.optional(),
    partSize: z.number().int().min(PART_SIZE.min).max(PART_SIZE.max).optional().openapi({ example: PART_SIZE.default }),
  })
  .openapi("CreateIngest", {
    example: {
      ref: STATUS_EXAMPLE.ref,
      expectedDigest: STATUS_EXAMPLE.expectedDigest,
      expectedSize: STATUS_EXAMPLE.expectedSize,
      partSize: STATUS_EXAMPLE.partSize,
    },
  });

const CommitBody = z
  .strictObject({ digest: DigestSchema.optional(), size: ByteCount.optional(), labels: LabelsSchema.optional() })
  .openapi("CommitIngest", {
    example: { digest: STATUS_EXAMPLE.expectedDigest, size: STATUS_EXAMPLE.expectedSize, labels: { app: "demo" } },
  });

const PartHeaders = z.object({
  "upload-offset": z.string().max(64).optional().openapi({ example: "5242880" }),
  "content-length": z.string().max(64).optional().openapi({ example: "5242880" }),
});

const tags = ["Ingests"];
const base = "/v1/namespaces/{ns}/ingests";

const create = createRoute({
  method: "post",
  path: base,
  tags,
  summary: "Start a resumable upload",
  request: { params: NamespaceParams, headers: LeaseHeader, body: jsonBody(CreateBody) },
  responses: { 201: jsonResponse(IngestStatusSchema, "The ingest"), ...errorResponses(400, 404, 409, 412) },
});

const write = createRoute({
  method: "patch",
  path: `${base}/{ref}`,
  tags,
  summary: "Append one part (raw bytes) at Upload-Offset",
  request: { params: Params, headers: PartHeaders },
  responses: {
    204: { description: "Written; Upload-Offset is the new offset" },
    ...errorResponses(400, 404, 409, 411),
  },
});

const get = createRoute({
  method: "get",
  path: `${base}/{ref}`,
  tags,
  summary: "Get an ingest's status",
  request: { params: Params },
  responses: { 200: jsonResponse(IngestStatusSchema, "The ingest"), ...errorResponses(404) },
});

const list = createRoute({
  method: "get",
  path: base,
  tags,
  summary: "List ingests by ref",
  request: { params: NamespaceParams, query: PageQuery },
  responses: {
    200: jsonResponse(
      z
        .object({ ingests: z.array(IngestStatusSchema), nextCursor: z.string().nullable() })
        .openapi({ example: { ingests: [STATUS_EXAMPLE], nextCursor: null } }),
      "A page of ingests",
    ),
    ...errorResponses(400),
  },
});

const commit = createRoute({
  method: "post",
  path: `${base}/{ref}/commit`,
  tags,
  summary: "Verify and publish the upload as a blob",
  request: { params: Params, headers: LeaseHeader, body: jsonBody(CommitBody) },
  responses: {
    201: jsonResponse(ContentInfoSchema, "Committed"),
    200: jsonResponse(ContentInfoSchema, "The digest already existed"),
    ...errorResponses(400, 404, 409, 412),
  },
});

const abort = createRoute({
  method: "delete",
  path: `${base}/{ref}`,
  tags,
  summary: "Abort an upload",
  request: { params: Params },
  responses: { 204: { description: "Aborted" }, ...errorResponses(404) },
});

/** registerIngestRoutes adds the ingest routes to the app. */
export function registerIngestRoutes(app: App): void {
  app.openapi(create, async (c) => {
    const { ns } = c.req.valid("param");
    const input = { ...c.req.valid("json"), leaseId: c.req.valid("header")["lease-id"] };
    return c.json(await createIngest(openDb(c.env.DB), c.env.BLOBS, ns, input), 201);
  });

  app.openapi(write, async (c) => {
    const { ns, ref } = c.req.valid("param");
    const headers = c.req.valid("header");
    const offset = headers["upload-offset"];
    if (offset === undefined) throw invalidArgument("Upload-Offset is required");
    const next = await writePart(openDb(c.env.DB), c.env.BLOBS, ns, ref, {
      offset: parseByteCount("Upload-Offset", offset),
      length: requireContentLength(headers["content-length"]),
      body: c.req.raw.body,
    });
    return c.body(null, 204, { "Upload-Offset": String(next) });
  });

  app.openapi(get, async (c) => {
    const { ns, ref } = c.req.valid("param");
    return c.json(await getIngest(openDb(c.env.DB), ns, ref), 200);
  });

  app.openapi(list, async (c) => {
    const { ns } = c.req.valid("param");
    return c.json(await listIngests(openDb(c.env.DB), ns, c.req.valid("query")), 200);
  });

  app.openapi(commit, async (c) => {
    const { ns, ref } = c.req.valid("param");
    const input = { ...c.req.valid("json"), leaseId: c.req.valid("header")["lease-id"] };
    const result = await commitIngest(openDb(c.env.DB), c.env.BLOBS, ns, ref, input);
    return c.json(result.info, result.created ? 201 : 200);
  });

  app.openapi(abort, async (c) => {
    const { ns, ref } = c.req.valid("param");
    await abortIngest(openDb(c.env.DB), c.env.BLOBS, ns, ref);
    return c.body(null, 204);
  });
}
