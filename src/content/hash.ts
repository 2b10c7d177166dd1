/**
 * Streaming digests. Bytes are hashed as they flow to R2 or out of it, never gathered in memory:
 * workerd's `crypto.DigestStream` is fed chunk by chunk from a pass-through transform, so
 * back-pressure from R2 reaches the client and a 100 MiB upload costs a few chunks of memory.
 */
import { type Digest, type DigestAlgorithm, digestAlgorithm } from "../model/digest";

const SUBTLE_NAME: Record<DigestAlgorithm, string> = { sha256: "SHA-256", sha512: "SHA-512" };

/** Hashed is what a stream turned out to hold. */
export interface Hashed {
  digest: string;
  size: number;
}

/** toHex renders bytes as lowercase hex. */
export function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Hasher is a pass-through stream that digests what flows through it. `result()` resolves once
 * the stream has closed; if it never closes (the upload failed), `bytes` still says how far it got.
 */
export class Hasher {
  readonly stream: TransformStream<Uint8Array, Uint8Array>;
  bytes = 0;
  readonly #algorithm: DigestAlgorithm;
  readonly #sink: DigestStream;

  constructor(algorithm: DigestAlgorithm) {
    this.#algorithm = algorithm;
    this.#sink = new crypto.DigestStream(SUBTLE_NAME[algorithm]);
    const writer = this.#sink.getWriter();
    this.stream = new TransformStream({
      transform: async (chunk, controller) => {
        this.bytes += chunk.byteLength;
        await writer.write(chunk);
        controller.enqueue(chunk);
      },
      flush: () => writer.close(),
    });
  }

  /** result is the canonical digest and size of everything that flowed through. */
  async result(): Promise<Hashed> {
    return { digest: `${this.#algorithm}:${toHex(await this.#sink.digest)}`, size: this.bytes };
  }
}

/** hashStream digests a whole stream (an R2 object body) with the algorithm of `like`. */
export async function hashStream(body: ReadableStream<Uint8Array>, like: Digest): Promise<Hashed> {
  const hasher = new Hasher(digestAlgorithm(like));
  await body.pipeThrough(hasher.stream).pipeTo(new WritableStream());
  return hasher.result();
}
