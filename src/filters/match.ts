/**
 * Matcher for parsed list filters. The object under test is seen only through an Adaptor, so
 * the same filters work for leases, content and anything else with fields and labels.
 */
import { RE2JS } from "re2js";
import type { Filter, FilterSet, Selector } from "./parse";

/** A field lookup: returns the field's value, or undefined when the object lacks the field. */
export type Adaptor = (fieldpath: readonly string[]) => string | undefined;

/**
 * matchFilters reports whether the object behind `adaptor` matches `set`: true when the set is
 * empty or any of its filters matches (OR); a filter matches when all its selectors do (AND),
 * so an empty filter matches everything.
 */
export function matchFilters(set: FilterSet, adaptor: Adaptor): boolean {
  return set.length === 0 || set.some((filter) => matchFilter(filter, adaptor));
}

/** matchFilter reports whether every selector of `filter` matches. */
function matchFilter(filter: Filter, adaptor: Adaptor): boolean {
  return filter.every((selector) => matchSelector(selector, adaptor));
}

/**
 * matchSelector applies one selector. Presence needs the field; `==` needs it present and equal;
 * `!=` and `~=` compare against "" when the field is absent, so `labels.x!=foo` matches objects
 * without label x.
 */
function matchSelector(selector: Selector, adaptor: Adaptor): boolean {
  const value = adaptor(selector.fieldpath);
  switch (selector.operator) {
    case "present":
      return value !== undefined;
    case "==":
      return value !== undefined && value === selector.value;
    case "!=":
      return (value ?? "") !== selector.value;
    case "~=":
      // parseFilters always compiles the pattern; a hand-built selector is compiled here.
      return (selector.regex ?? RE2JS.compile(selector.value)).test(value ?? "");
  }
}
