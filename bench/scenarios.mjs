/**
 * The benchmark scenarios. Each times Leasehold's API beside its raw twin (bench/raw.ts) in the
 * same run, interleaved, and reports medians, the ratio ours/raw and the deterministic cost
 * figures (D1 rows, R2 calls) measured by the bench Worker's counting wrappers.
 */
import { createHash, randomBytes } from "node:crypto";
import { addCost, call, r2Total, zeroCost } from "./lib/http.mjs";
import { interleave, median } from "./lib/report.mjs";

const LEASES = "/v1/namespaces";
const digestOf = (bytes) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
const randomDigest = () => `sha256:${randomBytes(32).toString("hex")}`;

/** summarize turns samples of `{ms, cost}` into a scenario result. */
function summarize(name, target, samples, cost = []) {
  const ours = median(samples.ours.map((s) => s.ms));
  const raw = median(samples.raw.map((s) => s.ms));
  const ratio = ours / raw;
  return {
    name,
    target,
    ours: { medianMs: ours, samplesMs: samples.ours.map((s) => s.ms) },
    raw: { medianMs: raw, samplesMs: samples.raw.map((s) => s.ms) },
    ratio,
    met: ratio <= target,
    cost,
  };
}

const distinct = (xs) => [...new Set(xs)];

/** leaseCreate: POST …/leases against one INSERT of the same row. */
export async function leaseCreate(base, rounds) {
  const body = (id) => ({ id, labels: { team: "ci", app: "bench" }, ttl: 3600 });
  const samples = await interleave({
    rounds,
    warmup: 3,
    ours: (r) => call(base, "POST", `${LEASES}/create/leases`, { json: body(`c-${r + 3}`) }),
    raw: (r) => call(base, "POST", "/__bench/raw/lease?ns=create-raw", { json: body(`c-${r + 3}`) }),
  });
  const written = distinct(samples.ours.map((s) => s.cost.rowsWritten));
  const read = distinct(samples.ours.map((s) => s.cost.rowsRead));
  return summarize("create a lease", 1.5, samples, [
    {
      figure: "lease create: D1 rows written",
      value: written.join(", "),
      target: "constant",
      met: written.length === 1,
    },
    { figure: "lease create: D1 rows read", value: read.join(", "), target: "constant", met: read.length === 1 },
  ]);
}

/** addResources: 1000 resources in one request against one json_each INSERT. */
export async function addResources(base, rounds) {
  const samples = await interleave({
    rounds,
    warmup: 2,
    prepare: async (r) => {
      const id = `held-${r + 2}`;
      await call(base, "POST", `${LEASES}/res/leases`, { json: { id } });
      await call(base, "POST", `${LEASES}/res-raw/leases`, { json: { id } });
      return { id, body: { resources: Array.from({ length: 1000 }, () => ({ type: "content", id: randomDigest() })) } };
    },
    ours: (_r, c) => call(base, "POST", `${LEASES}/res/leases/${c.id}/resources`, { json: c.body }),
    raw: (_r, c) => call(base, "POST", `/__bench/raw/resources?ns=res-raw&lease=${c.id}`, { json: c.body }),
  });
  const cost = samples.ours[0].cost;
  return summarize("add 1000 resources", 1.5, samples, [
    { figure: "add 1000 resources: D1 rows read / written", value: `${cost.rowsRead} / ${cost.rowsWritten}` },
  ]);
}

/** listLeases: 10,000 leases, filter labels.team==ci (1 in 4), pages of 1000, against keyset SELECTs. */
export async function listLeases(base, rounds) {
  await call(base, "POST", "/__bench/seed/leases?ns=list&n=10000");
  const ours = async () => {
    let cursor = null;
    let ms = 0;
    let items = 0;
    let cost = zeroCost();
    do {
      const q = `filter=${encodeURIComponent("labels.team==ci")}&limit=1000${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await call(base, "GET", `${LEASES}/list/leases?${q}`);
      ms += res.ms;
      items += res.data.leases.length;
      cost = addCost(cost, res.cost);
      cursor = res.data.nextCursor;
    } while (cursor);
    return { ms, items, cost };
  };
  const raw = async () => {
    let after = "";
    let ms = 0;
    let items = 0;
    let cost = zeroCost();
    for (;;) {
      const res = await call(base, "GET", `/__bench/raw/leases?ns=list&team=ci&limit=1000&after=${after}`);
      ms += res.ms;
      items += res.data.leases.length;
      cost = addCost(cost, res.cost);
      if (!res.data.next) break;
      after = res.data.next;
    }
    return { ms, items, cost };
  };
  const samples = await interleave({ rounds, warmup: 1, ours, raw });
  const o = samples.ours[0];
  if (o.items !== 2500 || samples.raw[0].items !== 2500) throw new Error(`listing found ${o.items} leases, not 2500`);
  return summarize("list 10,000 leases, label filter", 2, samples, [
    { figure: "list: D1 rows read per lease in the namespace", value: (o.cost.rowsRead / 10_000).toFixed(2) },
  ]);
}

/** blobs: a 64 MiB upload (verified) against a raw put, then reads against a raw get. */
export async function blobs(base, rounds) {
  const size = 64 * 1024 * 1024;
  const bytes = randomBytes(size);
  let digest = "";
  let key = "";
  const up = await interleave({
    rounds,
    warmup: 1,
    prepare: (r) => {
      bytes.writeUInt32BE(r + 1000, 0); // a fresh blob each round, so every upload stores bytes
      digest = digestOf(bytes);
      return undefined;
    },
    ours: () =>
      call(base, "PUT", `${LEASES}/blob/content/${digest}`, {
        body: bytes,
        headers: { "Content-Type": "application/octet-stream" },
      }),
    raw: async () => {
      const res = await call(base, "PUT", "/__bench/raw/put?ns=blob", { body: bytes });
      key = res.data.key;
      return res;
    },
  });
  if (up.ours.some((s) => s.status !== 201)) throw new Error("an upload did not create its blob");
  const down = await interleave({
    rounds,
    warmup: 1,
    ours: () => call(base, "GET", `${LEASES}/blob/content/${digest}`),
    raw: () => call(base, "GET", `/__bench/raw/get?key=${encodeURIComponent(key)}`),
  });
  if (down.ours.some((s) => s.bytes !== size) || down.raw.some((s) => s.bytes !== size)) {
    throw new Error("a read returned the wrong number of bytes");
  }
  const u = up.ours[0].cost;
  const d = down.ours[0].cost;
  return [
    summarize("upload 64 MiB, digest verified", 1.3, up, [
      { figure: "upload: D1 rows read / written; R2 calls", value: `${u.rowsRead} / ${u.rowsWritten}; ${r2Total(u)}` },
    ]),
    summarize("read 64 MiB back", 1.1, down, [
      { figure: "read: D1 rows read; R2 calls", value: `${d.rowsRead}; ${r2Total(d)}` },
    ]),
  ];
}

/** UPLOAD_PROBES: the steps of a verified upload, each alone (bench/probe.ts). */
const UPLOAD_PROBES = ["fixed", "checksum", "digest-only", "hash", "tee", "overlap", "bounded"];

/** uploadBreakdown times the probes beside the raw put, to attribute the upload's gap. */
export async function uploadBreakdown(base, rounds) {
  const bytes = randomBytes(64 * 1024 * 1024);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const samples = Object.fromEntries(["raw", ...UPLOAD_PROBES].map((k) => [k, []]));
  for (let r = -1; r < rounds; r++) {
    const raw = await call(base, "PUT", "/__bench/raw/put?ns=probe", { body: bytes });
    if (r >= 0) samples.raw.push(raw.ms);
    for (const mode of UPLOAD_PROBES) {
      const res = await call(base, "PUT", `/__bench/probe/put?ns=probe&mode=${mode}`, {
        body: bytes,
        headers: { "X-Sha256": sha256 },
      });
      if (r >= 0) samples[mode].push(res.ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, { medianMs: median(v), samplesMs: v }]));
}
