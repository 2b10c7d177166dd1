/**
 * The contract's objects as the client sees them, taken from the generated OpenAPI types so they
 * follow the service's schemas.
 */
import type { components } from "./openapi.ts";

type Schemas = components["schemas"];

/** Lease: `{id, createdAt, labels, expiresAt}`. */
export type Lease = Schemas["Lease"];
/** CreateLeaseInput: `{id?, labels?, ttl?, expiresAt?}`. */
export type CreateLeaseInput = Schemas["CreateLease"];
/** UpdateLeaseInput: labels merge (`null` removes), `ttl`, `expiresAt` (`null` removes expiry). */
export type UpdateLeaseInput = Schemas["UpdateLease"];
/** Resource: `{type, id}` held by a lease. */
export type Resource = Schemas["Resource"];
/** ContentInfo: `{digest, size, labels, createdAt, updatedAt}`. */
export type ContentInfo = Schemas["ContentInfo"];
/** GcRun: one collection's counters. */
export type GcRun = Schemas["GcRun"];
/** GcExplanation: why the collector keeps (or would remove) a resource. */
export type GcExplanation = Schemas["GcExplanation"];
/** Token: an issued token without its secret. */
export type Token = Schemas["Token"];
/** IssuedToken: a token with its secret, returned once. */
export type IssuedToken = Schemas["IssuedToken"];
/** IssueTokenInput: `{role, namespaces, description?}`. */
export type IssueTokenInput = Schemas["IssueToken"];
/** Labels: string to string. */
export type Labels = Record<string, string>;

/** IngestStatus: a resumable upload's state, with the `offset` to continue from. */
export type IngestStatus = Schemas["IngestStatus"];

/** Page is one page of a paginated list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** ListOptions page through a list. */
export interface ListOptions {
  limit?: number;
  cursor?: string;
}

/** FilterOptions add containerd filters (OR of each string; commas AND within one). */
export interface FilterOptions extends ListOptions {
  filter?: string | string[];
}

/**
 * all drains a paginated list: it calls `page` with each `nextCursor` until the last page and
 * yields every item.
 */
export async function* all<T>(page: (cursor?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const p = await page(cursor);
    yield* p.items;
    cursor = p.nextCursor ?? undefined;
  } while (cursor !== undefined);
}
