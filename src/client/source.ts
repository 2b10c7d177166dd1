/**
 * What `push` accepts, read the same way whatever it is: bytes, a web `ReadableStream`, or (on
 * Node only) a file path. Digests are computed with WebCrypto for bytes in memory and with
 * `@noble/hashes` while reading streams and files, so nothing is read twice.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** PushSource is a blob to push: bytes, a stream of bytes, or a file path (Node only). */
export type PushSource = Uint8Array | ArrayBuffer | ReadableStream<Uint8Array> | string;

const NODE_FS: string = "node:fs";

/** NodeFs is the part of Node's `fs` a file push uses. */
interface NodeFs {
  promises: { stat(path: string): Promise<{ size: number }> };
  createReadStream(path: string, options: { highWaterMark: number }): AsyncIterable<Uint8Array>;
}

/** OpenedSource is a source ready to read once; `size` is null when unknown (a stream). */
export interface OpenedSource {
  size: number | null;
  chunks: AsyncIterable<Uint8Array>;
}

/** openSource prepares a source for reading. */
export async function openSource(source: PushSource): Promise<OpenedSource> {
  if (source instanceof Uint8Array) return { size: source.byteLength, chunks: once(source) };
  if (source instanceof ArrayBuffer) return { size: source.byteLength, chunks: once(new Uint8Array(source)) };
  if (typeof source === "string") {
    // Node only: loaded on demand, through a variable so bundlers for Workers leave it alone.
    const fs = (await import(NODE_FS)) as NodeFs;
    const { size } = await fs.promises.stat(source);
    return { size, chunks: fs.createReadStream(source, { highWaterMark: 1 << 20 }) };
  }
  return { size: null, chunks: streamChunks(source) };
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * parts re-cuts chunks into parts of exactly `size` bytes (the last may be shorter), as ingest
 * PATCHes require. It yields nothing for an empty input.
 */
export async function* parts(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let buffer = new Uint8Array(size);
  let filled = 0;
  for await (const chunk of chunks) {
    let at = 0;
    while (at < chunk.byteLength) {
      const n = Math.min(size - filled, chunk.byteLength - at);
      buffer.set(chunk.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === size) {
        yield buffer;
        buffer = new Uint8Array(size);
        filled = 0;
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}

/** digestOf hashes bytes in memory with WebCrypto: `sha256:<hex>`. */
export async function digestOf(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${bytesToHex(hash)}`;
}

/** StreamHasher hashes bytes as they are read. */
export class StreamHasher {
  readonly #hash = sha256.create();
  size = 0;

  /** update adds bytes. */
  update(bytes: Uint8Array): void {
    this.#hash.update(bytes);
    this.size += bytes.byteLength;
  }

  /** digest finishes: `sha256:<hex>`. */
  digest(): string {
    return `sha256:${bytesToHex(this.#hash.digest())}`;
  }
}

/** concat joins chunks into one array. */
export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]?.byteLength === total) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
