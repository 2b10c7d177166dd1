/**
 * Upload probes: where the time of a verified upload goes. Each stores the request body like
 * `rawPut`, adding one piece of what `putContent` does, so the bench can attribute the gap.
 */
import { newBlobKey } from "../src/content/keys";

/**
 * probePut: `fixed` pipes through a FixedLengthStream; `checksum` also has R2 verify the SHA-256;
 * `hash` hashes in a JavaScript transform on the way (what the API did before R2 verified);
 * `tee` hashes a tee'd copy; `overlap` and `bounded` let that digest lag behind the upload.
 */
export async function probePut(bucket: R2Bucket, ns: string, request: Request, mode: string) {
  const length = Number(request.headers.get("Content-Length"));
  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  const key = newBlobKey(ns);
  const fixed = new FixedLengthStream(length);
  if (mode === "fixed") {
    await Promise.all([body.pipeTo(fixed.writable), bucket.put(key, fixed.readable)]);
  } else if (mode === "hash") {
    // A JavaScript pass-through that hands each chunk to a DigestStream before passing it on.
    const sink = new crypto.DigestStream("SHA-256");
    const writer = sink.getWriter();
    const hasher = new TransformStream<Uint8Array, Uint8Array>({
      transform: async (chunk, controller) => {
        await writer.write(chunk);
        controller.enqueue(chunk);
      },
      flush: () => writer.close(),
    });
    await Promise.all([body.pipeThrough(hasher).pipeTo(fixed.writable), bucket.put(key, fixed.readable)]);
    await sink.digest;
  } else if (mode === "overlap") {
    // Like `hash`, but the chunk goes on to R2 without waiting for the digest to take it.
    const sink = new crypto.DigestStream("SHA-256");
    const writer = sink.getWriter();
    const overlap = new TransformStream<Uint8Array, Uint8Array>({
      transform: async (chunk, controller) => {
        controller.enqueue(chunk);
        await writer.ready;
        void writer.write(chunk);
      },
      flush: () => writer.close(),
    });
    await Promise.all([body.pipeThrough(overlap).pipeTo(fixed.writable), bucket.put(key, fixed.readable)]);
    await sink.digest;
  } else if (mode === "bounded") {
    // Like `hash`, but the digest may fall behind by up to 8 MiB before the chunk waits for it.
    const sink = new crypto.DigestStream("SHA-256");
    const writer = sink.getWriter();
    let pending = 0;
    const bounded = new TransformStream<Uint8Array, Uint8Array>({
      transform: async (chunk, controller) => {
        controller.enqueue(chunk);
        pending += chunk.byteLength;
        const written = writer.write(chunk).then(() => {
          pending -= chunk.byteLength;
        });
        if (pending > 8 * 1024 * 1024) await written;
      },
      flush: () => writer.close(),
    });
    await Promise.all([body.pipeThrough(bounded).pipeTo(fixed.writable), bucket.put(key, fixed.readable)]);
    await sink.digest;
  } else if (mode === "digest-only") {
    const sink = new crypto.DigestStream("SHA-256");
    await body.pipeTo(sink);
    await sink.digest;
  } else if (mode === "checksum") {
    // What the API does: R2 verifies the SHA-256 it is given (src/content/upload.ts).
    const hex = request.headers.get("X-Sha256") ?? "";
    await Promise.all([body.pipeTo(fixed.writable), bucket.put(key, fixed.readable, { sha256: hex })]);
  } else if (mode === "tee") {
    const [a, b] = body.tee();
    const sink = new crypto.DigestStream("SHA-256");
    await Promise.all([a.pipeTo(fixed.writable), bucket.put(key, fixed.readable), b.pipeTo(sink)]);
    await sink.digest;
  }
  return { key, mode };
}
