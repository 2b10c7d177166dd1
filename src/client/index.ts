/**
 * `leasehold/client`: a typed client for every route of the Leasehold HTTP API, for Node 22 and
 * Workers.
 *
 * @example
 * const lh = createClient({ url: "http://localhost:8787", token: "dev-admin-token" });
 * await lh.namespace("default").withLease(async (lease) => {
 *   const { digest } = await lh.namespace("default").push(bytes, { leaseId: lease.id });
 * });
 */
export type { Health } from "./admin.ts";
export { GcApi, TokensApi } from "./admin.ts";
export { createClient, DEFAULT_LEASE_TTL, LeaseholdClient, NamespaceClient, type WithLeaseOptions } from "./client.ts";
export type { BlobHead, ByteRange, ReadOptions } from "./content.ts";
export { ContentApi } from "./content.ts";
export { type ApiErrorCode, isApiError, LeaseholdApiError } from "./errors.ts";
export { type ClientOptions, DEFAULT_URL, type FetchLike } from "./http.ts";
export { type CommitInput, IngestsApi, type StartIngestInput } from "./ingests.ts";
export { LeasesApi } from "./leases.ts";
export { DEFAULT_PART_SIZE, DEFAULT_PUSH_THRESHOLD, type PushOptions, type PushResult } from "./push.ts";
export { digestOf, type PushSource } from "./source.ts";
export * from "./types.ts";
