/**
 * The collection scenario: N blobs in chains of 10 hanging from leases of 100 blobs, a tenth
 * under unexpired leases, the rest under expired ones. Ours: `POST /v1/gc` repeated until a run
 * reports `complete` (bounded runs with the default budget). Raw: one batch that expires leases,
 * computes the dead set and deletes its rows, then R2 deletes in chunks of 1000. Each sample
 * starts from an empty store, seeded in the content store's shape (bench/seed.ts).
 */
import { addCost, call, r2Total, zeroCost } from "./lib/http.mjs";
import { median } from "./lib/report.mjs";

const BLOBS_PER_LEASE = 100;
const LEASES_PER_REQUEST = 50;

/** seed empties the store, then writes an N-blob data set, 5000 blobs a request; returns D1's file size after. */
async function seed(base, n) {
  await call(base, "POST", "/__bench/wipe");
  const leases = n / BLOBS_PER_LEASE;
  let sizeAfter = 0;
  for (let first = 0; first < leases; first += LEASES_PER_REQUEST) {
    const count = Math.min(LEASES_PER_REQUEST, leases - first);
    sizeAfter = (await call(base, "POST", `/__bench/seed/gc?ns=gc&first=${first}&leases=${count}`)).data.sizeAfter;
  }
  return sizeAfter;
}

/** ours runs bounded collections until one completes. */
async function ours(base) {
  let ms = 0;
  let cost = zeroCost();
  const runs = [];
  for (;;) {
    const res = await call(base, "POST", "/v1/gc", { json: {} });
    ms += res.ms;
    cost = addCost(cost, res.cost);
    runs.push(res.data);
    if (res.data.complete) break;
    if (runs.length > 100) throw new Error("the collection did not complete in 100 runs");
  }
  const contentDeleted = runs.reduce((s, r) => s + r.contentDeleted, 0);
  return { ms, cost, runs, contentDeleted };
}

async function raw(base) {
  const res = await call(base, "POST", "/__bench/raw/gc");
  return { ms: res.ms, cost: res.cost, contentDeleted: res.data.contentDeleted };
}

/**
 * collection measures every size in `sizes`, `roundsOf(n)` interleaved rounds each, and returns
 * one result a size plus the growth check (largest size against the smallest).
 */
export async function collection(base, sizes, roundsOf, log) {
  const results = [];
  for (const n of sizes) {
    const samples = { ours: [], raw: [] };
    let dbBytes = 0;
    for (let r = 0; r < roundsOf(n); r++) {
      let t = performance.now();
      dbBytes = await seed(base, n);
      log(`  gc ${n}: seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
      const o = await ours(base);
      t = performance.now();
      await seed(base, n);
      log(`  gc ${n}: seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
      const w = await raw(base);
      const dead = n * 0.9;
      if (o.contentDeleted !== dead || w.contentDeleted !== dead) {
        throw new Error(`gc ${n}: ours deleted ${o.contentDeleted}, raw ${w.contentDeleted}, expected ${dead}`);
      }
      samples.ours.push(o);
      samples.raw.push(w);
      log(`  gc ${n}: ours ${o.ms.toFixed(0)} ms in ${o.runs.length} run(s), raw ${w.ms.toFixed(0)} ms`);
    }
    const oursMs = median(samples.ours.map((s) => s.ms));
    const rawMs = median(samples.raw.map((s) => s.ms));
    const o = samples.ours[0];
    const dead = n * 0.9;
    const readPerBlob = o.cost.rowsRead / n;
    results.push({
      name: `collect ${n.toLocaleString("en-US")} blobs`,
      n,
      target: 2,
      ours: { medianMs: oursMs, samplesMs: samples.ours.map((s) => s.ms) },
      raw: { medianMs: rawMs, samplesMs: samples.raw.map((s) => s.ms) },
      ratio: oursMs / rawMs,
      met: oursMs / rawMs <= 2,
      runs: o.runs.map((r) => ({
        contentDeleted: r.contentDeleted,
        objectsDeleted: r.objectsDeleted,
        complete: r.complete,
      })),
      cost: [
        {
          figure: `gc ${n}: D1 rows read per blob in the store`,
          value: readPerBlob.toFixed(2),
          target: "≤ 10",
          met: readPerBlob <= 10,
        },
        { figure: `gc ${n}: D1 rows read per collected blob`, value: (o.cost.rowsRead / dead).toFixed(2) },
        { figure: `gc ${n}: D1 rows written per collected blob`, value: (o.cost.rowsWritten / dead).toFixed(2) },
        { figure: `gc ${n}: R2 calls per collected blob`, value: (r2Total(o.cost) / dead).toFixed(4) },
        {
          figure: `gc ${n}: dead blobs the first bounded run cleared (of ${dead})`,
          value: `${o.runs[0].objectsDeleted}${o.runs[0].complete ? " (complete)" : ""}`,
        },
        { figure: `gc ${n}: bounded runs to complete`, value: String(o.runs.length) },
        { figure: `gc ${n}: raw baseline D1 rows read per blob`, value: (samples.raw[0].cost.rowsRead / n).toFixed(2) },
      ],
      dbBytes,
      rawCost: samples.raw[0].cost,
      oursCost: o.cost,
    });
  }
  const first = results[0];
  const last = results.at(-1);
  // Marginal D1 bytes per blob of the seed's shape (content, refs, leases, resources and indexes):
  // the file growth from the smallest to the largest data set (freed pages are reused, not returned).
  const bytesPerBlob = (last.dbBytes - first.dbBytes) / (last.n - first.n);
  const growth = last.ours.medianMs / first.ours.medianMs;
  const allowed = (10 * last.n) / first.n / 8; // 80k ≤ 10 × 10k, scaled to the sizes measured
  return {
    results,
    bytesPerBlob: {
      figure: "D1 bytes per blob in the store (file growth, smallest to largest N)",
      value: Number.isFinite(bytesPerBlob) ? bytesPerBlob.toFixed(0) : "-",
    },
    growth: {
      figure: `gc time ${last.n.toLocaleString("en-US")} / ${first.n.toLocaleString("en-US")}`,
      value: growth.toFixed(2),
      target: `≤ ${allowed.toFixed(2)}`,
      met: growth <= allowed,
    },
  };
}
