/**
 * push uploads a blob the way its size calls for: one PUT below a threshold, a chunked ingest above
 * it. It computes the digest itself and resumes an interrupted ingest from the service's offset:
 * pushing again with the same `ref` re-reads the source (to hash it) and sends only what the
 * service lacks.
 */
import type { ContentApi } from "./content.ts";
import { isApiError } from "./errors.ts";
import type { IngestsApi } from "./ingests.ts";
import { concat, digestOf, openSource, type PushSource, parts, StreamHasher } from "./source.ts";
import type { ContentInfo, Labels } from "./types.ts";

/** DEFAULT_PUSH_THRESHOLD: blobs of at least this many bytes go through an ingest (16 MiB). */
export const DEFAULT_PUSH_THRESHOLD = 16 * 1024 * 1024;
/** DEFAULT_PART_SIZE: bytes per ingest PATCH (8 MiB, the service's default). */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** WRITE_ATTEMPTS bounds the tries of one part after a transient failure. */
const WRITE_ATTEMPTS = 3;

/** PushOptions tune a push. */
export interface PushOptions {
  /** Add the blob to this lease in the step that makes it visible. */
  leaseId?: string;
  /** Labels the blob gets. */
  labels?: Labels;
  /**
   * Ingest ref; give the same one to resume an interrupted push (default: random). A push with a
   * ref always goes through an ingest, whatever the size, so that it can resume.
   */
  ref?: string;
  /** Size from which an ingest is used (default 16 MiB; ignored when `ref` is given). */
  threshold?: number;
  /** Ingest part size for a new ingest (default 8 MiB). */
  partSize?: number;
  /** Called with the bytes the service has so far and the total (null when unknown). */
  onProgress?: (done: number, total: number | null) => void;
}

/** PushResult tells what was stored and how. */
export interface PushResult {
  digest: string;
  size: number;
  info: ContentInfo;
  /** False when the blob was already present. */
  created: boolean;
  method: "put" | "ingest";
}

/** push uploads `source` through `content` (small) or `ingests` (large). */
export async function push(
  content: ContentApi,
  ingests: IngestsApi,
  source: PushSource,
  options: PushOptions = {},
): Promise<PushResult> {
  // A named ref may be an upload already under way: never PUT past it (that would leave it behind).
  const threshold = options.ref !== undefined ? 0 : (options.threshold ?? DEFAULT_PUSH_THRESHOLD);
  const opened = await openSource(source);
  const iterator = opened.chunks[Symbol.asyncIterator]();

  // Read up to the threshold: a blob that ends before it goes in one PUT.
  const head: Uint8Array[] = [];
  let headSize = 0;
  let ended = false;
  while (headSize < threshold) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head.push(next.value);
    headSize += next.value.byteLength;
  }
  if (ended) {
    return putWhole(content, concat(head, headSize), options);
  }

  const rest = { [Symbol.asyncIterator]: () => iterator };
  async function* whole(): AsyncGenerator<Uint8Array> {
    yield* head;
    yield* rest;
  }
  return pushIngest(ingests, whole(), opened.size, options);
}

async function putWhole(content: ContentApi, bytes: Uint8Array, options: PushOptions): Promise<PushResult> {
  const digest = await digestOf(bytes);
  let { info, created } = await content.put(digest, bytes, { leaseId: options.leaseId });
  if (options.labels && Object.keys(options.labels).length > 0) info = await content.label(digest, options.labels);
  options.onProgress?.(bytes.byteLength, bytes.byteLength);
  return { digest, size: bytes.byteLength, info, created, method: "put" };
}

async function pushIngest(
  ingests: IngestsApi,
  chunks: AsyncIterable<Uint8Array>,
  size: number | null,
  options: PushOptions,
): Promise<PushResult> {
  const ref = options.ref ?? `push-${crypto.randomUUID()}`;
  const status = await startOrResume(ingests, ref, size, options);
  const hasher = new StreamHasher();
  let offset = status.offset;
  options.onProgress?.(offset, size);

  for await (const part of parts(chunks, status.partSize)) {
    const start = hasher.size;
    hasher.update(part);
    if (hasher.size <= status.offset) continue; // the service has this part already
    offset = await writePart(ingests, ref, start, part);
    options.onProgress?.(offset, size);
  }

  const digest = hasher.digest();
  const { info, created } = await ingests.commit(ref, {
    digest,
    size: hasher.size,
    labels: options.labels,
    leaseId: options.leaseId,
  });
  return { digest, size: hasher.size, info, created, method: "ingest" };
}

/** startOrResume opens the ingest, or picks up the one already under `ref`. */
async function startOrResume(ingests: IngestsApi, ref: string, size: number | null, options: PushOptions) {
  try {
    return await ingests.start({
      ref,
      expectedSize: size ?? undefined,
      partSize: options.partSize ?? DEFAULT_PART_SIZE,
      leaseId: options.leaseId,
    });
  } catch (err) {
    if (!isApiError(err, "already_exists")) throw err;
    return ingests.status(ref);
  }
}

/**
 * writePart sends one part at `start`. After a transient failure (network, `unavailable`) it asks
 * the service where the upload stands: if the part landed it moves on, otherwise it sends it again.
 */
async function writePart(ingests: IngestsApi, ref: string, start: number, part: Uint8Array): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ingests.write(ref, start, part);
    } catch (err) {
      const transient = !isApiError(err) || err.code === "unavailable" || err.code === "conflict";
      if (!transient || attempt >= WRITE_ATTEMPTS) throw err;
      const { offset } = await ingests.status(ref);
      if (offset === start + part.byteLength) return offset;
      if (offset !== start) throw err;
    }
  }
}
