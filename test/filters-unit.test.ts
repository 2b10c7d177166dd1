import { describe, expect, it } from "vitest";
import { LeaseholdError } from "../src/errors";
import {
  type Adaptor,
  MAX_FILTER_LENGTH,
  MAX_FILTERS,
  MAX_SELECTORS,
  matchFilters,
  parseFilters,
} from "../src/filters";

/** A lease as the list endpoint sees it: an id and its stored labels. */
interface TestLease {
  id: string;
  labels: Record<string, string>;
}

// containerd's lease-list table. lease2 was created with label2: "" but the service drops empty
// labels on write, so its stored labels lack label2.
const LEASES: TestLease[] = [
  { id: "lease1", labels: { label1: "value1", label3: "other" } },
  { id: "lease2", labels: { label1: "value1", label3: "other" } },
  { id: "lease3", labels: { label1: "value2", label2: "something" } },
];

/** adaptor resolves ["id"] and ["labels", ...key parts] (rejoined with "."); nothing else. */
const adaptor =
  (lease: TestLease): Adaptor =>
  (fieldpath) => {
    const [head, ...rest] = fieldpath;
    if (head === "id" && rest.length === 0) return lease.id;
    if (head === "labels" && rest.length > 0) {
      const key = rest.join(".");
      return Object.hasOwn(lease.labels, key) ? lease.labels[key] : undefined;
    }
    return undefined;
  };

/** matching returns the ids of LEASES that the given filters select. */
const matching = (filters: string[]): string[] => {
  const set = parseFilters(filters);
  return LEASES.filter((lease) => matchFilters(set, adaptor(lease))).map((lease) => lease.id);
};

/** expectInvalid asserts that parsing throws invalid_argument and returns the message. */
const expectInvalid = (filters: string[]): string => {
  try {
    parseFilters(filters);
  } catch (err) {
    expect(err).toBeInstanceOf(LeaseholdError);
    expect((err as LeaseholdError).code).toBe("invalid_argument");
    return (err as LeaseholdError).message;
  }
  throw new Error(`parseFilters(${JSON.stringify(filters)}) did not throw`);
};

const ALL = ["lease1", "lease2", "lease3"];

describe("lease list table", () => {
  const cases: { name: string; filters: string[]; want: string[] }[] = [
    { name: "no filters match everything", filters: [], want: ALL },
    { name: "an empty filter matches everything", filters: [""], want: ALL },
    { name: "a whitespace-only filter matches everything", filters: ["   "], want: ALL },
    { name: "an empty filter ORed with another still matches everything", filters: ["", "id==lease1"], want: ALL },
    { name: "id equality selects one lease", filters: ["id==lease1"], want: ["lease1"] },
    { name: "two filters are ORed", filters: ["id==lease1", "id==lease2"], want: ["lease1", "lease2"] },
    { name: "label equality", filters: ["labels.label1==value1"], want: ["lease1", "lease2"] },
    { name: "label inequality", filters: ["labels.label1!=value1"], want: ["lease3"] },
    { name: "label presence (empty labels are not stored)", filters: ["labels.label2"], want: ["lease3"] },
    { name: "inequality matches absent labels", filters: ["labels.label2!=something"], want: ["lease1", "lease2"] },
    {
      name: "selectors in one filter are ANDed",
      filters: ["labels.label1==value1,labels.label3==other"],
      want: ["lease1", "lease2"],
    },
    {
      name: "AND with no common match selects nothing",
      filters: ["labels.label1==value2,labels.label3==other"],
      want: [],
    },
    { name: "bare regex", filters: ["id~=^lease[12]$"], want: ["lease1", "lease2"] },
    { name: "slash-delimited regex", filters: ["id~=/^lease[13]$/"], want: ["lease1", "lease3"] },
    { name: "pipe-delimited regex", filters: ["id~=|^lease[23]$|"], want: ["lease2", "lease3"] },
    { name: "double-quoted regex", filters: ['id~="^lease\\\\d$"'], want: ALL },
    {
      name: "regex against an absent field sees an empty string",
      filters: ["labels.label2~=^$"],
      want: ["lease1", "lease2"],
    },
    { name: "unanchored regex matches a substring", filters: ["labels.label2~=thing"], want: ["lease3"] },
    { name: "quoted field part", filters: ['labels."label1"==value2'], want: ["lease3"] },
    { name: "quoted value", filters: ['labels.label1=="value1"'], want: ["lease1", "lease2"] },
    { name: "slash-quoted literal for ==", filters: ["id==/lease3/"], want: ["lease3"] },
    { name: "equality never matches an absent field", filters: ['labels.label2==""'], want: [] },
    { name: "unknown field is absent", filters: ["name"], want: [] },
    { name: "unknown field differs from a value", filters: ["name!=x"], want: ALL },
    { name: "whitespace around tokens", filters: ["  labels . label1 == value1 , id != lease1  "], want: ["lease2"] },
    { name: "whitespace around a regex", filters: ["\tid ~= /^lease1$/ "], want: ["lease1"] },
    { name: "whitespace around a quoted field", filters: [' labels. "label2" '], want: ["lease3"] },
    { name: "presence of id", filters: ["id"], want: ALL },
    { name: "presence combined with equality", filters: ["labels.label3,id==lease2"], want: ["lease2"] },
  ];
  for (const c of cases) {
    it(`matchFilters: ${c.name}`, () => {
      expect(matching(c.filters)).toEqual(c.want);
    });
  }
});

describe("parsed structure", () => {
  const cases: { name: string; input: string; fieldpath: string[]; operator: string; value: string }[] = [
    {
      name: "dotted path splits into parts",
      input: "labels.a.b",
      fieldpath: ["labels", "a", "b"],
      operator: "present",
      value: "",
    },
    {
      name: "quoted part stays whole",
      input: 'labels."a.b"',
      fieldpath: ["labels", "a.b"],
      operator: "present",
      value: "",
    },
    {
      name: "quoted containerd gc label",
      input: 'labels."containerd.io/gc.expire"!=x',
      fieldpath: ["labels", "containerd.io/gc.expire"],
      operator: "!=",
      value: "x",
    },
    {
      name: "field may start with a digit or underscore",
      input: "labels._1a==v",
      fieldpath: ["labels", "_1a"],
      operator: "==",
      value: "v",
    },
    {
      name: "bare value keeps punctuation",
      input: 'id==a/b:c=d"e',
      fieldpath: ["id"],
      operator: "==",
      value: 'a/b:c=d"e',
    },
    { name: "bare value may be non-ASCII", input: "id==größe", fieldpath: ["id"], operator: "==", value: "größe" },
    {
      name: "quoted value keeps commas and spaces",
      input: 'id=="a, b"',
      fieldpath: ["id"],
      operator: "==",
      value: "a, b",
    },
    { name: "empty quoted value", input: 'id==""', fieldpath: ["id"], operator: "==", value: "" },
    {
      name: "double-quote escapes are decoded",
      input: 'id=="q\\"b\\\\n\\n\\t\\x41\\u00e9\\U0001F600"',
      fieldpath: ["id"],
      operator: "==",
      value: 'q"b\\n\n\tAé😀',
    },
    { name: "escaped slash delimiter", input: "id~=/a\\/b/", fieldpath: ["id"], operator: "~=", value: "a/b" },
    { name: "escaped pipe delimiter", input: "id~=|a\\|b|", fieldpath: ["id"], operator: "~=", value: "a|b" },
    {
      name: "other regex escapes are kept",
      input: "id~=/\\d+\\.\\\\/",
      fieldpath: ["id"],
      operator: "~=",
      value: "\\d+\\.\\\\",
    },
  ];
  for (const c of cases) {
    it(`parseFilters: ${c.name}`, () => {
      const [filter] = parseFilters([c.input]);
      expect(filter).toHaveLength(1);
      const selector = filter?.[0];
      expect(selector?.fieldpath).toEqual(c.fieldpath);
      expect(selector?.operator).toBe(c.operator);
      expect(selector?.value).toBe(c.value);
      expect(selector?.regex !== undefined).toBe(c.operator === "~=");
    });
  }

  it("parseFilters: an empty filter parses to no selectors", () => {
    expect(parseFilters(["", " "])).toEqual([[], []]);
  });

  it("parseFilters: regexes are compiled once, without flags", () => {
    const regex = parseFilters(["id~=/^A$/"])[0]?.[0]?.regex;
    expect(regex?.pattern()).toBe("^A$");
    expect(regex?.flags()).toBe(0);
  });

  it("matchFilters: a pattern that backtracks exponentially in a RegExp runs in linear time", () => {
    // 40 characters: a backtracking engine takes about 2^40 steps on this before it gives up.
    const set = parseFilters(["labels.x~=^(a+)+$", "labels.x~=(a|a)*$"]);
    const value = `${"a".repeat(40)}!`;
    expect(matchFilters(set.slice(0, 1), (fp) => (fp[1] === "x" ? value : undefined))).toBe(false);
    expect(matchFilters(set.slice(1), (fp) => (fp[1] === "x" ? value : undefined))).toBe(true);
  });

  it("parseFilters: a regular expression whose program is too large is refused with its position", () => {
    expect(() => parseFilters(["id==a,labels.x~=/\\pL{1000}/"])).toThrow(
      /regular expression too large: program size \d+, at most 500 at position 16/,
    );
    expect(() => parseFilters(["labels.x~=[a-z]{400}"])).not.toThrow();
  });

  it("parseFilters: regular expressions too large together are refused, across filters", () => {
    const big = "labels.x~=[a-z]{400}";
    expect(() => parseFilters([big, big])).not.toThrow();
    expect(() => parseFilters([big, big, big])).toThrow(/too large together: program size \d+, at most 1000/);
    expect(() => parseFilters([`${big},${big},${big}`])).toThrow(/too large together/);
  });

  it("parseFilters: the pattern syntax is RE2's (Go's regexp, as containerd), not JavaScript's", () => {
    // Go's regexp has no backreferences or lookarounds; (?i) is its flag syntax.
    for (const pattern of ["(a)\\1", "a(?=b)", "(?<!a)b"]) {
      expect(() => parseFilters([`id~=/${pattern}/`]), pattern).toThrow(/invalid regular expression/);
    }
    const set = parseFilters(["id~=(?i)^build-"]);
    expect(matchFilters(set, () => "BUILD-1")).toBe(true);
  });

  it("matchFilters: escaped slash regex matches a literal slash", () => {
    const set = parseFilters(["labels.path~=/^a\\/b$/"]);
    expect(matchFilters(set, (fp) => (fp[1] === "path" ? "a/b" : undefined))).toBe(true);
    expect(matchFilters(set, (fp) => (fp[1] === "path" ? "a-b" : undefined))).toBe(false);
  });
});

describe("parse errors", () => {
  const cases: { name: string; input: string; message: string }[] = [
    { name: "missing value after ==", input: "id==", message: "expected value or quoted at position 4" },
    {
      name: "missing value before comma",
      input: "id==,id",
      message: 'expected value or quoted, found "," at position 4',
    },
    {
      name: "slash in an unquoted field",
      input: "labels.ns/key==value",
      message: 'expected ".", operator (==, !=, ~=), "," or end of input, found "/" at position 9',
    },
    { name: "lone comma", input: ",", message: 'expected field or quoted, found "," at position 0' },
    { name: "trailing comma", input: "id==a,", message: "expected field or quoted at position 6" },
    {
      name: "containerd example",
      input: "labels.a==b,",
      message: "[labels.a==b,]: expected field or quoted at position 12",
    },
    {
      name: "unterminated slash regex",
      input: "id~=/unterminated",
      message: "quoted literal not terminated at position 4",
    },
    {
      name: "unterminated pipe literal for ==",
      input: "id==|abc",
      message: "quoted literal not terminated at position 4",
    },
    { name: "bare slash value for !=", input: "id!=/abc", message: "quoted literal not terminated at position 4" },
    {
      name: "unterminated quoted field",
      input: '"unterminated',
      message: "quoted literal not terminated at position 0",
    },
    { name: "backslash at end of quoted", input: 'id=="a\\', message: "quoted literal not terminated at position 4" },
    { name: "invalid regex", input: "id~=[", message: "invalid regular expression at position 4" },
    { name: "invalid regex after whitespace", input: "id~=  /(/", message: "invalid regular expression at position 6" },
    { name: "empty field after dot", input: "labels.", message: "expected field or quoted at position 7" },
    { name: "operator without field", input: "==x", message: 'expected field or quoted, found "=" at position 0' },
    { name: "single = is not an operator", input: "id=x", message: 'found "=" at position 2' },
    { name: "two values", input: "id==a b", message: 'expected "," or end of input, found "b" at position 6' },
    {
      name: "slash-quoted field part",
      input: "labels./a/",
      message: 'expected field or quoted, found "/" at position 7',
    },
    { name: "unknown escape", input: 'labels."a\\qb"', message: 'unknown escape sequence "\\q" at position 9' },
    { name: "short hex escape", input: 'id=="\\x4"', message: 'invalid escape sequence "\\x4"' },
    { name: "control character in value", input: "id==a\u0001", message: 'found "\\u0001" at position 5' },
  ];
  for (const c of cases) {
    it(`parseFilters: rejects ${c.name}`, () => {
      const message = expectInvalid([c.input]);
      expect(message).toContain("filters: parse error: [");
      expect(message).toContain(`[${c.input}]`);
      expect(message).toContain("position");
      expect(message).toContain(c.message);
    });
  }

  it("parseFilters: one bad filter fails the whole set", () => {
    expect(expectInvalid(["id==lease1", "id=="])).toContain("[id==]");
  });
});

describe("limits", () => {
  it(`parseFilters: accepts ${MAX_FILTERS} filters and rejects one more`, () => {
    expect(parseFilters(Array(MAX_FILTERS).fill("id"))).toHaveLength(MAX_FILTERS);
    expect(expectInvalid(Array(MAX_FILTERS + 1).fill("id"))).toContain(`too many filters: ${MAX_FILTERS + 1} given`);
  });

  it(`parseFilters: accepts a ${MAX_FILTER_LENGTH}-character filter and rejects a longer one`, () => {
    const longest = `id==${"a".repeat(MAX_FILTER_LENGTH - 4)}`;
    expect(parseFilters([longest])[0]?.[0]?.value).toHaveLength(MAX_FILTER_LENGTH - 4);
    expect(expectInvalid([`${longest}a`])).toContain(`filter too long: ${MAX_FILTER_LENGTH + 1} characters`);
  });

  it(`parseFilters: accepts ${MAX_SELECTORS} selectors and rejects one more`, () => {
    const selectors = (n: number) => Array.from({ length: n }, (_, i) => `labels.k${i}`).join(",");
    expect(parseFilters([selectors(MAX_SELECTORS)])[0]).toHaveLength(MAX_SELECTORS);
    expect(expectInvalid([selectors(MAX_SELECTORS + 1)])).toContain(
      `too many selectors in one filter: at most ${MAX_SELECTORS} allowed`,
    );
  });
});
