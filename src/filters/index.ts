/**
 * containerd-syntax list filters: `parseFilters` turns `?filter=` strings into a FilterSet and
 * `matchFilters` tests an object, seen through an Adaptor, against it.
 */
export { type Adaptor, matchFilters } from "./match";
export {
  type Filter,
  type FilterSet,
  MAX_FILTER_LENGTH,
  MAX_FILTERS,
  MAX_SELECTORS,
  type Operator,
  parseFilters,
  type Selector,
} from "./parse";
