/**
 * The bench Worker: Leasehold's own app (`createApp`) plus `/__bench/*` endpoints that seed data
 * and run the raw twins. Every request runs on counting wrappers of D1 and R2, and its response
 * carries a `Bench-Cost` header: D1 statements, rows read and written (from D1's `meta`) and R2
 * calls by method. Timing is done by the Node driver (`run.mjs`): inside workerd, clocks do not
 * advance during computation. Local only: the bench endpoints have no authentication.
 */
import { createApp } from "../src/http/app";
import { countingD1, countingR2, newTally, type Tally } from "./counting";
import { queryPlans } from "./plans";
import { probePut } from "./probe";
import { rawAddResources, rawCollect, rawCreateLease, rawGet, rawLeasePage, rawPut } from "./raw";
import { seedGc, seedLeases, wipe } from "./seed";

const app = createApp();

const json = (value: unknown) => Response.json(value);

/** bench answers a `/__bench/*` request with the counted bindings. */
async function bench(request: Request, url: URL, env: Env): Promise<Response> {
  const q = (name: string) => url.searchParams.get(name) ?? "";
  const ns = q("ns");
  switch (url.pathname) {
    case "/__bench/seed/gc":
      return json(await seedGc(env.DB, env.BLOBS, ns, Number(q("first")), Number(q("leases"))));
    case "/__bench/seed/leases":
      return json(await seedLeases(env.DB, ns, Number(q("n"))));
    case "/__bench/wipe":
      return json(await wipe(env.DB, env.BLOBS));
    case "/__bench/raw/lease":
      return json(await rawCreateLease(env.DB, ns, await request.json()));
    case "/__bench/raw/resources":
      await rawAddResources(env.DB, ns, q("lease"), await request.json());
      return new Response(null, { status: 204 });
    case "/__bench/raw/leases":
      return json(await rawLeasePage(env.DB, ns, q("team"), q("after"), Number(q("limit"))));
    case "/__bench/raw/put":
      return json(await rawPut(env.BLOBS, ns, request.body));
    case "/__bench/probe/put":
      return json(await probePut(env.BLOBS, ns, request, q("mode")));
    case "/__bench/raw/get":
      return rawGet(env.BLOBS, q("key"));
    case "/__bench/raw/gc":
      return json(await rawCollect(env.DB, env.BLOBS));
    case "/__bench/plans":
      return json(await queryPlans(env.DB));
    default:
      return new Response("no such bench endpoint", { status: 404 });
  }
}

/** withCost returns the response with the request's tally in `Bench-Cost`. */
function withCost(response: Response, tally: Tally): Response {
  const out = new Response(response.body, response);
  out.headers.set("Bench-Cost", JSON.stringify(tally));
  return out;
}

export default {
  async fetch(request, env, ctx) {
    const tally = newTally();
    const counted: Env = { ...env, DB: countingD1(env.DB, tally), BLOBS: countingR2(env.BLOBS, tally) };
    const url = new URL(request.url);
    const response = url.pathname.startsWith("/__bench/")
      ? await bench(request, url, counted)
      : await app.fetch(request, counted, ctx);
    return withCost(response, tally);
  },
} satisfies ExportedHandler<Env>;
