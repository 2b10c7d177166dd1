/**
 * Byte counts of uploads: the `Content-Length` and `Upload-Offset` headers, and streaming a body
 * of exactly its declared length into R2.
 */
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

/**
 * streamExact pipes `body` into `store` (an R2 put or part upload, which needs the length up
 * front) through a FixedLengthStream of `length` bytes, with no JavaScript run per chunk. A body
 * that fails on its way in (it ended early, the client left) or carries too few or too many
 * bytes is `invalid_argument`, a size mismatch; a failure of `store` itself is rethrown as it is,
 * for the caller to classify. The caller removes whatever `store` may have written.
 */
export async function streamExact<T>(
  body: ReadableStream<Uint8Array> | null,
  length: number,
  store: (stream: ReadableStream<Uint8Array>) => Promise<T>,
): Promise<T> {
  const fixed = new FixedLengthStream(length);
  const source = body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const [piped, stored] = await Promise.allSettled([source.pipeTo(fixed.writable), store(fixed.readable)]);
  if (piped.status === "fulfilled" && stored.status === "fulfilled") return stored.value;
  const reason: unknown = stored.status === "rejected" ? stored.reason : undefined;
  if (piped.status === "rejected" || isLengthError(reason)) throw sizeMismatch(length, isTooLong(reason));
  throw reason;
}

/** isLengthError: a FixedLengthStream refused the body's length (workerd's TypeError names it). */
const isLengthError = (err: unknown): boolean => err instanceof TypeError && err.message.includes("FixedLengthStream");

const isTooLong = (err: unknown): boolean => isLengthError(err) && (err as Error).message.includes("too many bytes");

const sizeMismatch = (declared: number, tooLong: boolean) =>
  invalidArgument(
    `size mismatch: Content-Length is ${declared} bytes, the body ${tooLong ? "carried more" : "ended early"}`,
  );
