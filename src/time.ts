/** Clock and time formats. Times are stored as milliseconds since the Unix epoch. */

/** now returns the current time in milliseconds since the Unix epoch. */
export const now = (): number => Date.now();

/** formatTime renders milliseconds as RFC 3339 UTC with milliseconds: `2026-12-03T18:00:00.000Z`. */
export const formatTime = (ms: number): string => new Date(ms).toISOString();

/** formatOptionalTime renders null as null. */
export const formatOptionalTime = (ms: number | null): string | null => (ms === null ? null : formatTime(ms));

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

const isLeap = (year: number): boolean => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** daysIn is the number of days of a month (1 to 12) of a year (0 to 9999). */
const daysIn = (year: number, month: number): number =>
  month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** The instants RFC 3339 can write in UTC: 0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z. */
const FIRST_MS = -62_167_219_200_000;
const LAST_MS = 253_402_300_799_999;

/**
 * parseTime parses an RFC 3339 time to milliseconds, or returns null when it is not one.
 * Every field must be in range, as Go's time.Parse (containerd) requires: `2026-02-30` or
 * `24:00:00` is refused, where Date.parse would roll it over into another day. So is a time whose
 * UTC form would leave years 0000 to 9999 (`9999-12-31T23:59:59-01:00`): it could not be written
 * back as RFC 3339.
 * Fractions finer than a millisecond are truncated.
 */
export function parseTime(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [offsetHours, offsetMinutes] = [Number(m[8] ?? 0), Number(m[9] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  // Date.parse handles at most millisecond fractions reliably; trim longer ones first.
  const fraction = m[7] ?? "";
  const trimmed = fraction.length > 4 ? value.replace(fraction, fraction.slice(0, 4)) : value;
  const ms = Date.parse(trimmed.replace(" ", "T"));
  return Number.isFinite(ms) && ms >= FIRST_MS && ms <= LAST_MS ? ms : null;
}
