// The collector's recent runs (GET /v1/gc/runs): a uPlot chart of bytes freed and run duration
// over time, and a table of the newest runs.
import { apiGet } from "./console-api.js";
import { formatBytes, formatTime, table } from "./console-dom.js";
import { fromZero, timeRange } from "./console-scales.js";
import uPlot from "./uplot.js";

/** CHARTED runs are drawn; the TABLED newest of them are listed. */
const CHARTED = 100;
const TABLED = 20;
const HEIGHT = 240;

let chart = null;

function drawChart(box, runs) {
  chart?.destroy();
  chart = null;
  box.replaceChildren();
  if (runs.length === 0) return;

  const oldestFirst = [...runs].reverse();
  const data = [
    oldestFirst.map((r) => Date.parse(r.startedAt) / 1000),
    oldestFirst.map((r) => r.bytesFreed),
    oldestFirst.map((r) => r.durationMs),
  ];
  const options = {
    width: Math.max(box.clientWidth, 320),
    height: HEIGHT,
    scales: {
      x: { time: true, range: (_u, min, max) => timeRange(min, max) },
      bytes: { range: (_u, _min, max) => fromZero(max) },
      ms: { range: (_u, _min, max) => fromZero(max) },
    },
    series: [
      {},
      {
        label: "bytes freed",
        scale: "bytes",
        stroke: "#2563eb",
        fill: "rgba(37, 99, 235, 0.12)",
        points: { show: true },
        value: (_u, v) => (v === null || v === undefined ? "—" : formatBytes(v)),
      },
      {
        label: "duration",
        scale: "ms",
        stroke: "#d97706",
        points: { show: true },
        value: (_u, v) => (v === null || v === undefined ? "—" : `${v} ms`),
      },
    ],
    axes: [
      {},
      { scale: "bytes", size: 80, values: (_u, ticks) => ticks.map((t) => formatBytes(t)) },
      { scale: "ms", side: 1, size: 70, grid: { show: false }, values: (_u, ticks) => ticks.map((t) => `${t} ms`) },
    ],
  };
  chart = new uPlot(options, data, box);
}

window.addEventListener("resize", () => {
  const box = chart?.root.parentElement;
  if (chart && box) chart.setSize({ width: Math.max(box.clientWidth, 320), height: HEIGHT });
});

const yesNo = (b) => (b ? "yes" : "no");

/** renderRuns draws the chart into `chartBox` and the table into `body`. */
export async function renderRuns(chartBox, body) {
  const { runs } = await apiGet("/v1/gc/runs", { limit: CHARTED });
  drawChart(chartBox, runs);
  const columns = [
    { title: "started", cell: (r) => formatTime(r.startedAt) },
    { title: "trigger", cell: (r) => r.trigger },
    { title: "dry run", cell: (r) => yesNo(r.dryRun) },
    { title: "complete", cell: (r) => yesNo(r.complete) },
    { title: "leases expired", class: "num", cell: (r) => r.leasesExpired },
    { title: "content deleted", class: "num", cell: (r) => r.contentDeleted },
    { title: "ingests aborted", class: "num", cell: (r) => r.ingestsAborted },
    { title: "objects deleted", class: "num", cell: (r) => r.objectsDeleted },
    { title: "orphans deleted", class: "num", cell: (r) => r.orphansDeleted },
    { title: "bytes freed", class: "num", cell: (r) => formatBytes(r.bytesFreed) },
    { title: "duration", class: "num", cell: (r) => (r.durationMs === null ? "running" : `${r.durationMs} ms`) },
  ];
  body.replaceChildren(table(columns, runs.slice(0, TABLED), "No collection has run yet."));
}
