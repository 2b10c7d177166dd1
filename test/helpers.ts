/** Test helpers: call the Worker as a client would, and check the error envelope. */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

/** ADMIN is the bootstrap admin token the tests run with (vitest.config.ts binds it). */
export const ADMIN = env.ADMIN_TOKEN;

/**
 * call sends one request to the Worker under test, as the admin unless `token` says otherwise
 * (`null`: no Authorization header) or the headers carry their own Authorization.
 */
export async function call(
  method: string,
  path: string,
  init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; token?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = init.token === undefined ? ADMIN : init.token;
  if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(new Request(`https://leasehold.test${path}`, { method, headers, body }));
}

/** json sends a request and returns status and parsed body. */
export async function json<T = Record<string, unknown>>(
  method: string,
  path: string,
  init: Parameters<typeof call>[2] = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await call(method, path, init);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** expectError asserts the contract's error envelope with a code and HTTP status. */
export async function expectError(res: Response, status: number, code: string): Promise<string> {
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect({ status: res.status, code: body.error?.code }).toEqual({ status, code });
  expect(body.error.message).toMatch(/\S/);
  expect(body.error.requestId).toBe(res.headers.get("Request-Id"));
  expect(body.error.message).not.toMatch(/SQLITE|D1_|at .*\.ts|Error:/);
  return body.error.message;
}

let counter = 0;
/** freshNamespace returns a namespace no other test uses. */
export const freshNamespace = (prefix = "ns"): string =>
  `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/** sha256 returns the canonical digest of bytes. */
export const sha256 = (data: string | Uint8Array): Promise<string> => digestOf("SHA-256", data);

/** sha512 is the canonical sha512 digest of bytes or a string. */
export const sha512 = (data: string | Uint8Array): Promise<string> => digestOf("SHA-512", data);

async function digestOf(algorithm: "SHA-256" | "SHA-512", data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const hash = await crypto.subtle.digest(algorithm, bytes);
  const hex = Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${algorithm.replace("-", "").toLowerCase()}:${hex}`;
}
