/**
 * Opaque pagination cursors. A cursor is the sort key of the last item of a page, as JSON in
 * base64url; listing resumes strictly after it (keyset pagination), so pages never skip or repeat
 * an item that existed for the whole listing.
 */
import { invalidArgument } from "../errors";

/** encodeCursor turns the last sort key of a page into an opaque cursor. */
export function encodeCursor(key: readonly string[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** decodeCursor reads a cursor back; `parts` is how many key parts it must hold. */
export function decodeCursor(cursor: string, parts: number): string[] {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const key: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    if (Array.isArray(key) && key.length === parts && key.every((k) => typeof k === "string")) return key;
  } catch {
    // fall through: any decoding failure is the same bad cursor
  }
  throw invalidArgument("cursor is not valid; pass the nextCursor of a previous page");
}
