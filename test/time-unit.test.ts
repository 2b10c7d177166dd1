import { describe, expect, it } from "vitest";
import { parseTime } from "../src/time";

describe("parseTime", () => {
  it.each([
    ["2026-12-03T18:00:00Z", Date.UTC(2026, 11, 3, 18)],
    ["2026-12-03t18:00:00.123456789z", Date.UTC(2026, 11, 3, 18, 0, 0, 123)],
    ["2026-12-03 18:00:00+01:30", Date.UTC(2026, 11, 3, 16, 30)],
    ["2028-02-29T00:00:00Z", Date.UTC(2028, 1, 29)],
    ["2026-12-31T23:59:59-23:59", Date.UTC(2027, 0, 1, 23, 58, 59)],
    ["0000-02-29T00:00:00Z", Date.parse("0000-02-29T00:00:00Z")],
    ["9999-12-31T23:59:59.999Z", Date.parse("9999-12-31T23:59:59.999Z")],
  ])("parseTime: %s", (text, ms) => {
    expect(parseTime(text)).toBe(ms);
  });

  // Each of these is out of range in one field; Date.parse would roll most of them over.
  it.each([
    "2026-02-30T00:00:00Z",
    "2027-02-29T00:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z",
    "2026-12-00T00:00:00Z",
    "2026-12-03T24:00:00Z",
    "2026-12-03T18:60:00Z",
    "2026-12-03T18:00:60Z",
    "2026-12-03T18:00:00+24:00",
    "2026-12-03T18:00:00+01:60",
    "2026-12-03",
    "2026-12-03T18:00:00",
    "1900-02-29T00:00:00Z",
    // In range as written, but outside years 0000 to 9999 in UTC.
    "9999-12-31T23:59:59-00:01",
    "0000-01-01T00:00:00+01:00",
  ])("parseTime: %s is not a time", (text) => {
    expect(parseTime(text)).toBeNull();
  });
});
