/** Token routes (admin): issue, list and revoke bearer tokens. */
import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../auth/principal";
import { issueToken, listTokens, revokeToken } from "../../auth/tokens";
import { openDb } from "../../db/client";
import type { App } from "../context";
import { errorResponses, IdentifierSchema, jsonBody, jsonResponse } from "../schemas";

const ScopeSchema = z
  .union([z.literal("*"), z.array(IdentifierSchema).min(1).max(100)])
  .openapi({ example: ["default", "ci"] });

const TOKEN_EXAMPLE = {
  id: "3f9c2b7a1d4e6f80",
  role: "write" as const,
  namespaces: ["default"],
  description: "CI cache",
  createdAt: "2026-12-03T17:00:00.000Z",
};

const TokenSchema = z
  .object({
    id: z.string(),
    role: z.enum(ROLES),
    namespaces: ScopeSchema,
    description: z.string(),
    createdAt: z.string(),
  })
  .openapi("Token", { example: TOKEN_EXAMPLE });

const IssuedSchema = TokenSchema.omit({ description: true })
  .extend({ token: z.string().openapi({ description: "The secret; shown only here" }) })
  .openapi("IssuedToken", {
    example: {
      id: TOKEN_EXAMPLE.id,
      role: TOKEN_EXAMPLE.role,
      namespaces: TOKEN_EXAMPLE.namespaces,
      createdAt: TOKEN_EXAMPLE.createdAt,
      token: "lh_3f9c2b7a1d4e6f80_9b1e4f7a2c5d8e0b3f6a9c2e5b8d1f4a7c0e3b6d9f2a5c8e1b4d7f0a3c6e9b2d",
    },
  });

const IssueBody = z
  .strictObject({ role: z.enum(ROLES), namespaces: ScopeSchema, description: z.string().max(256).optional() })
  .openapi("IssueToken", { example: { role: "write", namespaces: ["default"], description: "CI cache" } });

const tags = ["Tokens"];

const issue = createRoute({
  method: "post",
  path: "/v1/tokens",
  tags,
  summary: "Issue a token (admin)",
  request: { body: jsonBody(IssueBody) },
  responses: { 201: jsonResponse(IssuedSchema, "The token, with its secret"), ...errorResponses(400, 401, 403) },
});

const list = createRoute({
  method: "get",
  path: "/v1/tokens",
  tags,
  summary: "List tokens (admin)",
  responses: {
    200: jsonResponse(
      z.object({ tokens: z.array(TokenSchema) }).openapi({ example: { tokens: [TOKEN_EXAMPLE] } }),
      "Every token",
    ),
    ...errorResponses(401, 403),
  },
});

const revoke = createRoute({
  method: "delete",
  path: "/v1/tokens/{id}",
  tags,
  summary: "Revoke a token (admin)",
  request: {
    params: z.object({
      id: z
        .string()
        .max(64)
        .openapi({ param: { name: "id", in: "path" }, example: "3f9c2b7a1d4e6f80" }),
    }),
  },
  responses: { 204: { description: "Revoked" }, ...errorResponses(401, 403, 404) },
});

/** registerTokenRoutes adds the token routes to the app. */
export function registerTokenRoutes(app: App): void {
  app.openapi(issue, async (c) => c.json(await issueToken(openDb(c.env.DB), c.req.valid("json")), 201));

  app.openapi(list, async (c) => c.json({ tokens: await listTokens(openDb(c.env.DB)) }, 200));

  app.openapi(revoke, async (c) => {
    await revokeToken(openDb(c.env.DB), c.req.valid("param").id);
    return c.body(null, 204);
  });
}
