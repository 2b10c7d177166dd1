/** Medians, ratios and the aligned tables `npm run bench` prints. */

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * interleave runs `rounds` rounds of ours then raw (after `warmup` untimed rounds) and returns
 * both series of samples; `prepare(round)` runs untimed before each round.
 */
export async function interleave({ rounds, warmup = 0, prepare, ours, raw }) {
  const samples = { ours: [], raw: [] };
  for (let r = -warmup; r < rounds; r++) {
    const ctx = prepare ? await prepare(r) : undefined;
    const a = await ours(r, ctx);
    const b = await raw(r, ctx);
    if (r >= 0) {
      samples.ours.push(a);
      samples.raw.push(b);
    }
  }
  return samples;
}

/** table renders rows (arrays of strings) under a header, columns padded; numbers right-aligned. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => {
        const s = String(c);
        return /^[\d.,×≤ -]+$/.test(s) ? s.padStart(widths[i]) : s.padEnd(widths[i]);
      })
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** fmt renders a number with a fixed number of decimals. */
export const fmt = (n, digits = 1) => (n === undefined || Number.isNaN(n) ? "-" : n.toFixed(digits));
