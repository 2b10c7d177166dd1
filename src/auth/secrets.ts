/** Token secrets: generation, hashing and constant-time comparison. */

const encoder = new TextEncoder();

const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** randomPart returns `bytes` random bytes as lowercase hex. */
export const randomPart = (bytes: number): string => hex(crypto.getRandomValues(new Uint8Array(bytes)));

/** hashToken returns the hex SHA-256 of a token; only this is ever stored. */
export async function hashToken(token: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(token)));
}

/**
 * sameSecret compares two strings in time that does not depend on where they differ. Both are
 * hashed first, so the comparison is over equal lengths whatever the inputs.
 */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(a)),
    crypto.subtle.digest("SHA-256", encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(ha, hb);
}

/** sameHash compares two hex hashes of equal length in constant time. */
export function sameHash(a: string, b: string): boolean {
  const ea = encoder.encode(a);
  const eb = encoder.encode(b);
  return ea.length === eb.length && crypto.subtle.timingSafeEqual(ea, eb);
}
