/**
 * `Range` for blob reads (RFC 9110 §14). One byte range is served as 206: `bytes=a-b`, `bytes=a-`
 * or the suffix `bytes=-n`. Decisions where the RFC leaves a choice:
 * - several ranges (`bytes=0-1,5-6`) are served as the whole blob, 200, as the RFC allows a server
 *   to ignore Range; multipart/byteranges is not worth its complexity for content-addressed blobs;
 * - a unit other than `bytes` is ignored the same way;
 * - a malformed or unsatisfiable byte range is 416 `range_not_satisfiable` (the contract's "bad Range").
 */
import { rangeNotSatisfiable } from "../errors";

/** ByteRange is the slice to serve: `length` bytes from `offset`. */
export interface ByteRange {
  offset: number;
  length: number;
}

const SINGLE = /^(\d*)-(\d*)$/;

/** parseRange reads a Range header for a blob of `size` bytes; null means "serve it all". */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const eq = header.indexOf("=");
  if (eq < 0) throw rangeNotSatisfiable(size);
  if (header.slice(0, eq).trim().toLowerCase() !== "bytes") return null;
  const spec = header.slice(eq + 1).trim();
  if (spec.includes(",")) return null;

  const m = SINGLE.exec(spec);
  const [first, last] = [m?.[1] ?? "", m?.[2] ?? ""];
  if (!m || (first === "" && last === "")) throw rangeNotSatisfiable(size);

  if (first === "") {
    // Suffix: the last n bytes, all of them when n exceeds the size.
    const n = Number(last);
    if (n === 0 || size === 0) throw rangeNotSatisfiable(size);
    const length = Math.min(n, size);
    return { offset: size - length, length };
  }
  const offset = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (offset >= size || (last !== "" && Number(last) < offset)) throw rangeNotSatisfiable(size);
  return { offset, length: end - offset + 1 };
}

/** contentRange renders the `Content-Range` of a served slice. */
export const contentRange = (r: ByteRange, size: number): string =>
  `bytes ${r.offset}-${r.offset + r.length - 1}/${size}`;
