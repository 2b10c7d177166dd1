/**
 * Digests of stored blobs. A body is piped into workerd's native `crypto.DigestStream`, chunk by
 * chunk and never gathered in memory, with no JavaScript run per chunk: a commit that verifies a
 * large ingest spends its time in the platform's hashing, not in the isolate.
 */
import type { DigestAlgorithm } from "../model/digest";

const SUBTLE_NAME: Record<DigestAlgorithm, string> = { sha256: "SHA-256", sha512: "SHA-512" };

/** toHex renders bytes as lowercase hex. */
export function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** digestStream is the canonical digest (`algorithm:hex`) of everything a stream holds. */
export async function digestStream(body: ReadableStream<Uint8Array>, algorithm: DigestAlgorithm): Promise<string> {
  const sink = new crypto.DigestStream(SUBTLE_NAME[algorithm]);
  await body.pipeTo(sink);
  return `${algorithm}:${toHex(await sink.digest)}`;
}
