/** How the CLI prints: JSON for scripts (`--json`), aligned tables and short sizes for people. */

/** Output writes a command's result to stdout and notes to stderr. */
export interface Output {
  json: boolean;
  /** print writes one line to stdout. */
  print(line: string): void;
  /** note writes one line to stderr (progress, hints); never mixed into --json output. */
  note(line: string): void;
}

/** consoleOutput writes to the process's stdout and stderr. */
export function consoleOutput(json: boolean): Output {
  return {
    json,
    print: (line) => process.stdout.write(`${line}\n`),
    note: (line) => process.stderr.write(`${line}\n`),
  };
}

/**
 * table renders rows under headings, each column as wide as its widest cell and separated by
 * three spaces, as `ctr` does. The last column is not padded.
 */
export function table(headings: string[], rows: string[][]): string {
  const widths = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("   ")
      .trimEnd();
  return [line(headings), ...rows.map(line)].join("\n");
}

/** emit prints `value` as JSON, or as what `human` makes of it (nothing at all when that is empty). */
export function emit<T>(out: Output, value: T, human: (v: T) => string): void {
  const text = out.json ? JSON.stringify(value, null, 2) : human(value);
  if (text !== "") out.print(text);
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** bytes renders a size for people: 512 B, 1.5 MiB. */
export function bytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** labelList renders labels as `k=v,k2=v2` (sorted), or `-` when there are none. */
export function labelList(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? "-" : keys.map((k) => `${k}=${labels[k]}`).join(",");
}

/** parseLabels reads `k=v` arguments; `k=` (empty value) means remove when `allowRemove`. */
export function parseLabels(pairs: string[], allowRemove = false): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new Error(`label "${pair}" must be key=value`);
    const value = pair.slice(at + 1);
    out[pair.slice(0, at)] = value === "" && allowRemove ? null : value;
  }
  return out;
}

/** collect is a commander option reducer for repeatable options. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
