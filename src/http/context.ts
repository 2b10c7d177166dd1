import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RequestIdVariables } from "hono/request-id";

/** AppEnv types the Hono context: the Worker's bindings and per-request variables. */
export type AppEnv = { Bindings: Env; Variables: RequestIdVariables };

/** App is the Hono application Leasehold serves. */
export type App = OpenAPIHono<AppEnv>;

/** AppContext is a request's context. */
export type AppContext = Context<AppEnv>;
