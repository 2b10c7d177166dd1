// The console's only way to the API: GET requests carrying the admin token kept in this tab's
// sessionStorage. The token never goes into a URL.

const TOKEN_KEY = "leasehold.console.token";

/** token reads, stores and forgets the admin token. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** ApiError is an error envelope from the API, with its HTTP status and contract code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

/**
 * apiGet reads one /v1 route. `query` values may be arrays (repeated parameters); undefined and
 * empty values are left out.
 */
export async function apiGet(path, query = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query)) {
    for (const one of [value].flat()) {
      if (one !== undefined && one !== null && one !== "") url.searchParams.append(name, String(one));
    }
  }
  const res = await fetch(url, { headers: { Authorization: `Bearer ${token.get() ?? ""}` }, cache: "no-store" });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const error = body?.error;
    throw new ApiError(res.status, error?.code ?? "internal", error?.message ?? `HTTP ${res.status}`);
  }
  return body;
}

/** nsPath is the path of a route inside a namespace. */
export const nsPath = (ns, rest) => `/v1/namespaces/${encodeURIComponent(ns)}/${rest}`;
