/** Byte-count headers of uploads: `Content-Length` and `Upload-Offset`. */
import { invalidArgument, lengthRequired } from "../errors";

const DIGITS = /^\d{1,20}$/;

/**
 * parseByteCount reads a non-negative decimal byte count. A number too large to be exact is
 * returned as Infinity, so a limit check still refuses it with the right error.
 */
export function parseByteCount(name: string, value: string): number {
  if (!DIGITS.test(value.trim())) throw invalidArgument(`${name} must be a non-negative integer`);
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : Number.POSITIVE_INFINITY;
}

/** requireContentLength reads `Content-Length`; absent is `length_required`. */
export function requireContentLength(value: string | undefined): number {
  if (value === undefined) throw lengthRequired();
  return parseByteCount("Content-Length", value);
}
