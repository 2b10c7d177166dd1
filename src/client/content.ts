/** Content store calls of one namespace: upload, read (ranges, HEAD), info, labels, delete, list. */
import { seg, type Transport, unwrap } from "./http.ts";
import type { ContentInfo, FilterOptions, Page } from "./types.ts";

/** ByteRange asks for bytes `start` to `end` inclusive (`end` omitted: to the end). */
export interface ByteRange {
  start: number;
  end?: number;
}

/** ReadOptions shape a blob read. */
export interface ReadOptions {
  /** One range (206) or a raw `Range` header value. */
  range?: ByteRange | string;
  /** An ETag the caller holds; a match answers 304 with no body. */
  ifNoneMatch?: string;
}

/** BlobHead is what HEAD tells about a blob. */
export interface BlobHead {
  size: number;
  etag: string | null;
}

const rangeHeader = (r: ByteRange | string | undefined): string | undefined =>
  r === undefined || typeof r === "string" ? r : `bytes=${r.start}-${r.end ?? ""}`;

/** ContentApi reads and writes the blobs of one namespace. */
export class ContentApi {
  readonly #t: Transport;
  readonly #ns: string;

  constructor(t: Transport, namespace: string) {
    this.#t = t;
    this.#ns = namespace;
  }

  #path(digest: string): string {
    return `/v1/namespaces/${seg(this.#ns)}/content/${seg(digest)}`;
  }

  /**
   * put uploads a blob in one request under its digest (see `push` for hashing and large blobs).
   * `leaseId` adds it to that lease in the step that makes it visible. `created` is false when the
   * blob was already present.
   */
  async put(digest: string, bytes: Uint8Array, options: { leaseId?: string } = {}) {
    const res = await this.#t.raw("PUT", this.#path(digest), { body: bytes, headers: { "Lease-Id": options.leaseId } });
    return { info: (await res.json()) as ContentInfo, created: res.status === 201 };
  }

  /** get reads a blob: 200 whole, 206 for a range, 304 when `ifNoneMatch` matches. */
  get(digest: string, options: ReadOptions = {}): Promise<Response> {
    const headers = { Range: rangeHeader(options.range), "If-None-Match": options.ifNoneMatch };
    return this.#t.raw("GET", this.#path(digest), { headers });
  }

  /** bytes reads a whole blob (or a range) into memory. */
  async bytes(digest: string, options: ReadOptions = {}): Promise<Uint8Array> {
    return new Uint8Array(await (await this.get(digest, options)).arrayBuffer());
  }

  /** head tells a blob's size and ETag without reading it. */
  async head(digest: string): Promise<BlobHead> {
    const res = await this.#t.raw("HEAD", this.#path(digest));
    return { size: Number(res.headers.get("Content-Length") ?? 0), etag: res.headers.get("ETag") };
  }

  /** exists tells whether the namespace has the blob. */
  async exists(digest: string): Promise<boolean> {
    try {
      await this.head(digest);
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === "not_found") return false;
      throw err;
    }
  }

  /** info describes a blob. */
  info(digest: string): Promise<ContentInfo> {
    const path = { ns: this.#ns, digest };
    return unwrap(this.#t.api.GET("/v1/namespaces/{ns}/content/{digest}/info", { params: { path } }));
  }

  /** label merges labels into a blob; `null` removes one. */
  label(digest: string, labels: Record<string, string | null>): Promise<ContentInfo> {
    const path = { ns: this.#ns, digest };
    return unwrap(this.#t.api.PATCH("/v1/namespaces/{ns}/content/{digest}", { params: { path }, body: { labels } }));
  }

  /** delete removes a blob's metadata now; the collector removes its bytes. */
  async delete(digest: string): Promise<void> {
    await this.#t.raw("DELETE", this.#path(digest));
  }

  /** list returns one page of blobs, by digest. */
  async list(options: FilterOptions = {}): Promise<Page<ContentInfo>> {
    const params = { path: { ns: this.#ns }, query: options };
    const page = await unwrap(this.#t.api.GET("/v1/namespaces/{ns}/content", { params }));
    return { items: page.content, nextCursor: page.nextCursor };
  }
}
