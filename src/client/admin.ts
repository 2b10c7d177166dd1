/** Calls outside any namespace: the collector's runs, tokens (admin) and health. */
import { seg, type Transport, unwrap } from "./http.ts";
import type { GcRun, IssuedToken, IssueTokenInput, Token } from "./types.ts";

/** GcApi runs the collector and lists its runs (admin). */
export class GcApi {
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
  }

  /** run collects now; `dryRun` reports what would go, `namespace` limits it to one. */
  run(options: { dryRun?: boolean; namespace?: string } = {}): Promise<GcRun> {
    return unwrap(this.#t.api.POST("/v1/gc", { body: options }));
  }

  /** runs lists the latest runs, newest first. */
  async runs(options: { limit?: number } = {}): Promise<GcRun[]> {
    return (await unwrap(this.#t.api.GET("/v1/gc/runs", { params: { query: options } }))).runs;
  }
}

/** TokensApi issues, lists and revokes bearer tokens (admin). */
export class TokensApi {
  readonly #t: Transport;

  constructor(t: Transport) {
    this.#t = t;
  }

  /** create issues a token; its secret is in the answer and nowhere else. */
  create(input: IssueTokenInput): Promise<IssuedToken> {
    return unwrap(this.#t.api.POST("/v1/tokens", { body: input }));
  }

  /** list returns every token, without secrets. */
  async list(): Promise<Token[]> {
    return (await unwrap(this.#t.api.GET("/v1/tokens"))).tokens;
  }

  /** revoke deletes a token; it stops working at once. */
  async revoke(id: string): Promise<void> {
    await this.#t.raw("DELETE", `/v1/tokens/${seg(id)}`);
  }
}

/** Health is `GET /healthz`'s answer. */
export interface Health {
  status: string;
  version: string;
}

/** healthz asks whether the service is up (no token needed). */
export function healthz(t: Transport): Promise<Health> {
  return t.rawJson("GET", "/healthz");
}
