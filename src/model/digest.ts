/** Digests: `sha256:<64 lowercase hex>` or `sha512:<128 lowercase hex>`. */

const DIGEST = /^(?:sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;

/** Digest is a string known to be a canonical digest. */
export type Digest = string & { readonly __digest: unique symbol };

/** isDigest tells whether `value` is a canonical digest. */
export const isDigest = (value: string): value is Digest => DIGEST.test(value);

/** DigestAlgorithm is the part before the colon. */
export type DigestAlgorithm = "sha256" | "sha512";

/** digestAlgorithm returns the algorithm of a canonical digest. */
export const digestAlgorithm = (digest: Digest): DigestAlgorithm =>
  digest.startsWith("sha256:") ? "sha256" : "sha512";
