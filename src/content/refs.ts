/**
 * Label-derived state of a blob: its `root` mirror and its `content_refs` rows. Both are pure
 * functions of the labels, recomputed and written in the same batch as every label change, so
 * the collector can follow references with a join and never parse labels. The collector may call
 * `contentRefRows` too, to check or rebuild the rows.
 */
import { invalidArgument } from "../errors";
import {
  contentLabelProblem,
  countProblem,
  isContentReference,
  LABEL_ROOT,
  type Labels,
  labelProblem,
} from "../model/labels";
import type { contentRefs } from "./schema";

/** ContentRefRow is one reference edge: blob `digest` points at blob `target` through `label`. */
export type ContentRefRow = typeof contentRefs.$inferInsert;

/**
 * contentRefRows derives the reference rows of a blob from its labels: one per
 * `containerd.io/gc.ref.content`, `gc.ref.content.<name>` or `gc.ref.content/<name>` label with a
 * non-empty value. The target stays in the blob's namespace; it need not exist.
 */
export function contentRefRows(namespace: string, digest: string, labels: Labels): ContentRefRow[] {
  return Object.entries(labels)
    .filter(([key, value]) => value !== "" && isContentReference(key))
    .map(([label, target]) => ({ namespace, digest, label, target }));
}

/** rootOf is the `root` column of a blob: 1 when `containerd.io/gc.root` is set, else 0. */
export const rootOf = (labels: Labels): number => (labels[LABEL_ROOT] ? 1 : 0);

/**
 * checkContentLabels throws `invalid_argument` for the first invalid label of a blob's full
 * label set: size, reference values that are not digests, and the count.
 */
export function checkContentLabels(labels: Labels): void {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelProblem(key, value) ?? contentLabelProblem(key, value);
    if (problem) throw invalidArgument(problem);
  }
  const problem = countProblem(labels);
  if (problem) throw invalidArgument(problem);
}
