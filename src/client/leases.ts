/** Lease and lease-resource calls of one namespace. */
import { seg, type Transport, unwrap } from "./http.ts";
import type {
  CreateLeaseInput,
  FilterOptions,
  GcRun,
  Lease,
  ListOptions,
  Page,
  Resource,
  UpdateLeaseInput,
} from "./types.ts";

const ns = (namespace: string) => ({ ns: namespace });

/** LeasesApi manages the leases of one namespace and the resources they hold. */
export class LeasesApi {
  readonly #t: Transport;
  readonly #ns: string;

  constructor(t: Transport, namespace: string) {
    this.#t = t;
    this.#ns = namespace;
  }

  /** create makes a lease; `ttl` (seconds) or `expiresAt` sets its expiry. */
  create(input: CreateLeaseInput = {}): Promise<Lease> {
    return unwrap(this.#t.api.POST("/v1/namespaces/{ns}/leases", { params: { path: ns(this.#ns) }, body: input }));
  }

  /** list returns one page of leases, sorted by id. */
  async list(options: FilterOptions = {}): Promise<Page<Lease>> {
    const page = await unwrap(
      this.#t.api.GET("/v1/namespaces/{ns}/leases", { params: { path: ns(this.#ns), query: options } }),
    );
    return { items: page.leases, nextCursor: page.nextCursor };
  }

  /** get returns one lease. */
  get(id: string): Promise<Lease> {
    return unwrap(this.#t.api.GET("/v1/namespaces/{ns}/leases/{id}", { params: { path: { ns: this.#ns, id } } }));
  }

  /** update merges labels (`null` removes) and changes expiry. */
  update(id: string, input: UpdateLeaseInput): Promise<Lease> {
    const path = { ns: this.#ns, id };
    return unwrap(this.#t.api.PATCH("/v1/namespaces/{ns}/leases/{id}", { params: { path }, body: input }));
  }

  /**
   * delete removes a lease. With `sync`, it waits for a collection that started after the request
   * and returns that run.
   */
  async delete(id: string, options: { sync?: boolean } = {}): Promise<GcRun | null> {
    const res = await this.#t.raw("DELETE", `/v1/namespaces/${seg(this.#ns)}/leases/${seg(id)}`, {
      query: { sync: options.sync ? "true" : undefined },
    });
    return res.status === 200 ? ((await res.json()) as { gc: GcRun }).gc : null;
  }

  /** addResources adds resources to a lease, atomically and idempotently. */
  async addResources(id: string, resources: Resource[]): Promise<void> {
    const path = { ns: this.#ns, id };
    await unwrap(
      this.#t.api.POST("/v1/namespaces/{ns}/leases/{id}/resources", { params: { path }, body: { resources } }),
    );
  }

  /** removeResource removes one resource; not holding it is no error. */
  async removeResource(id: string, resource: Resource): Promise<void> {
    const params = { path: { ns: this.#ns, id }, query: resource };
    await unwrap(this.#t.api.DELETE("/v1/namespaces/{ns}/leases/{id}/resources", { params }));
  }

  /** listResources returns one page of a lease's resources, by type then id. */
  async listResources(id: string, options: ListOptions & { type?: string } = {}): Promise<Page<Resource>> {
    const params = { path: { ns: this.#ns, id }, query: options };
    const page = await unwrap(this.#t.api.GET("/v1/namespaces/{ns}/leases/{id}/resources", { params }));
    return { items: page.resources, nextCursor: page.nextCursor };
  }
}
