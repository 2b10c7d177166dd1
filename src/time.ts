/** Clock and time formats. Times are stored as milliseconds since the Unix epoch. */

/** now returns the current time in milliseconds since the Unix epoch. */
export const now = (): number => Date.now();

/** formatTime renders milliseconds as RFC 3339 UTC with milliseconds: `2026-12-03T18:00:00.000Z`. */
export const formatTime = (ms: number): string => new Date(ms).toISOString();

/** formatOptionalTime renders null as null. */
export const formatOptionalTime = (ms: number | null): string | null => (ms === null ? null : formatTime(ms));

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * parseTime parses an RFC 3339 time to milliseconds, or returns null when it is not one.
 * Fractions finer than a millisecond are truncated.
 */
export function parseTime(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  // Date.parse handles at most millisecond fractions reliably; trim longer ones first.
  const fraction = m[1] ?? "";
  const trimmed = fraction.length > 4 ? value.replace(fraction, fraction.slice(0, 4)) : value;
  const ms = Date.parse(trimmed.replace(" ", "T"));
  return Number.isFinite(ms) ? ms : null;
}
