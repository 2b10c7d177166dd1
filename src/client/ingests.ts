/** Ingest calls of one namespace: resumable uploads in parts (see `push` for the whole flow). */
import { seg, type Transport, unwrap } from "./http.ts";
import type { ContentInfo, IngestStatus, Labels, ListOptions, Page } from "./types.ts";

/** StartIngestInput opens an upload under `ref`. */
export interface StartIngestInput {
  ref: string;
  expectedDigest?: string;
  expectedSize?: number;
  /** Bytes per PATCH (default on the service: 8 MiB; 5 MiB to 100 MiB). */
  partSize?: number;
  /** Join this lease as an `ingests` resource. */
  leaseId?: string;
}

/** CommitInput finishes an upload; the service verifies the digest over every byte. */
export interface CommitInput {
  digest?: string;
  size?: number;
  labels?: Labels;
  leaseId?: string;
}

const leaseHeader = (leaseId: string | undefined) => (leaseId === undefined ? {} : { "lease-id": leaseId });

/** IngestsApi drives the resumable uploads of one namespace. */
export class IngestsApi {
  readonly #t: Transport;
  readonly #ns: string;

  constructor(t: Transport, namespace: string) {
    this.#t = t;
    this.#ns = namespace;
  }

  /** start opens an upload; a taken ref is `already_exists`. */
  start(input: StartIngestInput): Promise<IngestStatus> {
    const { leaseId, ...body } = input;
    const params = { path: { ns: this.#ns }, header: leaseHeader(leaseId) };
    return unwrap(this.#t.api.POST("/v1/namespaces/{ns}/ingests", { params, body }));
  }

  /** status reads an upload's state, including the `offset` to continue from. */
  status(ref: string): Promise<IngestStatus> {
    const params = { path: { ns: this.#ns, ref } };
    return unwrap(this.#t.api.GET("/v1/namespaces/{ns}/ingests/{ref}", { params }));
  }

  /**
   * write appends one part at `offset` and returns the new offset. A wrong offset is `conflict`;
   * every part but the last must be exactly `partSize` bytes.
   */
  async write(ref: string, offset: number, part: Uint8Array): Promise<number> {
    const path = `/v1/namespaces/${seg(this.#ns)}/ingests/${seg(ref)}`;
    const res = await this.#t.raw("PATCH", path, { body: part, headers: { "Upload-Offset": String(offset) } });
    return Number(res.headers.get("Upload-Offset") ?? offset + part.byteLength);
  }

  /** commit verifies the upload and makes the blob visible; `created` is false if it existed. */
  async commit(ref: string, input: CommitInput = {}): Promise<{ info: ContentInfo; created: boolean }> {
    const { leaseId, ...body } = input;
    const params = { path: { ns: this.#ns, ref }, header: leaseHeader(leaseId) };
    const call = this.#t.api.POST("/v1/namespaces/{ns}/ingests/{ref}/commit", { params, body });
    const { response } = await call;
    return { info: await unwrap(call), created: response.status === 201 };
  }

  /** abort deletes an upload and its partial bytes. */
  async abort(ref: string): Promise<void> {
    const params = { path: { ns: this.#ns, ref } };
    await unwrap(this.#t.api.DELETE("/v1/namespaces/{ns}/ingests/{ref}", { params }));
  }

  /** list returns one page of uploads in progress, by ref. */
  async list(options: ListOptions = {}): Promise<Page<IngestStatus>> {
    const params = { path: { ns: this.#ns }, query: options };
    const page = await unwrap(this.#t.api.GET("/v1/namespaces/{ns}/ingests", { params }));
    return { items: page.ingests, nextCursor: page.nextCursor };
  }
}
