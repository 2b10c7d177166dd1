/**
 * Labels: string-to-string maps on leases and content, validated the same everywhere.
 *
 * Rules (contract): key non-empty; len(key)+len(value) at most 4096 bytes; at most 64 labels an
 * object. Leasehold adds one: the key `__proto__` is refused (`refuseProtoKeys` in
 * src/http/limits.ts), since validation would drop it silently instead of storing it. A label whose value is "" is dropped on write (containerd behaviour), so it never
 * matches a presence filter.
 */
import { isDigest } from "./digest";

export type Labels = Record<string, string>;

/** MAX_LABEL_BYTES bounds len(key)+len(value) in UTF-8 bytes. */
export const MAX_LABEL_BYTES = 4096;

/** MAX_LABELS bounds the number of labels one object carries. */
export const MAX_LABELS = 64;

/**
 * LABEL_EXPIRE: RFC 3339 time after which a lease is no longer a root (strictly after).
 * An unparseable value is rejected (containerd silently treats it as never expiring).
 */
export const LABEL_EXPIRE = "containerd.io/gc.expire";

/**
 * LABEL_FLAT: any non-empty value makes a lease flat: it keeps exactly the content it holds and
 * references from that content are not followed from this lease.
 */
export const LABEL_FLAT = "containerd.io/gc.flat";

/** LABEL_ROOT: any non-empty value makes a blob a root of the collector. */
export const LABEL_ROOT = "containerd.io/gc.root";

/** LABEL_REF_CONTENT: `gc.ref.content`, `gc.ref.content.<name>` or `gc.ref.content/<name>`; value is a digest. */
export const LABEL_REF_CONTENT = "containerd.io/gc.ref.content";

/** isContentReference tells whether a label key carries a content reference. */
export const isContentReference = (key: string): boolean =>
  key === LABEL_REF_CONTENT ||
  ((key.startsWith(`${LABEL_REF_CONTENT}.`) || key.startsWith(`${LABEL_REF_CONTENT}/`)) &&
    key.length > LABEL_REF_CONTENT.length + 1);

const encoder = new TextEncoder();

/**
 * labelOf reads one label. Only the object's own keys count: `labels.constructor` or
 * `labels.toString` in a filter name labels nobody set, not what every object inherits.
 */
export const labelOf = (labels: Labels, key: string): string | undefined =>
  Object.hasOwn(labels, key) ? labels[key] : undefined;

/** labelProblem returns why one label is invalid, or null when it is fine. */
export function labelProblem(key: string, value: string): string | null {
  if (key.length === 0) return "label key must not be empty";
  const bytes = encoder.encode(key).length + encoder.encode(value).length;
  if (bytes > MAX_LABEL_BYTES) {
    return `label key and value length (${bytes} bytes) greater than maximum size (${MAX_LABEL_BYTES} bytes), key: ${key.slice(0, 64)}`;
  }
  return null;
}

/** countProblem returns why a label set is too large, or null. */
export const countProblem = (labels: Labels): string | null =>
  Object.keys(labels).length > MAX_LABELS ? `at most ${MAX_LABELS} labels are allowed` : null;

/** contentLabelProblem adds the content-only rule: a reference label's value must be a digest. */
export function contentLabelProblem(key: string, value: string): string | null {
  if (value !== "" && isContentReference(key) && !isDigest(value)) {
    return `label "${key}" must reference a digest, got "${value.slice(0, 140)}"`;
  }
  return null;
}

/** dropEmpty returns the labels without those whose value is "". */
export function dropEmpty(labels: Labels): Labels {
  return Object.fromEntries(Object.entries(labels).filter(([, v]) => v !== ""));
}

/**
 * mergeLabels applies a patch: a string sets the key, null (or "") removes it.
 * Returns a new object; the input is not touched.
 */
export function mergeLabels(current: Labels, patch: Record<string, string | null>): Labels {
  const next: Labels = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === "") delete next[k];
    else next[k] = v;
  }
  return next;
}

/** parseStoredLabels reads a labels column. */
export const parseStoredLabels = (json: string): Labels => JSON.parse(json) as Labels;
