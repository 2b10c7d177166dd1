/**
 * `npm run bench`: Leasehold's API against raw D1/R2 baselines, in local workerd.
 *
 * Applies the migrations to a fresh state directory (bench/.state), starts `wrangler dev` with
 * bench/wrangler.toml on a free port, runs every scenario (ours and raw interleaved, medians of
 * several rounds), prints the tables, writes bench/results/latest.json and stops the server.
 *
 * Environment: BENCH_ROUNDS (default 7) for the API scenarios; BENCH_GC_SIZES (default
 * 10000,20000,40000,80000, the sizes the growth target is stated for) and BENCH_GC_ROUNDS
 * (default: 2 at 10k, else 1) for the collection.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { collection } from "./gc.mjs";
import { call, retries } from "./lib/http.mjs";
import { fmt, table } from "./lib/report.mjs";
import { migrate, start, stop } from "./lib/server.mjs";
import { addResources, blobs, leaseCreate, listLeases, uploadBreakdown } from "./scenarios.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const GC_SIZES = (process.env.BENCH_GC_SIZES ?? "10000,20000,40000,80000").split(",").map(Number);
const gcRounds = (n) => Number(process.env.BENCH_GC_ROUNDS ?? (n <= 10_000 ? 2 : 1));
const log = (line) => console.error(line);

async function main() {
  const began = Date.now();
  log("bench: applying migrations to bench/.state");
  migrate();
  const server = await start();
  log(`bench: worker at ${server.base}`);
  try {
    const scenarios = [];
    for (const [label, run] of [
      ["create a lease", () => leaseCreate(server.base, ROUNDS * 3)],
      ["add 1000 resources", () => addResources(server.base, ROUNDS)],
      ["list 10,000 leases", () => listLeases(server.base, ROUNDS)],
      ["64 MiB blobs", () => blobs(server.base, ROUNDS)],
    ]) {
      log(`bench: ${label}`);
      scenarios.push(...[await run()].flat());
    }
    log("bench: upload breakdown");
    const breakdown = await uploadBreakdown(server.base, 3);
    log(`bench: collection at ${GC_SIZES.join(", ")} blobs`);
    const gc = await collection(server.base, GC_SIZES, gcRounds, log);
    const plans = (await call(server.base, "GET", "/__bench/plans")).data;
    const all = [...scenarios, ...gc.results];

    const timing = table(
      ["scenario", "ours ms", "raw ms", "ours/raw", "target", "met"],
      all.map((s) => [
        s.name,
        fmt(s.ours.medianMs),
        fmt(s.raw.medianMs),
        fmt(s.ratio, 2),
        `≤ ${s.target}`,
        s.met ? "yes" : "NO",
      ]),
    );
    const costs = [...all.flatMap((s) => s.cost), gc.growth, gc.bytesPerBlob];
    const costTable = table(
      ["figure", "value", "target", "met"],
      costs.map((c) => [c.figure, c.value, c.target ?? "", c.met === undefined ? "" : c.met ? "yes" : "NO"]),
    );
    const probes = table(
      ["64 MiB upload step", "median ms", "× raw put"],
      Object.entries(breakdown).map(([k, v]) => [k, fmt(v.medianMs), fmt(v.medianMs / breakdown.raw.medianMs, 2)]),
    );
    console.log(`\n${timing}\n\n${costTable}\n\n${probes}\n`);
    // wrangler dev rebuilds and reloads the Worker when a source file changes: such a run mixes code.
    const reloads = (server.output().match(/Reloading local server/g) ?? []).length;
    if (reloads > 0) log(`bench: WARNING: the Worker reloaded ${reloads} time(s) (a file changed): do not publish`);

    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      rounds: ROUNDS,
      gcSizes: GC_SIZES,
      retriesAfter503: retries.count,
      workerReloads: reloads,
      durationS: Math.round((Date.now() - began) / 1000),
      scenarios: all,
      costs,
      uploadBreakdown: breakdown,
      plans,
    };
    mkdirSync("bench/results", { recursive: true });
    writeFileSync("bench/results/latest.json", `${JSON.stringify(result, null, 2)}\n`);
    log(`bench: wrote bench/results/latest.json (${result.durationS} s)`);
  } catch (err) {
    log(`bench: the Worker's last output:\n${server.output().slice(-4000)}`);
    throw err;
  } finally {
    await stop(server.child);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
