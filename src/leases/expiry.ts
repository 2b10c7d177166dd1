/**
 * How a request sets a lease's expiry. `ttl` (seconds from now) and `expiresAt` (a time) are
 * shorthands for the `containerd.io/gc.expire` label; a request may use one of the three at most.
 */
import { invalidArgument } from "../errors";
import { LABEL_EXPIRE } from "../model/labels";
import { formatTime, parseTime } from "../time";

/** ExpiryInput is the expiry part of a create or patch request. */
export interface ExpiryInput {
  ttl?: number | undefined;
  /** A time; null (patch only) removes the expiry. */
  expiresAt?: string | null | undefined;
  /** Whether the request's labels name `gc.expire` themselves. */
  labelGiven: boolean;
}

/**
 * expiryLabel returns the `gc.expire` value the request asks for: a string to set, null to remove,
 * undefined to leave the labels as they are.
 */
export function expiryLabel(input: ExpiryInput, at: number): string | null | undefined {
  const given = [input.ttl !== undefined, input.expiresAt !== undefined, input.labelGiven].filter(Boolean).length;
  if (given > 1) {
    throw invalidArgument(`give at most one of "ttl", "expiresAt" and the "${LABEL_EXPIRE}" label`);
  }
  if (input.ttl !== undefined) return formatTime(at + input.ttl * 1000);
  if (input.expiresAt === null) return null;
  if (input.expiresAt !== undefined) {
    const ms = parseTime(input.expiresAt);
    if (ms === null) throw invalidArgument(`"expiresAt" must be an RFC 3339 time, got "${input.expiresAt}"`);
    return formatTime(ms);
  }
  return undefined;
}
