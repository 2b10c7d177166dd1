/**
 * The Leasehold client. `createClient(options)` gives the calls outside namespaces (collector,
 * tokens, health); `client.namespace(ns)` gives the leases, content and ingests of one namespace,
 * with `push` and `withLease` on top.
 */
import { GcApi, type Health, healthz, TokensApi } from "./admin.ts";
import { ContentApi } from "./content.ts";
import { isApiError } from "./errors.ts";
import { type ClientOptions, seg, Transport } from "./http.ts";
import { IngestsApi } from "./ingests.ts";
import { LeasesApi } from "./leases.ts";
import { type PushOptions, type PushResult, push } from "./push.ts";
import type { PushSource } from "./source.ts";
import type { GcExplanation, Labels, Lease } from "./types.ts";

/** DEFAULT_LEASE_TTL: `withLease` leases expire after 24 hours unless told otherwise. */
export const DEFAULT_LEASE_TTL = 24 * 60 * 60;

/** WithLeaseOptions shape the lease `withLease` creates. */
export interface WithLeaseOptions {
  id?: string;
  labels?: Labels;
  /** Seconds until expiry (default 24 h), the safety net if the delete never happens. */
  ttl?: number;
  /** Delete with `sync=true`: wait for a collection before returning. */
  sync?: boolean;
}

/** NamespaceClient is the client scoped to one namespace. */
export class NamespaceClient {
  readonly namespace: string;
  readonly leases: LeasesApi;
  readonly content: ContentApi;
  readonly ingests: IngestsApi;
  readonly #t: Transport;

  constructor(t: Transport, namespace: string) {
    this.#t = t;
    this.namespace = namespace;
    this.leases = new LeasesApi(t, namespace);
    this.content = new ContentApi(t, namespace);
    this.ingests = new IngestsApi(t, namespace);
  }

  /** push uploads a blob (bytes, stream or file path), hashing it; see `PushOptions`. */
  push(source: PushSource, options: PushOptions = {}): Promise<PushResult> {
    return push(this.content, this.ingests, source, options);
  }

  /** explain tells why the collector keeps (or would remove) a resource. */
  explain(type: string, id: string): Promise<GcExplanation> {
    return this.#t.rawJson("GET", `/v1/namespaces/${seg(this.namespace)}/gc/explain`, { query: { type, id } });
  }

  /**
   * withLease creates a lease (expiring in 24 h by default), runs `fn` with it and deletes it
   * afterwards, also when `fn` throws; `fn`'s error wins over a failed delete. This is
   * containerd's `WithLease` pattern: everything written under the lease survives collection
   * until `fn` returns.
   */
  async withLease<T>(fn: (lease: Lease) => Promise<T>, options: WithLeaseOptions = {}): Promise<T> {
    const lease = await this.leases.create({
      id: options.id,
      labels: options.labels,
      ttl: options.ttl ?? DEFAULT_LEASE_TTL,
    });
    let result: T;
    try {
      result = await fn(lease);
    } catch (err) {
      await this.leases.delete(lease.id, { sync: options.sync }).catch(() => undefined);
      throw err;
    }
    try {
      await this.leases.delete(lease.id, { sync: options.sync });
    } catch (err) {
      if (!isApiError(err, "not_found")) throw err; // `fn` deleted it itself
    }
    return result;
  }
}

/** LeaseholdClient is the entry point: admin calls here, namespaced calls via `namespace()`. */
export class LeaseholdClient {
  readonly gc: GcApi;
  readonly tokens: TokensApi;
  readonly #t: Transport;

  constructor(options: ClientOptions = {}) {
    this.#t = new Transport(options);
    this.gc = new GcApi(this.#t);
    this.tokens = new TokensApi(this.#t);
  }

  /** namespace scopes the client to one namespace. */
  namespace(ns: string): NamespaceClient {
    return new NamespaceClient(this.#t, ns);
  }

  /** healthz asks whether the service is up. */
  healthz(): Promise<Health> {
    return healthz(this.#t);
  }
}

/** createClient makes a client: `createClient({ url, token })`. */
export const createClient = (options: ClientOptions = {}): LeaseholdClient => new LeaseholdClient(options);
