import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { RequestIdVariables } from "hono/request-id";
import type { Principal } from "../auth/principal";

/** AppVariables are set per request by middleware. */
export type AppVariables = RequestIdVariables & {
  /** Who the request acts as; set by the auth middleware on every /v1 route. */
  principal?: Principal;
};

/** AppEnv types the Hono context: the Worker's bindings and per-request variables. */
export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** App is the Hono application Leasehold serves. */
export type App = OpenAPIHono<AppEnv>;

/** AppContext is a request's context. */
export type AppContext = Context<AppEnv>;
