/**
 * The client's transport: one typed `openapi-fetch` client for the JSON routes (types generated
 * from the service's OpenAPI document into `openapi.ts`) and a raw call for byte routes. Both
 * turn every error answer into a `LeaseholdApiError`.
 */
import createFetchClient, { type Client } from "openapi-fetch";
import { type ApiErrorCode, errorFromResponse, LeaseholdApiError } from "./errors.ts";
import type { paths } from "./openapi.ts";

/** DEFAULT_URL is where `npm run dev` serves the Worker. */
export const DEFAULT_URL = "http://localhost:8787";

/** FetchLike is the fetch the client calls: the global one, or a Worker's `fetch` in tests. */
export type FetchLike = (request: Request) => Promise<Response>;

/** ClientOptions configure a client. */
export interface ClientOptions {
  /** Base URL of the service (default http://localhost:8787). */
  url?: string;
  /** Bearer token; omitted: no Authorization header (only /healthz and /openapi.json answer). */
  token?: string;
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: FetchLike;
}

/** RawInit is a raw request: query, headers and a byte or JSON body. */
export interface RawInit {
  query?: Record<string, string | undefined>;
  headers?: Record<string, string | undefined>;
  body?: Uint8Array;
  json?: unknown;
}

/** Transport carries the base URL, token and fetch every call of a client shares. */
export class Transport {
  /** The typed client for the JSON routes. */
  readonly api: Client<paths>;
  readonly #url: string;
  readonly #token: string | undefined;
  readonly #fetch: FetchLike;

  constructor(options: ClientOptions = {}) {
    this.#url = (options.url ?? DEFAULT_URL).replace(/\/+$/, "");
    this.#token = options.token;
    this.#fetch = options.fetch ?? ((req) => globalThis.fetch(req));
    const headers: Record<string, string> = this.#token ? { Authorization: `Bearer ${this.#token}` } : {};
    this.api = createFetchClient<paths>({ baseUrl: this.#url, fetch: this.#fetch, headers });
  }

  /** raw sends one request and returns its response; an error status throws `LeaseholdApiError`. */
  async raw(method: string, path: string, init: RawInit = {}): Promise<Response> {
    const url = new URL(this.#url + path);
    for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined) url.searchParams.append(k, v);
    const headers = new Headers();
    if (this.#token) headers.set("Authorization", `Bearer ${this.#token}`);
    for (const [k, v] of Object.entries(init.headers ?? {})) if (v !== undefined) headers.set(k, v);
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers.set("Content-Type", "application/json");
      body = JSON.stringify(init.json);
    } else if (init.body !== undefined) {
      headers.set("Content-Type", "application/octet-stream");
      headers.set("Content-Length", String(init.body.byteLength));
      body = init.body as Uint8Array<ArrayBuffer>;
    }
    const res = await this.#fetch(new Request(url, { method, headers, body }));
    if (res.status >= 400) throw await errorFromResponse(res);
    return res;
  }

  /** rawJson sends a raw request and parses its JSON answer. */
  async rawJson<T>(method: string, path: string, init: RawInit = {}): Promise<T> {
    return (await (await this.raw(method, path, init)).json()) as T;
  }
}

/** Result is what an `openapi-fetch` call resolves to. */
type Result<T> = { data?: T; error?: unknown; response: Response };

/** unwrap returns a typed call's data, or throws its error as a `LeaseholdApiError`. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  if (error && typeof error === "object" && "error" in error) {
    const e = (error as { error: { code: string; message: string; requestId: string } }).error;
    throw new LeaseholdApiError(e.code as ApiErrorCode, response.status, e.message, e.requestId, response.headers);
  }
  throw await errorFromResponse(response);
}

/** seg encodes one path segment. */
export const seg = (s: string): string => encodeURIComponent(s);
