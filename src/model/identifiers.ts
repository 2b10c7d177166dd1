/** Identifiers: namespace names and lease ids. */

const IDENTIFIER = /^[A-Za-z0-9]+(?:[._-][A-Za-z0-9]+)*$/;

/** MAX_IDENTIFIER_LENGTH is the longest namespace name or lease id, in characters. */
export const MAX_IDENTIFIER_LENGTH = 76;

/** isIdentifier tells whether `value` is a valid namespace name or lease id. */
export const isIdentifier = (value: string): boolean =>
  value.length >= 1 && value.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER.test(value);

const INGEST_REF = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,255}$/;

/** isIngestRef tells whether `value` is a valid ingest ref. */
export const isIngestRef = (value: string): boolean => INGEST_REF.test(value);

/**
 * randomLeaseId returns a fresh lease id with 128 random bits: 32 lowercase hex characters, which
 * satisfies the identifier rule. (containerd uses 24 random bits; the contract asks for at least 96.)
 */
export function randomLeaseId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
