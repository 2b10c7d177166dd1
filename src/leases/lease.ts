/**
 * The lease model: what a lease is, how its labels set its expiry and flatness, and how it is shown.
 */
import { invalidArgument } from "../errors";
import { LABEL_EXPIRE, LABEL_FLAT, type Labels, parseStoredLabels } from "../model/labels";
import { formatOptionalTime, formatTime, parseTime } from "../time";
import type { LeaseRow } from "./schema";

/** Lease is the contract's lease object. */
export interface Lease {
  id: string;
  createdAt: string;
  labels: Labels;
  expiresAt: string | null;
}

/** LabelMirrors are the label-derived columns of a lease row. */
export interface LabelMirrors {
  expiresAt: number | null;
  flat: number;
}

/**
 * mirrorsOf derives the expiry and flatness of a lease from its labels. An unparseable
 * `gc.expire` is rejected (a deliberate deviation: containerd treats it as never expiring).
 */
export function mirrorsOf(labels: Labels): LabelMirrors {
  const expire = labels[LABEL_EXPIRE];
  let expiresAt: number | null = null;
  if (expire !== undefined) {
    expiresAt = parseTime(expire);
    if (expiresAt === null) throw invalidArgument(`label "${LABEL_EXPIRE}" must be an RFC 3339 time, got "${expire}"`);
  }
  return { expiresAt, flat: labels[LABEL_FLAT] ? 1 : 0 };
}

/** isExpired: a lease is expired when now is strictly after its expiry. */
export const isExpired = (row: Pick<LeaseRow, "expiresAt">, at: number): boolean =>
  row.expiresAt !== null && at > row.expiresAt;

/** toLease renders a row as the contract's lease object. */
export const toLease = (row: LeaseRow): Lease => ({
  id: row.id,
  createdAt: formatTime(row.createdAt),
  labels: parseStoredLabels(row.labels),
  expiresAt: formatOptionalTime(row.expiresAt),
});
