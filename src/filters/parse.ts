/**
 * Parser for containerd-syntax list filters, e.g. `?filter=labels."containerd.io/gc.expire",id~=^build-`.
 *
 * Grammar (whitespace between tokens is allowed and ignored):
 *
 *   filter    := "" | selector ("," selector)*          AND of selectors
 *   selector  := fieldpath [operator value]             no operator: presence test
 *   fieldpath := field ("." field)*
 *   field     := [A-Za-z0-9_]+ | quoted
 *   operator  := "==" | "!=" | "~="
 *   value     := quoted | "/" ... "/" | "|" ... "|" | bare
 *   bare      := run of printable characters other than whitespace and ","
 *   quoted    := '"' ... '"' with backslash escapes
 *
 * Inside `/.../` and `|...|` only the delimiter is unescaped (`\/`, `\|`); every other backslash
 * pair is kept as written so regular-expression escapes such as `\d` survive. Errors name the
 * input and the 0-based character (UTF-16 code unit) position where the parser gave up.
 */

import { RE2JS } from "re2js";
import { invalidArgument, type LeaseholdError } from "../errors";

export type Operator = "present" | "==" | "!=" | "~=";

/**
 * One test against one field. `value` is "" for presence tests; `regex` is set for `~=`: an RE2
 * pattern, the syntax of Go's regexp that containerd uses, matched in time linear in the input
 * (a backtracking RegExp would let one filter stall the Worker).
 */
export interface Selector {
  fieldpath: string[];
  operator: Operator;
  value: string;
  regex?: RE2JS;
}

/** A filter is the AND of its selectors; an empty filter matches everything. */
export type Filter = Selector[];

/** A filter set is the OR of its filters; an empty set matches everything. */
export type FilterSet = Filter[];

/** The most filters one request may carry. */
export const MAX_FILTERS = 32;
/** The longest single filter string, in characters. */
export const MAX_FILTER_LENGTH = 4096;
/** The most selectors one filter may hold. */
export const MAX_SELECTORS = 64;
/**
 * The largest regular expressions, in RE2 program size (about one unit a character class or
 * literal, times its repetitions). Matching is linear in the value, but its constant grows with
 * the program: up to about 500 RE2 stays on its fast automaton (under 0.05 ms on a 4 KiB label),
 * while `\pL{1000}` already takes 80 ms a value. The total bounds a request that repeats them.
 */
export const MAX_PATTERN_SIZE = 500;
export const MAX_PATTERN_SIZE_TOTAL = 1000;

/**
 * parseFilters parses each filter string into a Filter, returning their OR. An empty (or
 * all-whitespace) string parses to an empty Filter, which matches everything. Throws an
 * `invalid_argument` LeaseholdError on a syntax error, an invalid regular expression, or when
 * a limit (MAX_FILTERS, MAX_FILTER_LENGTH, MAX_SELECTORS, MAX_PATTERN_SIZE and its total) is
 * exceeded.
 */
export function parseFilters(filters: readonly string[]): FilterSet {
  if (filters.length > MAX_FILTERS) {
    throw invalidArgument(`filters: too many filters: ${filters.length} given, at most ${MAX_FILTERS} allowed`);
  }
  const set = filters.map((input) => {
    if (input.length > MAX_FILTER_LENGTH) {
      throw invalidArgument(
        `filters: filter too long: ${input.length} characters, at most ${MAX_FILTER_LENGTH} allowed`,
      );
    }
    return new Parser(input).filter();
  });
  const total = set.flat().reduce((sum, s) => sum + (s.regex?.programSize() ?? 0), 0);
  if (total > MAX_PATTERN_SIZE_TOTAL) {
    throw invalidArgument(
      `filters: regular expressions too large together: program size ${total}, at most ${MAX_PATTERN_SIZE_TOTAL} in one request`,
    );
  }
  return set;
}

/** Characters of an unquoted field. */
const FIELD_CHAR = /^[A-Za-z0-9_]$/;
/** Characters of a bare value: printable, not whitespace, not a comma. */
const BARE_CHAR = /^[^\s,\p{Cc}]$/u;
/** Delimiters that open a quoted literal in value position. */
const VALUE_QUOTES = new Set(['"', "/", "|"]);
const OPERATORS = new Set<string>(["==", "!=", "~="]);

/** Single-character escapes understood inside double quotes. */
const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
};
/** Numeric escapes inside double quotes and how many hex digits follow them. */
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Parser is a recursive-descent parser over one filter string; `pos` is the cursor. */
class Parser {
  private pos = 0;

  constructor(private readonly input: string) {}

  /** filter parses the whole input as selectors separated by commas. */
  filter(): Filter {
    this.skipSpace();
    if (this.atEnd()) return [];
    const selectors: Filter = [];
    for (;;) {
      this.skipSpace();
      if (selectors.length === MAX_SELECTORS) {
        throw invalidArgument(
          `filters: too many selectors in one filter: at most ${MAX_SELECTORS} allowed (selector ${MAX_SELECTORS + 1} starts at position ${this.pos})`,
        );
      }
      selectors.push(this.selector());
      this.skipSpace();
      if (this.atEnd()) return selectors;
      if (this.peek() !== ",") throw this.expected('"," or end of input');
      this.pos++;
    }
  }

  /** selector parses `fieldpath [operator value]`. */
  private selector(): Selector {
    const fieldpath = this.fieldpath();
    this.skipSpace();
    if (this.atEnd() || this.peek() === ",") return { fieldpath, operator: "present", value: "" };

    const operator = this.input.slice(this.pos, this.pos + 2);
    if (!OPERATORS.has(operator)) throw this.expected('".", operator (==, !=, ~=), "," or end of input');
    this.pos += 2;

    this.skipSpace();
    const start = this.pos;
    const value = this.value();
    if (operator !== "~=") return { fieldpath, operator: operator as Operator, value };
    return { fieldpath, operator: "~=", value, regex: this.compile(value, start) };
  }

  /** fieldpath parses `field ("." field)*`; each field becomes one part. */
  private fieldpath(): string[] {
    const path = [this.field()];
    for (;;) {
      this.skipSpace();
      if (this.peek() !== ".") return path;
      this.pos++;
      path.push(this.field());
    }
  }

  /** field parses a run of field characters or a double-quoted string. */
  private field(): string {
    this.skipSpace();
    const c = this.peek();
    if (c === '"') return this.quoted('"');
    if (c === undefined || !FIELD_CHAR.test(c)) throw this.expected("field or quoted");
    return this.run(FIELD_CHAR);
  }

  /** value parses a quoted literal (`"…"`, `/…/`, `|…|`) or a bare value; it may not be empty. */
  private value(): string {
    const c = this.peek();
    if (c !== undefined && VALUE_QUOTES.has(c)) return this.quoted(c);
    if (c === undefined || !BARE_CHAR.test(c)) throw this.expected("value or quoted");
    return this.run(BARE_CHAR);
  }

  /**
   * quoted reads a literal opened by `delim` at the cursor and returns its unescaped text.
   * Double quotes decode the usual escapes; `/` and `|` unescape only the delimiter.
   */
  private quoted(delim: string): string {
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw this.fail("quoted literal not terminated", start);
      if (c === delim) {
        this.pos++;
        return out;
      }
      if (c !== "\\") {
        out += c;
        this.pos++;
        continue;
      }
      const next = this.input[this.pos + 1];
      if (next === undefined) throw this.fail("quoted literal not terminated", start);
      if (delim === '"') {
        out += this.escape();
      } else {
        out += next === delim ? delim : c + next;
        this.pos += 2;
      }
    }
  }

  /** escape decodes the backslash escape at the cursor (inside double quotes) and skips it. */
  private escape(): string {
    const start = this.pos;
    const kind = this.input[start + 1] ?? "";
    const simple = SIMPLE_ESCAPES[kind];
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    const digits = HEX_ESCAPES[kind];
    if (digits !== undefined) {
      const hex = this.input.slice(start + 2, start + 2 + digits);
      const code = hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex) ? Number.parseInt(hex, 16) : -1;
      if (code < 0 || code > 0x10ffff) throw this.fail(`invalid escape sequence "\\${kind}${hex}"`, start);
      this.pos += 2 + digits;
      return String.fromCodePoint(code);
    }
    throw this.fail(`unknown escape sequence "\\${kind}"`, start);
  }

  /** compile turns a `~=` value into an RE2 pattern; an invalid pattern is the caller's error. */
  private compile(pattern: string, start: number): RE2JS {
    let regex: RE2JS;
    try {
      regex = RE2JS.compile(pattern);
    } catch {
      // The engine's message is not passed on; the position points at the offending value.
      throw this.fail("invalid regular expression", start);
    }
    const size = regex.programSize();
    if (size > MAX_PATTERN_SIZE) {
      throw this.fail(`regular expression too large: program size ${size}, at most ${MAX_PATTERN_SIZE}`, start);
    }
    return regex;
  }

  /** run consumes characters while they match `chars` and returns them (at least one). */
  private run(chars: RegExp): string {
    const start = this.pos;
    while (!this.atEnd() && chars.test(this.input[this.pos] ?? "")) this.pos++;
    return this.input.slice(start, this.pos);
  }

  private skipSpace(): void {
    while (/\s/.test(this.input[this.pos] ?? "")) this.pos++;
  }

  private peek(): string | undefined {
    return this.input[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.input.length;
  }

  /** expected reports what the grammar wanted at the cursor, and what it found there. */
  private expected(what: string): LeaseholdError {
    const found = this.atEnd() ? "" : `, found ${JSON.stringify(this.peek())}`;
    return this.fail(`expected ${what}${found}`, this.pos);
  }

  /** fail builds the positional parse error: `filters: parse error: [input]: msg at position N`. */
  private fail(message: string, pos: number): LeaseholdError {
    return invalidArgument(`filters: parse error: [${this.input}]: ${message} at position ${pos}`);
  }
}
