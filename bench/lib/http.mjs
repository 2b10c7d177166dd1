/**
 * Timed requests to the bench Worker. Each call is timed in Node with performance.now() from
 * before the request until the last byte of the response body (read and discarded), and
 * returns the `Bench-Cost` tally the Worker measured on its bindings.
 */

export const ADMIN = { Authorization: "Bearer bench-admin-token" };

/** retries counts requests answered 503 and sent again (reported in the results). */
export const retries = { count: 0 };

/**
 * call sends one request; `json` sends a JSON body, `body` raw bytes. A 503 (`unavailable`: a
 * local store hiccup on this shared machine; nothing was kept) is retried twice, and counted.
 */
export async function call(base, method, path, options = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await once(base, method, path, options);
    } catch (err) {
      if (!(err instanceof Unavailable) || attempt === 2) throw err;
      retries.count += 1;
      console.error(`  retrying after 503: ${method} ${path}`);
    }
  }
}

class Unavailable extends Error {}

async function once(base, method, path, { json, body, headers = {} }) {
  const init = { method, headers: { ...ADMIN, ...headers } };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  } else if (body !== undefined) {
    init.body = body;
  }
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, init);
  const isJson = (res.headers.get("content-type") ?? "").includes("application/json");
  let bytes = 0;
  let text = "";
  if (isJson) text = await res.text();
  else if (res.body) for await (const chunk of res.body) bytes += chunk.byteLength;
  const ms = performance.now() - t0;
  if (res.status === 503) throw new Unavailable(`${method} ${path}: 503 ${text}`);
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  const cost = JSON.parse(res.headers.get("bench-cost") ?? "{}");
  return { ms, status: res.status, cost, data: isJson && text ? JSON.parse(text) : undefined, bytes };
}

/** addCost sums tallies. */
export function addCost(a, b) {
  const r2 = { ...a.r2 };
  for (const [k, v] of Object.entries(b.r2 ?? {})) r2[k] = (r2[k] ?? 0) + v;
  return {
    statements: a.statements + (b.statements ?? 0),
    rowsRead: a.rowsRead + (b.rowsRead ?? 0),
    rowsWritten: a.rowsWritten + (b.rowsWritten ?? 0),
    r2,
  };
}

export const zeroCost = () => ({ statements: 0, rowsRead: 0, rowsWritten: 0, r2: {} });

/** r2Total counts R2 calls (resumeMultipartUpload is local, not a call). */
export const r2Total = (cost) =>
  Object.entries(cost.r2 ?? {}).reduce((s, [k, v]) => (k === "resumeMultipartUpload" ? s : s + v), 0);
